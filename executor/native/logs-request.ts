/**
 * Owns which `kubectl logs` command lines native reads answer: one target (`NAME` is a pod,
 * `TYPE/NAME` a pod or a workload) or a label selector (`-l`), and only -n, -c, --tail,
 * -p/--previous, --since (a Go duration) or --since-time (RFC 3339), --timestamps, --limit-bytes,
 * --prefix, --all-containers, --ignore-errors, -f/--follow with --max-log-requests, and
 * --pod-running-timeout (which only matters while kubectl waits for a pod). Every other flag runs
 * kubectl.
 */
import { parseKubectlArgv } from "../policy";
import { OBJECT_NAME, RESOURCE_ARG } from "./discovery";

/** What the logs are of: the resource type as written (`pod` for a bare name) and its name, or pods by label. */
export type LogsTarget = { type: string; name: string } | { selector: string };

/** kubectl's --tail for a selector when none is given (its `selectorTail`). */
const SELECTOR_TAIL = 10;
/** kubectl's --max-log-requests when none is given. */
const MAX_LOG_REQUESTS = 5;

export type LogsRequest = LogsTarget & {
  namespace?: string;
  container?: string;
  tailLines?: number;
  previous: boolean;
  sinceSeconds?: number;
  /** --since-time, as kubectl sends it: RFC 3339 in UTC, whole seconds. */
  sinceTime?: string;
  timestamps: boolean;
  /** --ignore-errors: kubectl prints a failed read's error among the logs and goes on. */
  ignoreErrors: boolean;
  limitBytes?: number;
  /** --all-containers: every container of the pod (native reads answer a pod of one). */
  allContainers: boolean;
  /** --prefix: each line led by `[pod/NAME/CONTAINER] `. */
  prefix: boolean;
  /** -f: the reads stay open and print what the containers write until the follow's bound. */
  follow: boolean;
  /** --max-log-requests: how many reads kubectl follows at once (its default, 5). */
  maxLogRequests: number;
};

/** The boolean flags: given alone, or as `=true` or `=false`. */
const SWITCHES = {
  previous: "previous",
  timestamps: "timestamps",
  "all-containers": "allContainers",
  prefix: "prefix",
  "ignore-errors": "ignoreErrors",
  follow: "follow",
} as const;

/** RFC 3339 as kubectl's ParseRFC3339 reads it (with or without fractional seconds). */
const RFC3339 =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/** metav1.Time as a query parameter: UTC, RFC 3339, the fraction of a second dropped. */
function sinceTimeParameter(text: string): string | undefined {
  if (!RFC3339.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : `${new Date(at).toISOString().slice(0, 19)}Z`;
}

const INTEGER = /^-?[0-9]{1,12}$/;
const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration for what people write ("90s", "5m", "1h30m", "1.5h"); else undefined. */
export function goDurationSeconds(text: string): number | undefined {
  if (!/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let ns = 0;
  for (const [, amount, , unit] of text.matchAll(/([0-9]+(\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) {
    ns += Number(amount) * (UNIT_NS[unit as string] ?? Number.NaN);
  }
  return Number.isFinite(ns) ? Math.ceil(ns / 1e9) : undefined;
}

function targetOf(target: string): { type: string; name: string } | undefined {
  const slash = target.indexOf("/");
  const [type, name] = slash === -1 ? ["pod", target] : [target.slice(0, slash), target.slice(slash + 1)];
  return RESOURCE_ARG.test(type) && OBJECT_NAME.test(name) ? { type, name } : undefined;
}

/**
 * The selector as kubectl's builder would send it, or undefined where kubectl would refuse the line
 * or trim it first (a name beside it, an empty or padded selector).
 */
function selectorOf(flags: readonly { name: string; value?: string }[], positionals: readonly string[]) {
  const selector = flags.find((flag) => flag.name === "selector")?.value;
  if (selector === undefined || positionals.length > 0 || selector.trim() !== selector || selector === "")
    return undefined;
  return { selector };
}

export function readLogsRequest(argv: readonly string[]): LogsRequest | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "logs" || parsed.issues.length > 0 || parsed.containerCommand !== undefined)
    return undefined;
  const [written, ...more] = parsed.positionals;
  const target: LogsTarget | undefined = parsed.flags.some((flag) => flag.name === "selector")
    ? selectorOf(parsed.flags, parsed.positionals)
    : written === undefined || more.length > 0
      ? undefined
      : targetOf(written);
  if (target === undefined) return undefined;
  const request: LogsRequest = {
    ...target,
    previous: false,
    timestamps: false,
    allContainers: false,
    prefix: false,
    ignoreErrors: false,
    follow: false,
    maxLogRequests: MAX_LOG_REQUESTS,
  };
  const seen = new Set<string>();
  for (const flag of parsed.flags) {
    if (!flag.known || seen.has(flag.name)) return undefined;
    seen.add(flag.name);
    const { value } = flag;
    if (Object.hasOwn(SWITCHES, flag.name)) {
      if (value !== undefined && value !== "true" && value !== "false") return undefined;
      request[SWITCHES[flag.name as keyof typeof SWITCHES]] = value !== "false";
      continue;
    }
    if (value === undefined || value === "") return undefined;
    if (flag.name === "selector") continue;
    if (flag.name === "namespace") request.namespace = value;
    else if (flag.name === "container") request.container = value;
    else if (flag.name === "tail" && INTEGER.test(value) && Number(value) >= -1) {
      if (Number(value) !== -1) request.tailLines = Number(value);
    } else if (flag.name === "limit-bytes" && INTEGER.test(value) && Number(value) > 0) {
      request.limitBytes = Number(value);
    } else if (flag.name === "since") {
      const seconds = goDurationSeconds(value);
      if (seconds === undefined || seconds <= 0) return undefined;
      request.sinceSeconds = seconds;
    } else if (flag.name === "since-time") {
      const parameter = sinceTimeParameter(value);
      if (parameter === undefined) return undefined;
      request.sinceTime = parameter;
    } else if (flag.name === "max-log-requests") {
      if (!INTEGER.test(value) || Number(value) < 1) return undefined;
      request.maxLogRequests = Number(value);
    } else if (flag.name === "pod-running-timeout") {
      // How long kubectl waits for a workload's pod: one with no pod yet runs kubectl anyway.
      const seconds = goDurationSeconds(value);
      if (seconds === undefined || seconds <= 0) return undefined;
    } else return undefined;
  }
  // kubectl refuses both; that refusal is its own to word.
  if (request.sinceSeconds !== undefined && request.sinceTime !== undefined) return undefined;
  // A selector reads the last 10 lines of each container unless --tail says otherwise (-1 too).
  if ("selector" in request && !seen.has("tail")) request.tailLines = SELECTOR_TAIL;
  return request;
}
