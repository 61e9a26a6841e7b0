/**
 * Owns which `kubectl get` command lines native reads answer, read from kubectl's own parse of the
 * argv (policy/parse.ts): one lowercase type (`deployment.apps` too, as discovery.ts reads it) and
 * any names (`TYPE NAME…`, or one `TYPE/NAME`, which kubectl prints as `TYPE NAME`), or several
 * types or `all` without names, and only these flags, each written the plain way: -n, -A, -l,
 * --field-selector, -o wide|name|json|yaml, -o jsonpath=TEMPLATE (a template jsonpath-template.ts
 * reads), -o custom-columns=SPEC (custom-columns.ts), --sort-by (a field readSortField reads),
 * --show-labels, -L (again and again), --no-headers, --show-kind, --ignore-not-found, --chunk-size,
 * -w/--watch, --watch-only and --output-watch-events (get-watch.ts says which of them it follows).
 * Anything else (another flag, another repeated one, names with a selector, several TYPE/NAMEs) is
 * not answered here and runs kubectl, so a combination native reads do not know is never printed
 * differently.
 */
import { type ParsedCommand, parseKubectlArgv } from "../policy";
import { type Column, readCustomColumns } from "./custom-columns";
import { PATH_NAME, RESOURCE_ARG } from "./discovery";
import { GO_TEMPLATE_OUTPUT, type Node as GoTemplateNode, readGoTemplate } from "./go-template-parse";
import { readJsonPathTemplate, type TemplateNode } from "./jsonpath-template";
import { readSortField, type SortField } from "./sort-by";

export interface GetRequest {
  /** The type, or several (`pods,svc`), or the category `all`, as given. */
  type: string;
  /** The objects named, in order; none for a list. */
  names: string[];
  namespace?: string;
  allNamespaces: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  output: "table" | "wide" | "name" | "json" | "yaml" | "jsonpath" | "custom-columns" | "go-template";
  /** --sort-by=FIELD, as the path kubectl makes of it. */
  sortBy?: SortField;
  /** -o custom-columns=SPEC: the spec as given, and its columns. */
  customColumns?: { spec: string; columns: Column[] };
  /** -o jsonpath=TEMPLATE: the template as given, and as read. */
  jsonPath?: { template: string; nodes: TemplateNode[] };
  /**
   * -o go-template=TEMPLATE (or template=TEMPLATE, or the template in --template): the -o value as
   * given, and the template as read.
   */
  goTemplate?: { printer: string; nodes: GoTemplateNode[] };
  showLabels: boolean;
  labelColumns: string[];
  noHeaders: boolean;
  /** --show-kind: NAME as `kind.group/name` in a table of one type too. */
  showKind: boolean;
  /** --ignore-not-found: a missing object is no error, and nothing found is said by nothing. */
  ignoreNotFound: boolean;
  /** --chunk-size: a list's page size (500 unless given; 0 reads it whole). */
  chunkSize: number;
  /** -w: print, then follow the changes; --watch-only: follow them alone. */
  watch: "no" | "watch" | "watch-only";
  /** --output-watch-events: a watch prints each object inside its event, `{type, object}`. */
  outputWatchEvents: boolean;
}

/** The boolean flags, by the request field each sets. */
const BOOLEANS: Record<
  string,
  | "allNamespaces"
  | "showLabels"
  | "noHeaders"
  | "showKind"
  | "ignoreNotFound"
  | "outputWatchEvents"
  | "watching"
  | "watchingOnly"
> = {
  "all-namespaces": "allNamespaces",
  "show-labels": "showLabels",
  "no-headers": "noHeaders",
  "show-kind": "showKind",
  "ignore-not-found": "ignoreNotFound",
  watch: "watching",
  "watch-only": "watchingOnly",
  "output-watch-events": "outputWatchEvents",
};
const JSONPATH = "jsonpath=";
const CUSTOM_COLUMNS = "custom-columns=";
const VALUED = new Set([
  "namespace",
  "selector",
  "field-selector",
  "output",
  "label-columns",
  "sort-by",
  "chunk-size",
  "template",
]);
/** Flags kubectl takes again and again, each adding to the last (pflag's string slices). */
const REPEATABLE = new Set(["label-columns"]);

function isOn(value: string | undefined): boolean | undefined {
  if (value === undefined || value === "true") return true;
  return value === "false" ? false : undefined;
}

/** One `TYPE/NAME` as `TYPE NAME`; anything else as given. */
function targetOf(positionals: readonly string[]): readonly string[] {
  const [first] = positionals;
  if (positionals.length !== 1 || first === undefined) return positionals;
  const parts = first.split("/");
  return parts.length === 2 && parts[1] !== "" ? parts : positionals;
}

