/**
 * Owns the namespace rules: which namespaces a policy lets commands reach (allow and deny globs,
 * deny wins; with a principal's scope, its rules too: the intersection), when `--all-namespaces` is
 * refused (whenever the cluster's own rules restrict anything, since it would reach denied
 * namespaces too; a principal's scope alone does not refuse it: the cluster gate filters what it
 * lists), and which namespace a command runs in when it names none.
 * Namespace values must be valid namespace names: kubectl treats `-n ""` as "no namespace",
 * which would silently fall back to the kubeconfig default, and look-alike spellings must not
 * slip past a deny glob.
 */
import type { NamespaceRules, Policy } from "./schema";

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function isNamespaceName(value: string): boolean {
  return NAMESPACE_NAME.test(value);
}

function globMatches(pattern: string, name: string): boolean {
  // Patterns are validated to [a-z0-9*?-], so only the two wildcards need translating.
  const source = pattern.replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${source}$`).test(name);
}

function rulesAllow(rules: NamespaceRules, name: string): boolean {
  if (rules.deny.some((pattern) => globMatches(pattern, name))) return false;
  return rules.allow.some((pattern) => globMatches(pattern, name));
}

const rulesRestrict = (rules: NamespaceRules) => !rules.allow.includes("*") || rules.deny.length > 0;

const clusterRules = (policy: Policy): NamespaceRules => ({
  allow: policy.allowedNamespaces,
  deny: policy.deniedNamespaces,
});

/** Whether both the cluster's policy and the principal's scope (if any) let commands reach `name`. */
export function namespaceAllowed(policy: Policy, name: string): boolean {
  const scoped = policy.principalNamespaces;
  return rulesAllow(clusterRules(policy), name) && (scoped === undefined || rulesAllow(scoped, name));
}

/** What keeps a command from `name`: the cluster's policy, the principal's scope, or nothing. */
export function namespaceRefusal(
  policy: Policy,
  name: string,
): "the policy" | "the caller's scope" | undefined {
  if (!rulesAllow(clusterRules(policy), name)) return "the policy";
  const scoped = policy.principalNamespaces;
  return scoped !== undefined && !rulesAllow(scoped, name) ? "the caller's scope" : undefined;
}

/** Whether some namespace is out of reach, so cluster-wide reads are filtered and an unnamed namespace pinned. */
export function namespacesRestricted(policy: Policy): boolean {
  const scoped = policy.principalNamespaces;
  return rulesRestrict(clusterRules(policy)) || (scoped !== undefined && rulesRestrict(scoped));
}

/** Whether the cluster's own rules restrict namespaces: then `--all-namespaces` is refused outright. */
export function clusterNamespacesRestricted(policy: Policy): boolean {
  return rulesRestrict(clusterRules(policy));
}

// Commands that do not act in a namespace. `cluster-info` reads kube-system unless given -n, so
// pinning one would change what it shows.
const CLUSTER_WIDE_VERBS = new Set([
  "api-resources",
  "api-versions",
  "certificate",
  "cluster-info",
  "completion",
  "config",
  "explain",
  "help",
  "kustomize",
  "options",
  "plugin",
  "proxy",
  "version",
]);

/** Whether a command without a namespace would run in the executor's kubeconfig default one. */
export function actsInNamespace(verb: string): boolean {
  return !CLUSTER_WIDE_VERBS.has(verb);
}

/** `kubectl cp` names pods as `namespace/pod:path`; the namespaces it would reach that way. */
export function cpNamespaces(positionals: readonly string[]): string[] {
  return positionals.flatMap((arg) => {
    const match = /^([^/:]+)\/[^:]*:/.exec(arg);
    return match?.[1] === undefined ? [] : [match[1]];
  });
}
