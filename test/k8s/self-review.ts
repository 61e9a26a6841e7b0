/**
 * Owns the self reviews the stand-in answers, as an API server does for whoever calls: a
 * SelfSubjectAccessReview (`kubectl auth can-i`) and a SelfSubjectRulesReview (`can-i --list`), sent
 * as JSON or as kubectl's protobuf, decided by rbac.ts. The caller is the stand-in's user, a service account (with the groups the API server
 * gives service accounts), or whom the request impersonates (Impersonate-User and
 * Impersonate-Group, which the cluster gate may send).
 */

import { type Message, nested, text, unwrap } from "./protobuf";
import { type Attributes, authorize, type Caller, rulesFor } from "./rbac";
import { jsonResponse, statusError } from "./status";
import type { KubeObject } from "./types";

const KINDS: Record<string, "SelfSubjectAccessReview" | "SelfSubjectRulesReview"> = {
  selfsubjectaccessreviews: "SelfSubjectAccessReview",
  selfsubjectrulesreviews: "SelfSubjectRulesReview",
};

/** The self review a POST to this group, version and resource asks for, if the stand-in answers it. */
export const selfReviewKind = (group: string, version: string, resource: string) =>
  group === "authorization.k8s.io" && version === "v1" && Object.hasOwn(KINDS, resource)
    ? KINDS[resource]
    : undefined;

/** Who the caller is: the stand-in's service account, or whom the request impersonates. */
function callerOf(req: Request, user: string): Caller {
  const impersonated = req.headers.get("impersonate-user");
  if (impersonated !== null) {
    const groups = req.headers.get("impersonate-group")?.split(", ") ?? [];
    const authenticated = groups.includes("system:authenticated") ? [] : ["system:authenticated"];
    return { user: impersonated, groups: [...groups, ...authenticated] };
  }
  const namespace = user.split(":")[2] ?? "";
  return {
    user,
    groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"],
  };
}

const textOf = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** What a review's spec asks as JSON, or undefined when it asks neither (the API server's 422). */
function attributesOf(spec: unknown): Attributes | undefined {
  const { resourceAttributes: r, nonResourceAttributes: n } = (spec ?? {}) as Record<
    string,
    Record<string, unknown>
  >;
  if (n && textOf(n.verb) && textOf(n.path)) return { verb: n.verb as string, path: n.path as string };
  if (!r || !textOf(r.verb)) return undefined;
  return {
    verb: r.verb as string,
    namespace: textOf(r.namespace),
    group: textOf(r.group),
    resource: textOf(r.resource),
    subresource: textOf(r.subresource),
    name: textOf(r.name),
  };
}

const namespaceOf = (spec: unknown) => textOf((spec as { namespace?: unknown } | undefined)?.namespace);

/**
 * The same from protobuf: the spec's resourceAttributes (1) hold namespace 1, verb 2, group 3,
 * resource 5, subresource 6, name 7; its nonResourceAttributes (2) path 1, verb 2. (A rules review's
 * spec holds its namespace in 1.)
 */
function protobufAttributes(spec: Message | undefined): Attributes | undefined {
  const n = nested(spec, 2);
  const verbOf = (m: typeof n) => textOf(text(m, 2));
  if (n && verbOf(n) && textOf(text(n, 1))) return { verb: verbOf(n) as string, path: text(n, 1) as string };
  const r = nested(spec, 1);
  if (!r || !verbOf(r)) return undefined;
  return {
    verb: verbOf(r) as string,
    namespace: textOf(text(r, 1)),
    group: textOf(text(r, 3)),
    resource: textOf(text(r, 5)),
    subresource: textOf(text(r, 6)),
    name: textOf(text(r, 7)),
  };
}

/** The body as a JSON spec, or the protobuf message's spec field (2), in whichever encoding it came. */
async function specIn(
  req: Request,
): Promise<{ json: unknown } | { protobuf: Message | undefined } | undefined> {
  const bytes = new Uint8Array(await req.arrayBuffer());
  try {
    if (req.headers.get("content-type") === "application/vnd.kubernetes.protobuf")
      return { protobuf: nested(unwrap(bytes), 2) };
    return { json: (JSON.parse(new TextDecoder().decode(bytes)) as { spec?: unknown }).spec };
  } catch {
    return undefined;
  }
}

export async function selfReview(
  req: Request,
  kind: "SelfSubjectAccessReview" | "SelfSubjectRulesReview",
  objects: KubeObject[],
  user: string,
): Promise<Response> {
  const head = { kind, apiVersion: "authorization.k8s.io/v1", metadata: { creationTimestamp: null } };
  const spec = await specIn(req);
  const caller = callerOf(req, user);
  if (kind === "SelfSubjectRulesReview") {
    const namespace =
      spec === undefined ? undefined : "json" in spec ? namespaceOf(spec.json) : text(spec.protobuf, 1);
    return jsonResponse(
      { ...head, spec: { namespace }, status: rulesFor(objects, caller, namespace || undefined) },
      201,
    );
  }
  const asked =
    spec === undefined
      ? undefined
      : "json" in spec
        ? attributesOf(spec.json)
        : protobufAttributes(spec.protobuf);
  if (asked === undefined) {
    return statusError(
      422,
      "Invalid",
      `${kind}.authorization.k8s.io "" is invalid: spec: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
    );
  }
  const reason = authorize(objects, caller, asked);
  const status = reason === undefined ? { allowed: false } : { allowed: true, reason };
  const asSpec =
    "path" in asked
      ? { nonResourceAttributes: asked }
      : { resourceAttributes: Object.fromEntries(Object.entries(asked).filter(([, v]) => v !== undefined)) };
  return jsonResponse({ ...head, spec: asSpec, status }, 201);
}
