/**
 * Owns the namespace rules: which namespaces a policy lets commands reach (allow and deny globs,
 * deny wins), when `--all-namespaces` is refused (whenever the rules restrict anything, since it
 * would reach denied namespaces too), and which namespace a command runs in when it names none.
 * Namespace values must be valid namespace names: kubectl treats `-n ""` as "no namespace",
 * which would silently fall back to the kubeconfig default, and look-alike spellings must not
 * slip past a deny glob.
 */
import type { Policy } from "./schema";

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function isNamespaceName(value: string): boolean {
  return NAMESPACE_NAME.test(value);
}

function globMatches(pattern: string, name: string): boolean {
  // Patterns are validated to [a-z0-9*?-], so only the two wildcards need translating.
  const source = pattern.replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${source}$`).test(name);
}

export function namespaceAllowed(policy: Policy, name: string): boolean {
  if (policy.deniedNamespaces.some((pattern) => globMatches(pattern, name))) return false;
  return policy.allowedNamespaces.some((pattern) => globMatches(pattern, name));
}

/** Whether some namespace is out of reach, so `-A` and an unnamed namespace need care. */
export function namespacesRestricted(policy: Policy): boolean {
  return !policy.allowedNamespaces.includes("*") || policy.deniedNamespaces.length > 0;
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
