/**
 * Owns `kubectl get -w` and `--watch-only` natively, for one type printed as a table (-o wide,
 * -A, -l, --field-selector, -L, --show-labels, --no-headers): kubectl v1.32's watch. It reads what
 * `get` reads (the list, or the one object named), prints it unless --watch-only, then watches from
 * the list's resourceVersion (a list's watch sends no events for what it listed) or, for one
 * object, from "0" by its name (whose first event repeats the object and is not printed: like
 * the list under --watch-only, kubectl's printer takes it without its rows, learning its columns), and
 * prints each change as its Table row comes, a header only where kubectl's printer prints one, each
 * flushed with the widths remembered from before (tabwriter.ts). The watch ending, or an ERROR
 * event, ends the command successfully, as kubectl ignores both. Written to the follow sink as it
 * arrives; anything else is kubectl's.
 */
import type { KubeFetch } from "./client";
import { type Discovery, isMissing, type Resource } from "./discovery";
import { collectionPath, DEFAULT_NAMESPACE, fetchNamed, listPages, resourcesOf, TABLE_ACCEPT } from "./get";
import type { GetRequest } from "./get-request";
import { checkTable, checkWatchEvent, type Table } from "./kube-types";
import { type FollowSink, failed, type NativeOutput, noOutput } from "./output";
import { plainError, serverError } from "./server-error";
import { type TableOptions, tableRows } from "./table-printer";
import { tabulate } from "./tabwriter";
import { watchEvents } from "./watch-events";

const encoder = new TextEncoder();

/**
 * kubectl's human-readable printer across a watch: the columns it last printed and whether it has
 * printed their header, so a table whose columns are the same (or left out, as a watch's events
 * after the first leave them) gets no header again; and the tabwriter's remembered widths.
 */
class WatchPrinter {
  private lastColumns: Table["columnDefinitions"] = [];
  /** lastColumns as JSON: compared with each table's, as Go's DeepEqual compares them. */
  private lastColumnsKey = "[]";
  private printedHeaders = false;
  private readonly widths: number[] = [];

  constructor(private readonly options: TableOptions) {}

  /** The text for these tables, printed one after another and flushed once; undefined where a cell is not modelled. */
  print(tables: readonly Table[]): string | undefined {
    let text = "";
    for (const table of tables) {
      const columns = table.columnDefinitions;
      const same = JSON.stringify(columns) === this.lastColumnsKey;
      const noHeaders = this.options.noHeaders || (this.printedHeaders && (columns.length === 0 || same));
      if (columns.length > 0 && !same) {
        this.lastColumns = columns;
        this.lastColumnsKey = JSON.stringify(columns);
        this.printedHeaders = false;
      }
      if (table.rows.length > 0) this.printedHeaders = true;
      const rows = tableRows([{ ...table, columnDefinitions: this.lastColumns }], {
        ...this.options,
        noHeaders,
      });
      if (rows === undefined) return undefined;
      text += rows.length === 0 ? "" : tabulate(rows, this.widths);
    }
    return text;
  }
}

/** What `get` reads before watching: the tables to print and where the watch starts, or kubectl's error. */
async function readFirst(
  fetch: KubeFetch,
  r: Resource,
  request: GetRequest,
  namespace: string | undefined,
): Promise<{ tables: Table[]; query: URLSearchParams } | NativeOutput | undefined> {
  const [name] = request.names;
  if (name !== undefined) {
    const fetched = await fetchNamed(fetch, r, request, namespace, name);
    if (fetched === undefined) return undefined;
    if ("error" in fetched) return failed(fetched.error);
    if (!checkTable.Check(fetched.body)) return undefined;
    const query = new URLSearchParams({ fieldSelector: `metadata.name=${name}`, resourceVersion: "0" });
    return { tables: [fetched.body], query };
  }
  const listed = await listPages(fetch, r, request, namespace);
  if (listed === undefined) return undefined;
  if ("error" in listed) return failed(listed.error);
  // A list read in several pages: where kubectl starts its watch then is not modelled.
  const [page, ...more] = listed.pages;
  if (more.length > 0 || !checkTable.Check(page)) return undefined;
  const resourceVersion = (page as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  if (typeof resourceVersion !== "string" || resourceVersion === "") return undefined;
  const query = new URLSearchParams();
  if (request.labelSelector !== undefined) query.set("labelSelector", request.labelSelector);
  if (request.fieldSelector !== undefined) query.set("fieldSelector", request.fieldSelector);
  query.set("resourceVersion", resourceVersion);
  return { tables: [page], query };
}

export async function nativeWatch(
  fetch: KubeFetch,
  discovery: Discovery,
  request: GetRequest,
  sink: FollowSink,
): Promise<NativeOutput | undefined> {
  const tableOutput = request.output === "table" || request.output === "wide";
  if (!tableOutput || request.sortBy !== undefined || request.showKind || request.ignoreNotFound)
    return undefined;
  if (request.names.length > 1) return undefined;
  const named = await resourcesOf(fetch, discovery, request.type);
  if (named === undefined) return undefined;
  if (isMissing(named)) return failed(`error: ${named.missing}\n`);
  // Several types: kubectl's own refusal, in its words.
  const [r, ...others] = named.resources;
  if (r === undefined || others.length > 0 || named.several) return undefined;
  if (request.allNamespaces && request.names.length > 0 && r.namespaced) {
    return failed("error: a resource cannot be retrieved by name across all namespaces\n");
  }
  const namespace = request.allNamespaces ? undefined : (request.namespace ?? DEFAULT_NAMESPACE);
  const first = await readFirst(fetch, r, request, namespace);
  if (first === undefined || "exitCode" in first) return first;
  const printer = new WatchPrinter({
    wide: request.output === "wide",
    withNamespace: request.allNamespaces && r.namespaced,
    labelColumns: request.labelColumns,
    showLabels: request.showLabels,
    noHeaders: request.noHeaders,
  });
  // Not printing, kubectl's printer still takes each table without its rows: it learns the columns.
  const unprinted = (table: Table): Table => ({ ...table, rows: [] });
  const listed = printer.print(request.watch === "watch-only" ? first.tables.map(unprinted) : first.tables);
  if (listed === undefined) return undefined;
  if (listed !== "") sink.write("stdout", encoder.encode(listed));
  first.query.set("watch", "true");
  const response = await fetch(`${collectionPath(r, namespace)}?${first.query}`, TABLE_ACCEPT);
  if (!response.ok || response.body === null) {
    const error = response.ok ? undefined : await serverError(response);
    if (error === undefined && listed === "") return undefined;
    return failed(error ?? plainError(response.status, "a watch"));
  }
  // A watch of one object begins with the object again, which kubectl does not print.
  let skip = request.names.length > 0;
  for await (const event of watchEvents(response.body, sink.stop)) {
    if (!checkWatchEvent.Check(event) || event.type === "ERROR" || !checkTable.Check(event.object)) break;
    const text = printer.print([skip ? unprinted(event.object) : event.object]);
    skip = false;
    // What cannot be printed as kubectl prints it ends the command with what was printed before.
    if (text === undefined) break;
    if (text !== "") sink.write("stdout", encoder.encode(text));
  }
  return noOutput();
}
