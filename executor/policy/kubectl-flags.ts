/**
 * Owns the model of kubectl's flags: for each command, every flag kubectl 1.32 accepts there
 * (`kubectl options`, `kubectl <command> --help`), its one-letter shorthand and whether it takes
 * a value. The parser needs this to split argv exactly as cobra/pflag do: a boolean flag never
 * consumes the next token, and the same letter means different flags per command (`-f` is
 * --filename for get but --follow for logs). Whether a flag is allowed is decided elsewhere
 * (allowlist.ts, forbidden-flags.ts); this file only says what kubectl would understand.
 */

export type FlagKind = "bool" | "value";

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly short?: string;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

const bool: FlagSpec = { kind: "bool" };
const value: FlagSpec = { kind: "value" };
const boolShort = (short: string): FlagSpec => ({ kind: "bool", short });
const valueShort = (short: string): FlagSpec => ({ kind: "value", short });

/** Flags every kubectl command accepts (root persistent flags). */
export const GLOBAL_FLAGS: FlagTable = {
  as: value,
  "as-group": value,
  "as-uid": value,
  "cache-dir": value,
  "certificate-authority": value,
  "client-certificate": value,
  "client-key": value,
  cluster: value,
  context: value,
  "disable-compression": bool,
  help: boolShort("h"),
  "insecure-skip-tls-verify": bool,
  kubeconfig: value,
  // Newer kubectl (1.33+) reads a preferences file that can define aliases and default flags.
  kuberc: value,
  "log-flush-frequency": value,
  "match-server-version": bool,
  namespace: valueShort("n"),
  password: value,
  profile: value,
  "profile-output": value,
  "request-timeout": value,
  server: valueShort("s"),
  "tls-server-name": value,
  token: value,
  user: value,
  username: value,
  v: valueShort("v"),
  vmodule: value,
  "warnings-as-errors": bool,
};

const fileFlags: FlagTable = {
  filename: valueShort("f"),
  kustomize: valueShort("k"),
  recursive: boolShort("R"),
};

const templateFlags: FlagTable = {
  "allow-missing-template-keys": bool,
  output: valueShort("o"),
  "show-managed-fields": bool,
  template: value,
};

/** Local flags of the commands the policy can allow outside fullAccess, keyed by command path. */
const COMMAND_FLAGS: Readonly<Record<string, FlagTable>> = {
  get: {
    ...fileFlags,
    ...templateFlags,
    "all-namespaces": boolShort("A"),
    "chunk-size": value,
    "field-selector": value,
    "ignore-not-found": bool,
    "label-columns": valueShort("L"),
    "no-headers": bool,
    "output-watch-events": bool,
    raw: value,
    selector: valueShort("l"),
    "server-print": bool,
    "show-kind": bool,
    "show-labels": bool,
    "sort-by": value,
    subresource: value,
    watch: boolShort("w"),
    "watch-only": bool,
  },
  describe: {
    ...fileFlags,
    "all-namespaces": boolShort("A"),
    "chunk-size": value,
    selector: valueShort("l"),
    "show-events": bool,
  },
  logs: {
    "all-containers": bool,
    "all-pods": bool,
    container: valueShort("c"),
    follow: boolShort("f"),
    "ignore-errors": bool,
    "insecure-skip-tls-verify-backend": bool,
    "limit-bytes": value,
    "max-log-requests": value,
    "pod-running-timeout": value,
    prefix: bool,
    previous: boolShort("p"),
    selector: valueShort("l"),
    since: value,
    "since-time": value,
    tail: value,
    timestamps: bool,
  },
  "top pod": {
    "all-namespaces": boolShort("A"),
    containers: bool,
    "field-selector": value,
    "no-headers": bool,
    selector: valueShort("l"),
    "sort-by": value,
    sum: bool,
    "use-protocol-buffers": bool,
  },
  "top node": {
    "no-headers": bool,
    selector: valueShort("l"),
    "show-capacity": bool,
    "sort-by": value,
    "use-protocol-buffers": bool,
  },
  events: {
    ...templateFlags,
    "all-namespaces": boolShort("A"),
    "chunk-size": value,
    for: value,
    "no-headers": bool,
    types: value,
    watch: boolShort("w"),
  },
  explain: {
    "api-version": value,
    output: valueShort("o"),
    recursive: bool,
  },
  "api-resources": {
    "api-group": value,
    cached: bool,
    categories: value,
    namespaced: bool,
    "no-headers": bool,
    output: valueShort("o"),
    "sort-by": value,
    verbs: value,
  },
  "api-versions": {},
  version: {
    client: bool,
    output: valueShort("o"),
  },
  "cluster-info": {},
  "cluster-info dump": {
    ...templateFlags,
    "all-namespaces": boolShort("A"),
    namespaces: value,
    "output-directory": value,
    "pod-running-timeout": value,
  },
  "auth can-i": {
    "all-namespaces": boolShort("A"),
    list: bool,
    "no-headers": bool,
    quiet: boolShort("q"),
    subresource: value,
  },
  "rollout history": {
    ...fileFlags,
    ...templateFlags,
    revision: value,
    selector: valueShort("l"),
  },
  "rollout status": {
    ...fileFlags,
    revision: value,
    selector: valueShort("l"),
    timeout: value,
    watch: boolShort("w"),
  },
  exec: {
    container: valueShort("c"),
    filename: valueShort("f"),
    "pod-running-timeout": value,
    quiet: boolShort("q"),
    stdin: boolShort("i"),
    tty: boolShort("t"),
  },
  "port-forward": {
    address: value,
    "pod-running-timeout": value,
  },
};

/**
 * For the commands only fullAccess can run (apply, delete, patch...) the policy keeps no exact
 * table; these are the shorthands those commands share, so that `-f x.yaml` is still read as
 * --filename and `-p '{...}'` as a patch rather than as a run of one-letter flags.
 */
const WRITE_COMMAND_FLAGS: FlagTable = {
  ...fileFlags,
  "all-namespaces": boolShort("A"),
  container: valueShort("c"),
  env: valueShort("e"),
  output: valueShort("o"),
  patch: valueShort("p"),
  quiet: boolShort("q"),
  selector: valueShort("l"),
  stdin: boolShort("i"),
  tty: boolShort("t"),
};

/** The local flags of a command path: its exact table, or the shared write-command shorthands. */
export function localFlagsOf(path: string): FlagTable {
  return (Object.hasOwn(COMMAND_FLAGS, path) ? COMMAND_FLAGS[path] : undefined) ?? WRITE_COMMAND_FLAGS;
}
