/**
 * Owns printing server-side `Table`s as kubectl's human-readable printer does: the columns kubectl
 * shows (priority 0, or all with `-o wide`), upper-cased headers, a NAMESPACE column first for
 * `-A`, label columns (`-L a/b` is headed B) and LABELS (`k=v` sorted by key, or `<none>`) last,
 * cells as Go's fmt prints them (text beyond ASCII as it is, one column a code point). A cell it
 * cannot be sure of (a control character, a fraction, an object) makes it answer undefined: the
 * command falls back to kubectl.
 */
import type { Table } from "./kube-types";
import { CELL_TEXT, tabulate } from "./tabwriter";

export interface TableOptions {
  wide: boolean;
  withNamespace: boolean;
  labelColumns: readonly string[];
  showLabels: boolean;
  noHeaders: boolean;
}

function cellText(cell: unknown): string | undefined {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return CELL_TEXT.test(cell) ? cell : undefined;
  if (typeof cell === "number") return Number.isSafeInteger(cell) ? String(cell) : undefined;
  if (typeof cell === "boolean") return String(cell);
  return undefined;
}

function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? "<none>" : keys.map((key) => `${key}=${labels?.[key]}`).join(",");
}

/** The rows (header first unless suppressed) of one or more pages of the same Table. */
export function tableRows(pages: readonly Table[], options: TableOptions): string[][] | undefined {
  const [first] = pages;
  if (first === undefined) return undefined;
  const shown = first.columnDefinitions.flatMap((column, index) =>
    options.wide || (column.priority ?? 0) === 0 ? [index] : [],
  );
  const rows: string[][] = [];
  for (const page of pages) {
    for (const row of page.rows) {
      const metadata = row.object?.metadata;
      const cells: string[] = [];
      if (options.withNamespace) cells.push(metadata?.namespace ?? "");
      for (const index of shown) {
        const text = cellText(row.cells[index]);
        if (text === undefined) return undefined;
        cells.push(text);
      }
      for (const key of options.labelColumns) cells.push(metadata?.labels?.[key] ?? "");
      if (options.showLabels) cells.push(metadata ? formatLabels(metadata.labels) : "");
      if ((options.labelColumns.length > 0 || options.showLabels || options.withNamespace) && !metadata) {
        return undefined;
      }
      if (cells.some((cell) => !CELL_TEXT.test(cell))) return undefined;
      rows.push(cells);
    }
  }
  if (rows.length === 0 || options.noHeaders) return rows;
  const header = [
    ...(options.withNamespace ? ["NAMESPACE"] : []),
    ...shown.map((index) => (first.columnDefinitions[index]?.name ?? "").toUpperCase()),
    ...options.labelColumns.map((label) => (label.split("/").at(-1) ?? "").toUpperCase()),
    ...(options.showLabels ? ["LABELS"] : []),
  ];
  return [header, ...rows];
}

export function printTable(pages: readonly Table[], options: TableOptions): string | undefined {
  const rows = tableRows(pages, options);
  return rows === undefined ? undefined : rows.length === 0 ? "" : tabulate(rows);
}
