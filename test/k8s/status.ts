// meta/v1 Status failure responses, worded like the real API server's
// (kubectl prints `Error from server (Reason): message` from these).

import type { ResourceType } from "./resources";

export function jsonResponse(body: unknown, status = 200, contentType = "application/json"): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": contentType } });
}

export function statusError(
  code: number,
  reason: string,
  message: string,
  details?: { name?: string; group?: string; kind?: string },
): Response {
  return jsonResponse(
    {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
    code,
  );
}

/** `pods "x" not found`, `deployments.apps "x" not found`. */
export function notFound(r: ResourceType, name: string): Response {
  const qualified = r.group ? `${r.resource}.${r.group}` : r.resource;
  return statusError(404, "NotFound", `${qualified} "${name}" not found`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.resource,
  });
}

export function pathNotFound(): Response {
  return statusError(404, "NotFound", "the server could not find the requested resource", {});
}

/** What RBAC answers a read-only identity asking for `verb`. */
export function forbidden(
  user: string,
  verb: string,
  r: ResourceType,
  opts: { name?: string; namespace?: string; subresource?: string },
): Response {
  const qualified = r.group ? `${r.resource}.${r.group}` : r.resource;
  const resource = opts.subresource ? `${r.resource}/${opts.subresource}` : r.resource;
  const subject = opts.name ? `${qualified} "${opts.name}"` : qualified;
  const scope = opts.namespace ? ` in the namespace "${opts.namespace}"` : " at the cluster scope";
  return statusError(
    403,
    "Forbidden",
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${r.group}"${scope}`,
    { ...(opts.name ? { name: opts.name } : {}), ...(r.group ? { group: r.group } : {}), kind: r.resource },
  );
}
