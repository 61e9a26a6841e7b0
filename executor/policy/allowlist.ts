/**
 * Owns what each mode lets through: which commands (verb, or verb and subcommand) and, for each
 * of them, which flags. A flag is listed only where it does something useful and harmless for
 * that command; anything else kubectl has there (`get -R`, `logs --insecure-skip-tls-verify-backend`,
 * `exec -i`, `port-forward --address`) or does not have is refused, so a flag kubectl adds in a
 * later version stays refused until someone reviews it. fullAccess runs every built-in command
 * and drops these lists: there only the always-forbidden flags and the value checks apply.
 */
import type { Mode } from "./schema";

const READ_ONLY_COMMANDS = [
  "api-resources",
  "api-versions",
  "auth can-i",
  "cluster-info",
  "describe",
  "events",
  "explain",
  "get",
  "logs",
  "rollout history",
  "rollout status",
  "top node",
  "top pod",
  "version",
];

const COMMANDS_BY_MODE: Readonly<Record<Exclude<Mode, "fullAccess">, ReadonlySet<string>>> = {
  readOnly: new Set(READ_ONLY_COMMANDS),
  extendedReadOnly: new Set([...READ_ONLY_COMMANDS, "exec", "port-forward"]),
};

/** Whether `mode` runs the command at `path` ("get", "rollout status"); the verb is known to be built in. */
export function commandAllowed(mode: Mode, path: string): boolean {
  return mode === "fullAccess" || COMMANDS_BY_MODE[mode].has(path);
}

/** The commands `mode` runs, for reasons that tell the agent what it may use instead. */
export function allowedCommands(mode: Exclude<Mode, "fullAccess">): string[] {
  return [...COMMANDS_BY_MODE[mode]];
}

// Harmless on every command: scope, verbosity (capped separately), timeouts, help and strictness.
const GLOBAL_ALLOWED = [
  "disable-compression",
  "help",
  "match-server-version",
  "namespace",
  "request-timeout",
  "v",
  "warnings-as-errors",
];

const TEMPLATE_OUTPUT = ["allow-missing-template-keys", "output", "show-managed-fields", "template"];

const LOCAL_ALLOWED: Readonly<Record<string, readonly string[]>> = {
  "api-resources": [
    "api-group",
    "cached",
    "categories",
    "namespaced",
    "no-headers",
    "output",
    "sort-by",
    "verbs",
  ],
  "api-versions": [],
  "auth can-i": ["all-namespaces", "list", "no-headers", "quiet", "subresource"],
  "cluster-info": [],
  describe: ["all-namespaces", "chunk-size", "selector", "show-events"],
  events: [...TEMPLATE_OUTPUT, "all-namespaces", "chunk-size", "for", "no-headers", "types", "watch"],
  exec: ["container", "pod-running-timeout", "quiet"],
  explain: ["api-version", "output", "recursive"],
  get: [
    ...TEMPLATE_OUTPUT,
    "all-namespaces",
    "chunk-size",
    "field-selector",
    "ignore-not-found",
    "label-columns",
    "no-headers",
    "output-watch-events",
    "selector",
    "server-print",
    "show-kind",
    "show-labels",
    "sort-by",
    "subresource",
    "watch",
    "watch-only",
  ],
  logs: [
    "all-containers",
    "all-pods",
    "container",
    "follow",
    "ignore-errors",
    "limit-bytes",
    "max-log-requests",
    "pod-running-timeout",
    "prefix",
    "previous",
    "selector",
    "since",
    "since-time",
    "tail",
    "timestamps",
  ],
  "port-forward": ["pod-running-timeout"],
  "rollout history": [...TEMPLATE_OUTPUT, "revision", "selector"],
  "rollout status": ["revision", "selector", "timeout", "watch"],
  "top node": ["no-headers", "selector", "show-capacity", "sort-by", "use-protocol-buffers"],
  "top pod": [
    "all-namespaces",
    "containers",
    "field-selector",
    "no-headers",
    "selector",
    "sort-by",
    "sum",
    "use-protocol-buffers",
  ],
  version: ["client", "output"],
};

const ALLOWED_FLAGS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(LOCAL_ALLOWED).map(([path, local]) => [path, new Set([...GLOBAL_ALLOWED, ...local])]),
);

/** Whether a flag (by canonical name) may be given to the command at `path` outside fullAccess. */
export function flagAllowed(path: string, name: string): boolean {
  return ALLOWED_FLAGS.get(path)?.has(name) ?? false;
}

/** Commands that take no positional arguments; kubectl would ignore them, the policy refuses them. */
export const NO_POSITIONALS: ReadonlySet<string> = new Set([
  "api-resources",
  "api-versions",
  "cluster-info",
  "events",
  "version",
]);
