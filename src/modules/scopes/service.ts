/**
 * Scopes on the server: what a principal may reach is decided here before anything is queued, and
 * what the executor must apply (namespaces, mode, share) is handed to the command as its wire scope.
 * A refusal is 403 SCOPE_DENIED naming the scope in the way. The command check runs the executor's
 * own policy decision on parsed argv, under the scope alone over a cluster that allows everything:
 * a denial there that the unscoped decision does not share is the scope's doing; any other denial is
 * left for the executor's policy to give, with its own reason.
 */
import { DEFAULT_POLICY, decide, type Policy, scopedPolicy } from "../../../executor/policy";
import { type ApiError, forbidden } from "../../http/errors";
import type { CommandScope } from "../../models";
import { globMatches } from "./glob";
import type { Scope, ScopeName } from "./model";

/** The command as asked: what the scope is judged on. */
export interface ScopedRequest {
  command_type: string;
  args: readonly string[];
  namespace?: string;
}

/** A cluster that allows everything, so that only the scope can refuse. */
const ANYTHING: Policy = {
  ...DEFAULT_POLICY,
  mode: "fullAccess",
  acknowledgeFullAccess: true,
  restrictedResources: [],
};

/**
 * Whether the cluster is in scope: its id matches one of the scope's globs, and it carries every label
 * the scope names. `labels` is the cluster's (null: not registered, so it carries none).
 */
export function clusterInScope(
  scope: Scope | null,
  clusterId: string,
  labels: Readonly<Record<string, string>> | null,
): boolean {
  if (scope === null) return true;
  const named = scope.clusters === null || scope.clusters.some((glob) => globMatches(glob, clusterId));
  const wanted = Object.entries(scope.clusterLabels ?? {});
  return named && wanted.every(([key, value]) => labels?.[key] === value);
}

/** The labels a scope check needs to read: none unless the scope names labels. */
export const needsLabels = (scope: Scope | null): boolean =>
  scope?.clusterLabels != null && Object.keys(scope.clusterLabels).length > 0;

export function scopeDenied(
  principal: string,
  scope: ScopeName,
  message: string,
  context: Record<string, unknown>,
): ApiError {
  return forbidden("SCOPE_DENIED", message, { scope, principal, ...context });
}

/** 403 SCOPE_DENIED (scope `clusters`) unless the cluster is in the principal's scope. */
export function requireCluster(
  principal: string,
  scope: Scope | null,
  clusterId: string,
  labels: Readonly<Record<string, string>> | null,
): void {
  if (clusterInScope(scope, clusterId, labels)) return;
  throw scopeDenied(principal, "clusters", `cluster '${clusterId}' is outside the scope of '${principal}'`, {
    cluster_id: clusterId,
  });
}

/**
 * Checks a command against the principal's scope on the cluster, and answers the scope the command
 * carries to the executor (undefined for an unscoped principal, or one scoped by clusters alone).
 */
export function admitCommand(
  principal: string,
  scope: Scope | null,
  clusterId: string,
  labels: Readonly<Record<string, string>> | null,
  request: ScopedRequest,
): CommandScope | undefined {
  requireCluster(principal, scope, clusterId, labels);
  if (scope === null) return undefined;
  const carried: CommandScope = {
    principal,
    ...(scope.namespaces ? { namespaces: scope.namespaces } : {}),
    ...(scope.mode ? { mode: scope.mode } : {}),
    share: scope.share,
  };
  if (scope.namespaces || scope.mode) {
    const decision = decide(scopedPolicy(ANYTHING, carried), request);
    if (!decision.allowed && decide(ANYTHING, request).allowed) {
      const name: ScopeName = decision.code === "NAMESPACE_DENIED" ? "namespaces" : "mode";
      throw scopeDenied(principal, name, `outside the scope of '${principal}': ${decision.reason}`, {
        cluster_id: clusterId,
        denial_code: decision.code,
      });
    }
  }
  return carried;
}
