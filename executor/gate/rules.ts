/**
 * Owns the gate's decision on one Kubernetes API request, made on its parsed parts (request.ts)
 * and the cluster's policy, in this order: the path is one the gate knows, the method is a read
 * (or a self-review POST that `auth can-i` makes; any method in acknowledged fullAccess), the
 * subresource is a read, the resource is not restricted, and the namespace is allowed (by the
 * cluster's policy and, for a scoped principal's command, by its scope too). A cluster-wide list or
 * watch under rules that restrict namespaces is allowed but filtered: only the allowed namespaces'
 * items come back (filter.ts). Refusal rules are a closed list.
 */
import type { DenyCode, Policy } from "../policy";
import { namespaceRefusal, namespacesRestricted } from "../policy/namespaces";
import { restrictedSpellings } from "../policy/resources";
import type { ApiRequest, ResourceRequest } from "./request";

/** Why the gate refused a request; stable, so the result and audit trail can name it. */
export const GATE_RULES = [
  "METHOD_NOT_ALLOWED",
  "PATH_NOT_ALLOWED",
  "RESOURCE_RESTRICTED",
  "SUBRESOURCE_NOT_ALLOWED",
  "NAMESPACE_DENIED",
] as const;
export type GateRule = (typeof GATE_RULES)[number];

/** The result's denial code when the gate refused any request of a command. */
export const API_REQUEST_DENIED: DenyCode = "API_REQUEST_DENIED";

/** How an allowed response must be filtered before kubectl sees it. */
export type Filter = "none" | "items-by-namespace" | "namespaces-by-name";

export type GateDecision =
  | { allowed: true; filter: Filter }
  | { allowed: false; rule: GateRule; message: string };

// Subresources that only read their object. exec, attach, portforward and proxy open a channel into
// the cluster, token mints credentials, eviction deletes: none of them is a read, whatever the verb.
const READ_SUBRESOURCES = new Set(["log", "status", "scale", "ephemeralcontainers", "resize"]);

// What `kubectl auth can-i` and `auth whoami` POST: they ask about the caller and change nothing.
const SELF_REVIEWS = new Set([
  "authorization.k8s.io/selfsubjectaccessreviews",
  "authorization.k8s.io/selfsubjectrulesreviews",
  "authentication.k8s.io/selfsubjectreviews",
]);

const allow = (filter: Filter = "none"): GateDecision => ({ allowed: true, filter });
const refuse = (rule: GateRule, message: string): GateDecision => ({ allowed: false, rule, message });

function isSelfReview(request: ResourceRequest): boolean {
  return (
    request.method === "POST" &&
    request.namespace === undefined &&
    request.name === undefined &&
    !request.watch &&
    SELF_REVIEWS.has(`${request.group}/${request.resource}`)
  );
}

/**
 * Whether a resource (a plural, from a URL) is restricted. Like the argv layer, an entry covers its
 * resource in every group and version (`sealedsecrets.bitnami.com` covers any `sealedsecrets`):
 * a look-alike in another group is refused too, never the other way round.
 */
export function isRestricted(policy: Policy, resource: string): boolean {
  return restrictedSpellings(policy.restrictedResources).has(resource);
}

function checkMethod(policy: Policy, request: ApiRequest): GateDecision | undefined {
  if (request.method === "GET") return undefined;
  if (policy.mode === "fullAccess" && policy.acknowledgeFullAccess) return undefined;
  if (request.kind === "resource" && isSelfReview(request)) return undefined;
  return refuse(
    "METHOD_NOT_ALLOWED",
    `${request.method} is not a read; the cluster's policy allows reads only`,
  );
}

function qualified(request: ResourceRequest): string {
  return request.group === "" ? request.resource : `${request.resource}.${request.group}`;
}

function checkResource(policy: Policy, request: ResourceRequest): GateDecision {
  if (request.subresource !== undefined && !READ_SUBRESOURCES.has(request.subresource)) {
    return refuse(
      "SUBRESOURCE_NOT_ALLOWED",
      `the ${request.subresource} subresource of ${qualified(request)} is not a read`,
    );
  }
  if (isRestricted(policy, request.resource)) {
    return refuse("RESOURCE_RESTRICTED", `${qualified(request)} is restricted by the cluster's policy`);
  }
  const namespaceObject = request.group === "" && request.resource === "namespaces";
  const reached = namespaceObject ? request.name : request.namespace;
  const refusedBy = reached === undefined ? undefined : namespaceRefusal(policy, reached);
  if (refusedBy !== undefined) {
    const by = refusedBy === "the policy" ? "the cluster's policy" : refusedBy;
    return refuse("NAMESPACE_DENIED", `namespace "${reached}" is not allowed by ${by}`);
  }
  if (reached === undefined && request.collection && namespacesRestricted(policy)) {
    return allow(namespaceObject ? "namespaces-by-name" : "items-by-namespace");
  }
  return allow();
}

/** The gate's decision on one request. */
export function decideRequest(policy: Policy, request: ApiRequest): GateDecision {
  const method = checkMethod(policy, request);
  if (method !== undefined) return method;
  switch (request.kind) {
    case "version":
    case "discovery":
    case "openapi":
      return allow();
    case "resource":
      return checkResource(policy, request);
    default:
      return refuse("PATH_NOT_ALLOWED", `${request.path.split("?")[0]} is not a Kubernetes resource path`);
  }
}