export function readGetRequest(argv: readonly string[]): GetRequest | undefined {
  const parsed: ParsedCommand = parseKubectlArgv(argv);
  if (parsed.path !== "get" || parsed.issues.length > 0 || parsed.containerCommand !== undefined)
    return undefined;
  const [type, ...names] = targetOf(parsed.positionals);
  if (type === undefined || !names.every((name) => PATH_NAME.test(name))) return undefined;
  const types = type.split(",");
  // Names with several types, or with the category `all`, are kubectl's to answer.
  const several = types.length > 1 || type === "all";
  if (!types.every((t) => RESOURCE_ARG.test(t)) || (several && names.length > 0)) return undefined;
  const switches = { watching: false, watchingOnly: false };
  const request: GetRequest = {
    type,
    names,
    allNamespaces: false,
    output: "table",
    showLabels: false,
    labelColumns: [],
    noHeaders: false,
    showKind: false,
    ignoreNotFound: false,
    chunkSize: 500,
    watch: "no",
    outputWatchEvents: false,
  };
  /** `--template=TEMPLATE`, and an `-o go-template` (or `template`) that names no template of its own. */
  const template: { argument?: string; named?: string } = {};
  const seen = new Set<string>();
  for (const flag of parsed.flags) {
    if (!flag.known || (seen.has(flag.name) && !REPEATABLE.has(flag.name))) return undefined;
    seen.add(flag.name);
    const field = Object.hasOwn(BOOLEANS, flag.name) ? BOOLEANS[flag.name] : undefined;
    if (field !== undefined) {
      const on = isOn(flag.value);
      if (on === undefined) return undefined;
      if (field === "watching" || field === "watchingOnly") switches[field] = on;
      else request[field] = on;
      continue;
    }
    if (!VALUED.has(flag.name) || flag.value === undefined || flag.value === "") return undefined;
    const value = flag.value;
    if (flag.name === "template") template.argument = value;
    else if (flag.name === "output" && (value === "go-template" || value === "template"))
      template.named = value;
    else if (flag.name === "namespace") request.namespace = value;
    else if (flag.name === "selector") request.labelSelector = value;
    else if (flag.name === "field-selector") request.fieldSelector = value;
    else if (flag.name === "label-columns") request.labelColumns.push(...value.split(","));
    else if (flag.name === "chunk-size") {
      if (!/^[0-9]{1,9}$/.test(value)) return undefined;
      request.chunkSize = Number(value);
    } else if (flag.name === "sort-by") {
      request.sortBy = readSortField(value);
      if (request.sortBy === undefined) return undefined;
    } else if (value === "wide" || value === "name" || value === "json" || value === "yaml")
      request.output = value;
    else if (value.startsWith(JSONPATH)) {
      const template = value.slice(JSONPATH.length);
      const nodes = readJsonPathTemplate(template);
      if (nodes === undefined) return undefined;
      request.output = "jsonpath";
      request.jsonPath = { template, nodes };
    } else if (GO_TEMPLATE_OUTPUT.test(value)) {
      const nodes = readGoTemplate(value.replace(GO_TEMPLATE_OUTPUT, ""));
      if (nodes === undefined) return undefined;
      request.output = "go-template";
      request.goTemplate = { printer: value, nodes };
    } else if (value.startsWith(CUSTOM_COLUMNS)) {
      const spec = value.slice(CUSTOM_COLUMNS.length);
      const columns = readCustomColumns(spec);
      if (columns === undefined) return undefined;
      request.output = "custom-columns";
      request.customColumns = { spec, columns };
    } else return undefined;
  }
  if (template.argument !== undefined || template.named !== undefined) {
    // kubectl takes --template with `-o go-template`, or alone (a go-template, for old scripts);
    // beside any other -o, or -o go-template without one, it is kubectl's to answer.
    if (template.argument === undefined || request.output !== "table" || request.showLabels) return undefined;
    const nodes = readGoTemplate(template.argument);
    if (nodes === undefined) return undefined;
    request.output = "go-template";
    request.goTemplate = { printer: template.named ?? "go-template", nodes };
  }
  // --watch-only wins: kubectl watches with either, and prints what it listed only without it.
  request.watch = switches.watchingOnly ? "watch-only" : switches.watching ? "watch" : "no";
  if (request.labelColumns.some((label) => label === "")) return undefined;
  // kubectl refuses names with a selector, in words of its own.
  if (names.length > 0 && (request.labelSelector !== undefined || request.fieldSelector !== undefined))
    return undefined;
  return request;
}
