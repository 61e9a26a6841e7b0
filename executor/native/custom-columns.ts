/**
 * Owns `-o custom-columns=HEADER:FIELD,…` as kubectl prints it (pkg/cmd/get/customcolumn.go): each
 * FIELD relaxed to a jsonpath as --sort-by's is, one row an item (or the object), each cell its
 * field's results as Go's fmt.Sprint writes them joined by commas, `<none>` when there are none,
 * laid out by kubectl's tabwriter under the headers unless --no-headers. A spec this does not read,
 * or a cell whose Go spelling is not modelled here (an integer past 2^53, a control or non-ASCII
 * character), answers undefined, and the command runs kubectl.
 */
import { goValue } from "./go-value";
import { allResults } from "./jsonpath";
import { readRelaxedPath, type Step } from "./jsonpath-template";
import { tabulate } from "./tabwriter";

export interface Column {
  header: string;
  steps: Step[];
}

/** The columns of a spec, or undefined where kubectl would refuse it or read it otherwise. */
export function readCustomColumns(spec: string): Column[] | undefined {
  const columns: Column[] = [];
  for (const part of spec.split(",")) {
    const colon = part.indexOf(":");
    if (colon === -1) return undefined;
    const steps = readRelaxedPath(part.slice(colon + 1));
    const header = part.slice(0, colon);
    if (steps === undefined || !PRINTABLE.test(header)) return undefined;
    columns.push({ header, steps });
  }
  return columns.length === 0 ? undefined : columns;
}

/** Printable ASCII without a tab: a column the tabwriter lays out byte for byte. */
const PRINTABLE = /^[\x20-\x7e]*$/;

class Unprintable extends Error {}

/** The printed rows of `document` (each item of a list, else the object itself). */
export function printCustomColumns(
  columns: readonly Column[],
  document: unknown,
  noHeaders: boolean,
): string | undefined {
  const items = (document as { items?: unknown }).items;
  const objects = Array.isArray(items) ? items : [document];
  const rows = objects.map((object) => columnCells(columns, object));
  if (!rows.every((row) => row !== undefined)) return undefined;
  return tabulate(noHeaders ? rows : [headersOf(columns), ...rows]);
}

export const headersOf = (columns: readonly Column[]) => columns.map(({ header }) => header);

/** One object's cells: each column's results joined by commas, `<none>` for none; undefined where not modelled. */
export function columnCells(columns: readonly Column[], object: unknown): string[] | undefined {
  try {
    return columns.map(({ steps }) => {
      const found = allResults(steps, object);
      if (found === undefined) throw new Unprintable();
      return found.length === 0 ? "<none>" : found.map(sprint).join(",");
    });
  } catch (error) {
    if (error instanceof Unprintable) return undefined;
    throw error;
  }
}

/** Go's fmt.Sprint of an unstructured value (go-value.ts), printable ASCII only. */
function sprint(value: unknown): string {
  const text = goValue(value);
  if (text === undefined || !PRINTABLE.test(text)) throw new Unprintable();
  return text;
}
