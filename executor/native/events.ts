/**
 * Owns answering `kubectl events` natively, as kubectl's events command does it: list the events
 * (pages of 500; with `--for TYPE/NAME`, only that object's, by the field selector kubectl writes
 * from the type's kind and version as discovery resolves them), keep the --types asked for, sort
 * them by when they last happened, and print LAST SEEN ("3m (x12 over 40m)"), TYPE, REASON, OBJECT
 * and MESSAGE (a NAMESPACE column first with -A), events at the same time in the order Go's
 * sort.Sort leaves them (go-sort.ts). With -w, as kubectl's watch prints them: every event the
 * watch sends (all there are first, then each new or changed one), in the order they come, each a
 * row flushed alone with the widths remembered from before, the header with the first; deleted
 * ones and other types left out, nothing said when there are none. With -o json or yaml, the same
 * events sorted the same way as the EventList kubectl's typed client gives its printer
 * (typed-event.ts), and with -w each event alone as that printer prints it. Other -o, and a --for
 * kubectl refuses or discovery does not know, run kubectl.
 */

import { humanDuration } from "../../src/models";
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import { type Discovery, isMissing, type Missing, OBJECT_NAME, RESOURCE_ARG } from "./discovery";
import { goJsonInOrder } from "./go-json";
import { goSorted } from "./go-sort";
import { runGoTemplate } from "./go-template";
import { GO_TEMPLATE_OUTPUT, type Node, readGoTemplate } from "./go-template-parse";
import { goYaml } from "./go-yaml";
import { checkEvent, checkEventList, checkWatchEvent, type KubeEvent } from "./kube-types";
import { type FollowSink, type NativeOutput, noOutput } from "./output";
import { serverError } from "./server-error";
import { CELL_TEXT, tabulate } from "./tabwriter";
import { typedEvent, typedEventList } from "./typed-event";
import { watchEvents } from "./watch-events";
import { TABWRITER_CONTROL, yamlDocuments } from "./watch-printers";

const encoder = new TextEncoder();

interface EventsRequest {
  namespace?: string;
  allNamespaces: boolean;
  types: string[];
  noHeaders: boolean;
  /** --for TYPE/NAME: the object whose events are asked for. */
  for?: { type: string; name: string };
  /** -w: the events as the watch sends them, until the follow's bound. */
  watch: boolean;
  /** -o json|yaml|go-template: the EventList as kubectl's typed client hands it to the printer. */
  output?: "json" | "yaml" | "go-template";
  /** -o go-template=TEMPLATE (or template=…): the template as read. */
  goTemplate?: Node[];
}

function readEventsRequest(argv: readonly string[]): EventsRequest | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "events" || parsed.issues.length > 0 || parsed.positionals.length > 0) return undefined;
  const request: EventsRequest = { allNamespaces: false, types: [], noHeaders: false, watch: false };
  const switches = { "all-namespaces": "allNamespaces", "no-headers": "noHeaders", watch: "watch" } as const;
  const seen = new Set<string>();
  for (const { name, value, known } of parsed.flags) {
    if (!known || seen.has(name)) return undefined;
    seen.add(name);
    if (Object.hasOwn(switches, name) && (value === undefined || value === "true" || value === "false")) {
      request[switches[name as keyof typeof switches]] = value !== "false";
    } else if (name === "namespace" && value) request.namespace = value;
    else if (name === "types" && value) request.types = value.split(",");
    else if (name === "output" && (value === "json" || value === "yaml")) request.output = value;
    else if (name === "output" && value && GO_TEMPLATE_OUTPUT.test(value)) {
      request.goTemplate = readGoTemplate(value.replace(GO_TEMPLATE_OUTPUT, ""));
      if (request.goTemplate === undefined) return undefined;
      request.output = "go-template";
    } else if (name === "for" && value) {
      const [type = "", object = "", ...more] = value.split("/");
      if (more.length > 0 || !RESOURCE_ARG.test(type) || !OBJECT_NAME.test(object)) return undefined;
      request.for = { type, name: object };
    } else return undefined;
  }
  return request;
}

