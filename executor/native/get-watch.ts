/**
 * Owns `kubectl get -w` and `--watch-only` natively, for one type printed as a table (-o wide,
 * -A, -l, --field-selector, -L, --show-labels, --no-headers) or as objects (-o json, yaml, name,
 * jsonpath, custom-columns; each inside its event with --output-watch-events, but for custom
 * columns): kubectl v1.32's watch. It reads what
 * `get` reads (the list, or the one object named), prints it unless --watch-only, then watches from
 * the list's resourceVersion (a list's watch sends no events for what it listed) or, for one
 * object, from "0" by its name (whose first event repeats the object and is not printed), and
 * prints each change as it comes through one printer made for the whole watch (watch-printers.ts).
 * The watch ending, or an ERROR event, ends the command successfully, as kubectl ignores both.
 * Written to the follow sink as it arrives; anything else (several types, --sort-by, a table of
 * events) is kubectl's.
 */
import type { KubeFetch } from "./client";
import { type Discovery, isMissing, type Resource } from "./discovery";
import { collectionPath, DEFAULT_NAMESPACE, fetchNamed, listPages, resourcesOf, TABLE_ACCEPT } from "./get";
import { asObjects } from "./get-print";
import type { GetRequest } from "./get-request";
import { checkObjectList, checkTable, checkWatchEvent } from "./kube-types";
import { type FollowSink, failed, type NativeOutput, noOutput } from "./output";
import { plainError, serverError } from "./server-error";
import { watchEvents } from "./watch-events";
import {
  ColumnsWatchPrinter,
  type EventType,
  ObjectWatchPrinter,
  TableWatchPrinter,
  type WatchPrinter,
} from "./watch-printers";

const encoder = new TextEncoder();

/** The events kubectl prints; an ERROR ends its watch (and BOOKMARKs, never asked for, are not modelled). */
const isPrinted = (type: string): type is EventType =>
  type === "ADDED" || type === "MODIFIED" || type === "DELETED";

/**
 * A list's items as kubectl's unstructured decoding gives them: an item with neither apiVersion nor
 * kind takes the list's apiVersion and its kind less `List`.
 */
function itemsOf(list: { apiVersion?: unknown; kind?: unknown; items: object[] }): object[] | undefined {
  const { apiVersion, kind } = list;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !kind.endsWith("List")) return undefined;
  return list.items.map((item) =>
    "apiVersion" in item || "kind" in item
      ? item
      : { apiVersion, kind: kind.slice(0, -"List".length), ...item },
  );
}

/** What `get` reads before watching: what to print and where the watch starts, or kubectl's error. */
async function readFirst(
  fetch: KubeFetch,
  r: Resource,
  request: GetRequest,
  namespace: string | undefined,
): Promise<{ printed: unknown[]; query: URLSearchParams } | NativeOutput | undefined> {
  const [name] = request.names;
  if (name !== undefined) {
    const fetched = await fetchNamed(fetch, r, request, namespace, name);
    if (fetched === undefined) return undefined;
    if ("error" in fetched) return failed(fetched.error);
    const query = new URLSearchParams({ fieldSelector: `metadata.name=${name}`, resourceVersion: "0" });
    return { printed: [fetched.body], query };
  }
  const listed = await listPages(fetch, r, request, namespace);
  if (listed === undefined) return undefined;
  if ("error" in listed) return failed(listed.error);
  // A list read in several pages: where kubectl starts its watch then is not modelled.
  const [page, ...more] = listed.pages;
  if (more.length > 0) return undefined;
  const printed = checkTable.Check(page) ? [page] : checkObjectList.Check(page) ? itemsOf(page) : undefined;
  const resourceVersion = (page as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  if (printed === undefined || typeof resourceVersion !== "string" || resourceVersion === "")
    return undefined;
  const query = new URLSearchParams();
  if (request.labelSelector !== undefined) query.set("labelSelector", request.labelSelector);
  if (request.fieldSelector !== undefined) query.set("fieldSelector", request.fieldSelector);
  query.set("resourceVersion", resourceVersion);
  return { printed, query };
}

export async function nativeWatch(
  fetch: KubeFetch,
  discovery: Discovery,
  request: GetRequest,
  sink: FollowSink,
): Promise<NativeOutput | undefined> {
  const objects = asObjects(request);
  if (objects && request.showLabels) return undefined;
  // A table of events has an EVENT column of kubectl's own, custom columns read the event: not modelled.
  if (request.outputWatchEvents && (!objects || request.customColumns)) return undefined;
  if (request.sortBy !== undefined || request.showKind || request.ignoreNotFound) return undefined;
  if (request.names.length > 1) return undefined;
  const named = await resourcesOf(fetch, discovery, request.type);
  if (named === undefined) return undefined;
  if (isMissing(named)) return failed(`error: ${named.missing}\n`);
  // Several types: kubectl refuses to watch them, and is left to say so.
  const [r, ...others] = named.resources;
  if (r === undefined || others.length > 0 || named.several) return undefined;
  if (request.allNamespaces && request.names.length > 0 && r.namespaced) {
    return failed("error: a resource cannot be retrieved by name across all namespaces\n");
  }
  const namespace = request.allNamespaces ? undefined : (request.namespace ?? DEFAULT_NAMESPACE);
  const first = await readFirst(fetch, r, request, namespace);
  if (first === undefined || "exitCode" in first) return first;
  const printer: WatchPrinter = request.customColumns
    ? new ColumnsWatchPrinter(request.customColumns.columns, request.noHeaders)
    : objects
      ? new ObjectWatchPrinter(r, request)
      : new TableWatchPrinter({
          wide: request.output === "wide",
          withNamespace: request.allNamespaces && r.namespaced,
          labelColumns: request.labelColumns,
          showLabels: request.showLabels,
          noHeaders: request.noHeaders,
        });
  const listed = printer.print(first.printed, request.watch !== "watch-only", "ADDED");
  if (listed === undefined) return undefined;
  if (listed !== "") sink.write("stdout", encoder.encode(listed));
  first.query.set("watch", "true");
  const accept = objects ? "application/json" : TABLE_ACCEPT;
  const response = await fetch(`${collectionPath(r, namespace)}?${first.query}`, accept);
  if (!response.ok || response.body === null) {
    const error = response.ok ? undefined : await serverError(response);
    if (error === undefined && listed === "") return undefined;
    return failed(error ?? plainError(response.status, "a watch"));
  }
  // A watch of one object begins with the object again, which kubectl does not print.
  let shown = request.names.length === 0;
  for await (const event of watchEvents(response.body, sink.stop)) {
    if (!checkWatchEvent.Check(event) || !isPrinted(event.type)) break;
    const text = printer.print([event.object], shown, event.type);
    shown = true;
    // What cannot be printed as kubectl prints it ends the command with what was printed before.
    if (text === undefined) break;
    if (text !== "") sink.write("stdout", encoder.encode(text));
  }
  return noOutput();
}
