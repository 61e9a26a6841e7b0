/**
 * Owns how kubectl's printers print across one `get -w`: the printer is made once for the watch,
 * so what it remembers carries from the list to each change. `shown: false` is kubectl's skip
 * printer (the list under --watch-only, the first event of one object's watch): a table goes on
 * without its rows, so the printer still learns its columns, and an object is not handed on at all.
 * Each returns the text to flush, or undefined where kubectl would print something not modelled.
 */
import { type Column, columnCells, headersOf } from "./custom-columns";
import type { Resource } from "./discovery";
import { document, nameOf } from "./get-print";
import type { GetRequest } from "./get-request";
import { goJsonCompact } from "./go-json";
import { checkNamedObject, checkTable, type NamedObject, type Table } from "./kube-types";
import { type TableOptions, tableRows } from "./table-printer";
import { tabulate } from "./tabwriter";

/** A watch event's type; what a list printed before the watch is printed as ADDED. */
export type EventType = "ADDED" | "MODIFIED" | "DELETED";

/**
 * Prints what one flush of kubectl's watch writer holds: a list's objects (printed one after
 * another, then flushed once) or one event's object.
 */
export interface WatchPrinter {
  print(printed: readonly unknown[], shown: boolean, type: EventType): string | undefined;
}

/** A printer whose objects print alone, so a flush of several is each one's text in turn. */
abstract class OneByOne implements WatchPrinter {
  print(printed: readonly unknown[], shown: boolean, type: EventType): string | undefined {
    let text = "";
    for (const one of printed) {
      const more = this.printOne(one, shown, type);
      if (more === undefined) return undefined;
      text += more;
    }
    return text;
  }

  protected abstract printOne(printed: unknown, shown: boolean, type: EventType): string | undefined;
}

/**
 * kubectl's human-readable printer: the columns it last printed and whether it has printed their
 * header, so a table whose columns are the same (or left out, as a watch's events after the first
 * leave them) gets no header again; and the tabwriter's remembered widths.
 */
export class TableWatchPrinter extends OneByOne {
  private lastColumns: Table["columnDefinitions"] = [];
  /** lastColumns as JSON: compared with each table's, as Go's DeepEqual compares them. */
  private lastColumnsKey = "[]";
  private printedHeaders = false;
  private readonly widths: number[] = [];

  constructor(private readonly options: TableOptions) {
    super();
  }

  protected printOne(table: unknown, shown: boolean): string | undefined {
    if (!checkTable.Check(table)) return undefined;
    const columns = table.columnDefinitions;
    const same = JSON.stringify(columns) === this.lastColumnsKey;
    const noHeaders = this.options.noHeaders || (this.printedHeaders && (columns.length === 0 || same));
    if (columns.length > 0 && !same) {
      this.lastColumns = columns;
      this.lastColumnsKey = JSON.stringify(columns);
      this.printedHeaders = false;
    }
    const rows = shown ? table.rows : [];
    if (rows.length > 0) this.printedHeaders = true;
    const lines = tableRows([{ ...table, rows, columnDefinitions: this.lastColumns }], {
      ...this.options,
      noHeaders,
    });
    if (lines === undefined) return undefined;
    return lines.length === 0 ? "" : tabulate(lines, this.widths);
  }
}

/** kubectl's YAML printer across a watch: `---` before every document after its first. */
export function yamlDocuments(): (text: string) => string {
  let printed = 0;
  return (text) => {
    printed += 1;
    return printed > 1 ? `---\n${text}` : text;
  };
}

/** What kubectl's watch writer (a tabwriter) would align rather than pass on as it is. */
export const TABWRITER_CONTROL = /[\t\v\f]/;

/**
 * -o json, yaml, name or jsonpath: each object printed alone (a list's items one by one); kubectl's
 * YAML printer puts `---` before every document after its first. With --output-watch-events each is
 * printed inside its event, `{type, object}`: one compact JSON line (encoding/json's Marshal of
 * metav1.WatchEvent, type first), YAML of both keys sorted, managed fields kept (kubectl's printer
 * leaves them out only of objects, and an event is none); -o name prints the object's name alone.
 */
export class ObjectWatchPrinter extends OneByOne {
  private readonly separated = yamlDocuments();

  constructor(
    private readonly r: Resource,
    private readonly request: GetRequest,
  ) {
    super();
  }

  protected printOne(object: unknown, shown: boolean, type: EventType): string | undefined {
    if (!checkNamedObject.Check(object)) return undefined;
    if (!shown) return "";
    const text = this.text(object, type);
    // kubectl writes through a tabwriter: text without these characters passes through unchanged.
    if (text === undefined || TABWRITER_CONTROL.test(text)) return undefined;
    return this.request.output === "yaml" ? this.separated(text) : text;
  }

  private text(object: NamedObject, type: EventType): string | undefined {
    const { output } = this.request;
    if (output === "name") return `${nameOf(this.r, object.metadata.name)}\n`;
    if (!this.request.outputWatchEvents) return document(object, this.request)?.stdout;
    // An event has no metadata of its own: its object's managed fields stay, in YAML too.
    if (output !== "json") return document({ type, object }, this.request)?.stdout;
    const [typed, printed] = [goJsonCompact(type), goJsonCompact(object)];
    return typed === undefined || printed === undefined
      ? undefined
      : `{"type":${typed},"object":${printed}}\n`;
  }
}

/**
 * -o custom-columns: kubectl's printer writes its header once (the first object it is handed: every
 * object is of one Go type), then a row an object, into the watch's tabwriter, so the rows of one
 * flush align together and each flush with the widths remembered from before.
 */
export class ColumnsWatchPrinter implements WatchPrinter {
  private headed = false;
  private readonly widths: number[] = [];

  constructor(
    private readonly columns: readonly Column[],
    private readonly noHeaders: boolean,
  ) {}

  print(printed: readonly unknown[], shown: boolean): string | undefined {
    if (!shown || printed.length === 0) return "";
    const rows = printed.map((object) => columnCells(this.columns, object));
    if (!rows.every((row) => row !== undefined)) return undefined;
    const header = this.noHeaders || this.headed ? [] : [headersOf(this.columns)];
    this.headed = true;
    return tabulate([...header, ...rows], this.widths);
  }
}
