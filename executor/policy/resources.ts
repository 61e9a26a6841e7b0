/**
 * Owns which resources a command names, and whether any of them is restricted. kubectl reads
 * resource types from positionals in several shapes (`secrets`, `Secret`, `secret/db`,
 * `pods,secrets`, `secrets.v1.`, `secret.`) and always takes the resource as the part before the
 * first dot, lowercased; the restricted check does the same, ignoring the group, so a restricted
 * name is refused under any group spelling (also ones kubectl would reject, like
 * `secrets.v1.core`). Each configured name also covers its singular/plural and, for built-in
 * kinds, its short names (`configmaps` covers `cm`).
 *
 * `all` is not expanded: kubectl's `all` category does not include secrets. `explain`,
 * `auth can-i` and `events --for` name resources too, but only read their schema, ask about
 * permissions or read the events about an object (in the namespace of -n, whatever the object),
 * so they are not checked.
 */
import type { ParsedCommand } from "./parse";

export interface ResourceRef {
  /** The resource part of the type token, lowercased: `secrets.v1.` gives `secrets`. */
  resource: string;
  /** The type as written, for reasons. */
  written: string;
  name?: string;
}

// Short names kubectl's discovery gives the built-in resources, by plural.
const BUILT_IN_SHORT_NAMES: Readonly<Record<string, readonly string[]>> = {
  certificatesigningrequests: ["csr"],
  componentstatuses: ["cs"],
  configmaps: ["cm"],
  cronjobs: ["cj"],
  customresourcedefinitions: ["crd", "crds"],
  daemonsets: ["ds"],
  deployments: ["deploy"],
  endpoints: ["ep"],
  events: ["ev"],
  horizontalpodautoscalers: ["hpa"],
  ingresses: ["ing"],
  limitranges: ["limits"],
  namespaces: ["ns"],
  networkpolicies: ["netpol"],
  nodes: ["no"],
  persistentvolumeclaims: ["pvc"],
  persistentvolumes: ["pv"],
  poddisruptionbudgets: ["pdb"],
  pods: ["po"],
  priorityclasses: ["pc"],
  replicasets: ["rs"],
  replicationcontrollers: ["rc"],
  resourcequotas: ["quota"],
  serviceaccounts: ["sa"],
  services: ["svc"],
  statefulsets: ["sts"],
  storageclasses: ["sc"],
};

/** The resource part kubectl matches on: before the first dot, lowercased. */
function resourcePart(type: string): string {
  const dot = type.indexOf(".");
  return (dot === -1 ? type : type.slice(0, dot)).trim().toLowerCase();
}

/**
 * Every spelling that names the same resource as `entry`. Plural/singular forms are generated
 * generously (`services` also yields `servic`): an extra spelling names nothing real, a missing
 * one would be a bypass.
 */
function spellings(entry: string): string[] {
  const resource = resourcePart(entry);
  const forms = new Set([resource, `${resource}s`, `${resource}es`]);
  if (resource.endsWith("s")) forms.add(resource.slice(0, -1));
  if (resource.endsWith("es")) forms.add(resource.slice(0, -2));
  if (resource.endsWith("ies")) forms.add(`${resource.slice(0, -3)}y`);
  if (resource.endsWith("y")) forms.add(`${resource.slice(0, -1)}ies`);
  for (const form of [...forms]) {
    for (const short of Object.hasOwn(BUILT_IN_SHORT_NAMES, form) ? (BUILT_IN_SHORT_NAMES[form] ?? []) : []) {
      forms.add(short);
    }
  }
  return [...forms];
}

/**
 * Spellings by `restrictedResources` list, made once per policy: the argv check and the gate ask for
 * them on every command and every API request, and making them was the executor's largest cost per
 * command after its log lines.
 */
const spellingsByList = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The set of resource spellings a policy's `restrictedResources` refuses. */
export function restrictedSpellings(entries: readonly string[]): ReadonlySet<string> {
  let forms = spellingsByList.get(entries);
  if (forms === undefined) {
    forms = new Set(entries.flatMap(spellings));
    spellingsByList.set(entries, forms);
  }
  return forms;
}

export const NAMESPACE_SPELLINGS: ReadonlySet<string> = new Set(spellings("namespaces"));

/** `pods,secret/db` → one ref per comma-separated piece, split at the first "/". */
function refsOf(token: string): ResourceRef[] {
  return token.split(",").map((piece) => {
    const slash = piece.indexOf("/");
    const written = slash === -1 ? piece : piece.slice(0, slash);
    const ref: ResourceRef = { resource: resourcePart(written), written };
    if (slash !== -1) ref.name = piece.slice(slash + 1);
    return ref;
  });
}

/**
 * kubectl's resource builder: a first argument without "/" is a type list and the plain
 * arguments after it are names; any argument with "/" is TYPE/NAME. Names matter to the policy
 * only for Namespace objects, so only those are paired with their type (and the refs stay
 * linear in the argument count).
 */
function builderRefs(args: readonly string[]): ResourceRef[] {
  const [first, ...rest] = args;
  if (first === undefined) return [];
  const refs = args.filter((arg) => arg.includes("/")).flatMap(refsOf);
  if (first.includes("/")) return refs;
  const types = refsOf(first);
  refs.push(...types);
  const namespaceType = types.find((ref) => NAMESPACE_SPELLINGS.has(ref.resource));
  if (namespaceType !== undefined) {
    for (const name of rest.filter((arg) => !arg.includes("/"))) refs.push({ ...namespaceType, name });
  }
  return refs;
}

// Commands whose target is a pod name, or TYPE/NAME that resolves to a pod.
const POD_TARGET_COMMANDS = new Set(["attach", "exec", "logs", "port-forward"]);
// Commands that read no resource they name: their positionals are not resources of the cluster, they
// only describe schema or permissions, or (events --for) they read the events about an object.
const NO_RESOURCE_COMMANDS = new Set([
  "api-resources",
  "api-versions",
  "auth",
  "cluster-info",
  "completion",
  "config",
  "cp",
  "events",
  "explain",
  "help",
  "kustomize",
  "options",
  "plugin",
  "proxy",
  "top",
  "version",
]);
const BUILDER_COMMANDS = new Set(["describe", "get", "rollout history", "rollout status"]);

/** The resources a parsed command names, read the way that command reads its arguments. */
export function resourceRefs(parsed: ParsedCommand): ResourceRef[] {
  const { positionals } = parsed;
  if (BUILDER_COMMANDS.has(parsed.path)) return builderRefs(positionals);
  if (POD_TARGET_COMMANDS.has(parsed.verb)) {
    return positionals.filter((arg) => arg.includes("/")).flatMap(refsOf);
  }
  if (NO_RESOURCE_COMMANDS.has(parsed.verb)) return [];
  // The commands only fullAccess runs are not modelled one by one: read every argument (and the
  // subcommand, as in `create secret`) as a possible type list too.
  const everyArgument = [...(parsed.subcommand === undefined ? [] : [parsed.subcommand]), ...positionals];
  return [...builderRefs(positionals), ...everyArgument.flatMap(refsOf)];
}
