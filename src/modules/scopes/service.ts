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

export function clusterInScope(scope: Scope | null, clusterId: string): boolean {
  return scope?.clusters == null || scope.clusters.some((glob) => globMatches(glob, clusterId));
}

export function scopeDenied(
  principal: string,
  scope: ScopeName,
  message: string,
  context: Record<string, unknown>,
): ApiError {
  return forbidden("SCOPE_DENIED", message, { scope, principal, ...context });
}

/** 403 SCOPE_DENIED (scope `clusters`) unless the cluster is in the principal's scope. */
export function requireCluster(principal: string, scope: Scope | null, clusterId: string): void {
  if (clusterInScope(scope, clusterId)) return;
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
  request: ScopedRequest,
): CommandScope | undefined {
  requireCluster(principal, scope, clusterId);
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
