/**
 * Owns the policy a command runs under when it carries its principal's scope: the cluster's policy
 * intersected with the scope. The mode is the stricter of the two (a principal never does more than
 * the cluster allows), and the scope's namespace rules are added to the cluster's, never replacing
 * them (namespaces.ts applies both). Without a scope, the cluster's policy object itself.
 */
import type { Mode, NamespaceRules, Policy } from "./schema";

/** What of a command's scope the policy applies (the wire model's CommandScope has this shape). */
export interface PrincipalScope {
  readonly namespaces?: NamespaceRules;
  readonly mode?: Mode;
}

const STRICTNESS: readonly Mode[] = ["readOnly", "extendedReadOnly", "fullAccess"];

function stricter(a: Mode, b: Mode): Mode {
  return STRICTNESS.indexOf(a) <= STRICTNESS.indexOf(b) ? a : b;
}

export function scopedPolicy(policy: Policy, scope: PrincipalScope | undefined): Policy {
  if (scope === undefined || (scope.namespaces === undefined && scope.mode === undefined)) return policy;
  return {
    ...policy,
    mode: scope.mode === undefined ? policy.mode : stricter(policy.mode, scope.mode),
    ...(scope.namespaces ? { principalNamespaces: scope.namespaces } : {}),
  };
}