function time(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** What kubectl sorts by: the series' last observation, else lastTimestamp, else eventTime. */
export function sortTime(e: KubeEvent): number {
  return (e.series ? time(e.series.lastObservedTime) : (time(e.lastTimestamp) ?? time(e.eventTime))) ?? 0;
}

function since(now: number, at: number | undefined): string {
  return at === undefined ? "<unknown>" : humanDuration(now - at);
}

/** When an event happened as kubectl writes it (describe too): `3m (x12 over 40m)` for one that repeated. */
export function lastSeen(e: KubeEvent, now: number): string {
  const first = e.eventTime ? since(now, time(e.eventTime)) : since(now, time(e.firstTimestamp));
  if (e.series)
    return `${since(now, time(e.series.lastObservedTime))} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(now, time(e.lastTimestamp))} (x${e.count} over ${first})`;
  return first;
}

/**
 * The field selector `--for` makes, AndSelectors' terms in kubectl's order, or that the cluster has
 * no such type; undefined for a type not modelled.
 */
async function forSelector(
  fetch: KubeFetch,
  discovery: Discovery,
  target: { type: string; name: string },
): Promise<string | Missing | undefined> {
  const r = await discovery.resolve(fetch, target.type);
  if (r === undefined || isMissing(r)) return r;
  const apiVersion = r.group === "" ? r.version : `${r.group}/${r.version}`;
  return `involvedObject.kind=${r.kind},involvedObject.apiVersion=${apiVersion},involvedObject.name=${target.name}`;
}

/** One event's row, as kubectl's event printer writes it `now`. */
function rowOf(e: KubeEvent, allNamespaces: boolean, now: number): string[] {
  return [
    ...(allNamespaces ? [e.metadata.namespace ?? ""] : []),
    lastSeen(e, now),
    e.type ?? "",
    e.reason ?? "",
    `${e.involvedObject.kind ?? ""}/${e.involvedObject.name ?? ""}`,
    (e.message ?? "").trim(),
  ];
}

const headerOf = (allNamespaces: boolean) => [
  ...(allNamespaces ? ["NAMESPACE"] : []),
  "LAST SEEN",
  "TYPE",
  "REASON",
  "OBJECT",
  "MESSAGE",
];

const wanted = (request: EventsRequest, e: KubeEvent) =>
  request.types.length === 0 || request.types.some((t) => t.toLowerCase() === (e.type ?? "").toLowerCase());

/**
 * -w: kubectl's watch of the events (with the list's options, limit and all, and no
 * resourceVersion: it sends every event there is first), each kept one printed as it comes.
 */
async function watchEventsOf(
  fetch: KubeFetch,
  request: EventsRequest,
  path: string,
  sink: FollowSink,
): Promise<NativeOutput | undefined> {
  const response = await fetch(path, "application/json");
  if (!response.ok || response.body === null) {
    const error = response.ok ? undefined : await serverError(response);
    return error === undefined ? undefined : { stdout: "", stderr: error, exitCode: 1 };
  }
  const print = request.output === undefined ? rowPrinter(request) : objectPrinter(request);
  for await (const event of watchEvents(response.body, sink.stop)) {
    if (!checkWatchEvent.Check(event)) break;
    if (event.type === "DELETED" || !checkEvent.Check(event.object) || !wanted(request, event.object))
      continue;
    const text = print(event.object);
    // What native reads cannot print as kubectl does ends the command with what came before.
    if (text === undefined) break;
    sink.write("stdout", encoder.encode(text));
  }
  return noOutput();
}

/** Each event's row, flushed alone with the widths remembered, the header with the first. */
function rowPrinter(request: EventsRequest): (e: KubeEvent) => string | undefined {
  const widths: number[] = [];
  let headed = request.noHeaders;
  return (e) => {
    const row = rowOf(e, request.allNamespaces, Date.now());
    if (row.some((cell) => !CELL_TEXT.test(cell))) return undefined;
    const text = tabulate(headed ? [row] : [headerOf(request.allNamespaces), row], widths);
    headed = true;
    return text;
  };
}

/**
 * -o json|yaml|go-template: each event as the typed Event its printer gets, YAML's `---` before
 * every document after the first; text with a tab is not modelled (kubectl's watch writes through a tabwriter).
 */
function objectPrinter(request: EventsRequest): (e: KubeEvent) => string | undefined {
  const separated = yamlDocuments();
  const { output } = request;
  return (e) => {
    const typed = typedEvent(e, { managedFields: output === "go-template" });
    const text = typed && printedAs(typed, request);
    if (text === undefined || TABWRITER_CONTROL.test(text)) return undefined;
    return output === "yaml" ? separated(text) : text;
  };
}

/**
 * A typed Event or EventList as kubectl's printer for -o prints it: JSON, YAML, or through a Go
 * template, which gets the object JSON-encoded and decoded again, as the typed struct writes it.
 */
function printedAs(
  typed: Record<string, unknown>,
  { output, goTemplate }: EventsRequest,
): string | undefined {
  if (output === "json") return goJsonInOrder(typed);
  if (output === "yaml") return goYaml(typed);
  const json = goJsonInOrder(typed);
  return goTemplate && json !== undefined ? runGoTemplate(goTemplate, JSON.parse(json)) : undefined;
}

/** `sink`: where `events -w` writes as the events come; without one, -w is kubectl's. */
export async function nativeEvents(
  argv: readonly string[],
  fetch: KubeFetch,
  discovery: Discovery,
  sink?: FollowSink,
): Promise<NativeOutput | undefined> {
  const request = readEventsRequest(argv);
  if (request === undefined || (request.watch && sink === undefined)) return undefined;
  const fieldSelector = request.for && (await forSelector(fetch, discovery, request.for));
  if (request.for && fieldSelector === undefined) return undefined;
  // kubectl events maps --for's type before it checks --types, and prints the mapper's error as it
  // is, without `error: `.
  if (isMissing(fieldSelector)) return { stdout: "", stderr: `${fieldSelector.missing}\n`, exitCode: 1 };
  if (request.types.some((t) => !["normal", "warning"].includes(t.toLowerCase()))) {
    return { stdout: "", stderr: "error: valid --types are Normal or Warning\n", exitCode: 1 };
  }
  const namespace = request.namespace ?? "default";
  const base = request.allNamespaces
    ? "/api/v1/events"
    : `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
  if (request.watch && sink !== undefined) {
    const query = new URLSearchParams({
      ...(fieldSelector ? { fieldSelector } : {}),
      limit: "500",
      watch: "true",
    });
    return watchEventsOf(fetch, request, `${base}?${query}`, sink);
  }
  const events: KubeEvent[] = [];
  let next: string | undefined;
  for (let page = 0; page === 0 || next !== undefined; page++) {
    if (page >= 1_000) return undefined;
    const query = new URLSearchParams({
      ...(fieldSelector ? { fieldSelector } : {}),
      limit: "500",
      ...(next ? { continue: next } : {}),
    });
    const response = await fetch(`${base}?${query}`, "application/json");
    if (!response.ok) {
      // kubectl events rewords a list's error as the builder does, naming the resource alone.
      const error = await serverError(response, (message) => `Unable to list "events": ${message}`);
      return error === undefined ? undefined : { stdout: "", stderr: error, exitCode: 1 };
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!checkEventList.Check(body)) return undefined;
    events.push(...body.items);
    next = body.metadata?.continue || undefined;
  }
  const kept = events.filter((e) => wanted(request, e));
  if (kept.length === 0) {
    const stderr = request.allNamespaces
      ? "No events found.\n"
      : `No events found in ${namespace} namespace.\n`;
    return { stdout: "", stderr, exitCode: 0 };
  }
  const order = goSorted(
    kept.map((e) => ({ e, key: sortTime(e) })),
    (a, b) => a.key - b.key,
  );
  if (request.output !== undefined) {
    const list = typedEventList(
      order.map(({ e }) => e),
      { managedFields: request.output === "go-template" },
    );
    const stdout = list && printedAs(list, request);
    return stdout === undefined ? undefined : { stdout, stderr: "", exitCode: 0 };
  }
  const now = Date.now();
  const rows = order.map(({ e }) => rowOf(e, request.allNamespaces, now));
  if (rows.some((row) => row.some((cell) => !CELL_TEXT.test(cell)))) return undefined;
  const header = headerOf(request.allNamespaces);
  return { stdout: tabulate(request.noHeaders ? rows : [header, ...rows]), stderr: "", exitCode: 0 };
}
