/**
 * Owns what the cluster learns about who asked: every forwarded request names Kubently, the
 * caller's service identity and the command id in its User-Agent, and carries the command's
 * correlation id (or its id) as Audit-ID, which the API server writes into its own audit log. With
 * the policy's `impersonate` mapping, requests also carry Impersonate-User/-Group, so RBAC judges
 * the mapped user rather than the executor's service account. Headers kubectl set for itself that
 * would change who is asking (Impersonate-*, Authorization) are never passed on.
 */
import type { Policy } from "../policy";

export interface Caller {
  commandId: string;
  /** The API key's service: authenticated by the server, so it is what the cluster is told. */
  serviceIdentity: string;
  correlationId?: string;
}

export interface Impersonation {
  user: string;
  groups: readonly string[];
}

// Header values are built from these only; anything else in an identity becomes '_'.
const unsafe = /[^A-Za-z0-9._@:/-]/g;

export function userAgent(version: string, caller: Caller, kubectlAgent: string | null): string {
  const service = caller.serviceIdentity.replace(unsafe, "_");
  const via = kubectlAgent ? ` ${kubectlAgent.replace(/[^\x20-\x7e]/g, "_")}` : "";
  return `kubently-executor/${version} (service=${service}; command=${caller.commandId})${via}`;
}

export function auditId(caller: Caller): string {
  return caller.correlationId ?? caller.commandId;
}

/**
 * The impersonation for a caller: undefined when the policy has no mapping (requests go as the
 * executor itself), the mapped user when one matches the service or `*`, and null when the policy
 * maps some services but not this one (the gate then refuses: no silent fall back to its own rights).
 */
export function impersonationFor(policy: Policy, caller: Caller): Impersonation | null | undefined {
  const mapping = policy.impersonate;
  if (mapping === undefined) return undefined;
  const entry = Object.hasOwn(mapping, caller.serviceIdentity)
    ? mapping[caller.serviceIdentity]
    : mapping["*"];
  return entry === undefined ? null : { user: entry.user, groups: entry.groups ?? [] };
}
