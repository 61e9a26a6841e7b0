/**
 * Owns answering `kubectl auth can-i` natively, as kubectl v1.32 does: the type resolved as its REST
 * mapper resolves it (a type the cluster does not serve is warned of and asked about as given), its
 * warnings (a cluster-scoped type asked about in a namespace, a verb it does not know), one
 * SelfSubjectAccessReview POSTed through the gate (which lets self reviews through and nothing else
 * that writes), and `yes`, or `no` with the review's reason and evaluation error, exit 1 for no.
 * `--list` asks a SelfSubjectRulesReview of the namespace and prints its rules.
 */

import type { CanIList, CanIQuestion, CanIRequest } from "./can-i-request";
import type { KubeFetch } from "./client";
import { type Discovery, isMissing } from "./discovery";
import { DEFAULT_NAMESPACE } from "./get";
import { checkRulesStatus } from "./kube-types";
import { failed, type NativeOutput } from "./output";
import { ruleCells } from "./rbac-rules";
import { serverError } from "./server-error";
import { tabulate } from "./tabwriter";

const RESOURCE_VERBS = new Set([
  "get",
  "list",
  "watch",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
  "use",
  "bind",
  "impersonate",
  "*",
  "approve",
  "sign",
  "escalate",
  "attest",
]);
const URL_VERBS = new Set(["get", "put", "post", "head", "options", "delete", "patch", "*"]);
/** Types kubectl asks about without warning that the cluster serves none. */
const NOT_SERVED_ANYWAY = new Set(["users", "groups"]);

const ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
const RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
const head = (kind: string) => ({ kind, apiVersion: "authorization.k8s.io/v1" });

/** The review's attributes and kubectl's warnings before it asks; undefined where not modelled. */
async function attributesOf(
  fetch: KubeFetch,
  discovery: Discovery,
  request: CanIQuestion,
): Promise<{ attributes: Record<string, string>; warnings: string[] } | undefined> {
  const warn = (message: string) => `Warning: ${message}\n\n`;
  if ("url" in request) {
    const warnings = URL_VERBS.has(request.verb) ? [] : [warn(`verb '${request.verb}' is not a known verb`)];
    return { attributes: { verb: request.verb, path: request.url }, warnings };
  }
  const namespace = request.allNamespaces ? "" : (request.namespace ?? DEFAULT_NAMESPACE);
  const warnings: string[] = [];
  let group = "";
  let resource = request.type;
  // Asked about in a namespace, a cluster-scoped type is warned of (unknown types are not).
  let clusterScoped = false;
  if (request.type !== "*") {
    const lower = request.type.toLowerCase();
    const resolved = await discovery.resolve(fetch, lower);
    if (resolved === undefined) return undefined;
    if (isMissing(resolved)) {
      const dot = lower.indexOf(".");
      const [name, inGroup] = dot < 0 ? [lower, ""] : [lower.slice(0, dot), lower.slice(dot + 1)];
      if (!NOT_SERVED_ANYWAY.has(lower)) {
        const where = inGroup === "" ? "" : ` in group '${inGroup}'`;
        warnings.push(warn(`the server doesn't have a resource type '${name}'${where}`));
      }
    } else {
      ({ group, resource } = resolved);
      clusterScoped = !resolved.namespaced;
    }
  }
  if (!request.allNamespaces) {
    if (clusterScoped) {
      const where = group === "" ? "" : ` in group '${group}'`;
      warnings.push(warn(`resource '${resource}' is not namespace scoped${where}`));
    }
    if (!RESOURCE_VERBS.has(request.verb)) warnings.push(warn(`verb '${request.verb}' is not a known verb`));
  }
  const attributes = { namespace, verb: request.verb, group, resource };
  const extra = { subresource: request.subresource ?? "", name: request.name ?? "" };
  const present = Object.entries({ ...attributes, ...extra }).filter(([, value]) => value !== "");
  return { attributes: Object.fromEntries(present), warnings };
}

/** The review's answer, or kubectl's error for the request (undefined where not modelled). */
async function review(
  fetch: KubeFetch,
  path: string,
  body: object,
): Promise<{ status: Record<string, unknown> } | { error: string } | undefined> {
  const response = await fetch(path, "application/json", JSON.stringify(body));
  if (!response.ok) {
    const error = await serverError(response);
    return error === undefined ? undefined : { error };
  }
  const { status } = (await response.json()) as { status?: unknown };
  return status !== null && typeof status === "object"
    ? { status: status as Record<string, unknown> }
    : undefined;
}

async function ask(
  fetch: KubeFetch,
  discovery: Discovery,
  request: CanIQuestion,
): Promise<NativeOutput | undefined> {
  const asked = await attributesOf(fetch, discovery, request);
  if (asked === undefined) return undefined;
  const spec =
    "url" in request ? { nonResourceAttributes: asked.attributes } : { resourceAttributes: asked.attributes };
  const answer = await review(fetch, ACCESS_REVIEWS, { ...head("SelfSubjectAccessReview"), spec });
  const stderr = asked.warnings.join("");
  if (answer === undefined) return undefined;
  if ("error" in answer) return { stdout: "", stderr: stderr + answer.error, exitCode: 1 };
  const { allowed, reason, evaluationError } = answer.status;
  if (allowed !== undefined && typeof allowed !== "boolean") return undefined;
  const told = [reason, evaluationError].filter((part) => typeof part === "string" && part !== "");
  const said = allowed ? "yes\n" : `${["no", ...told].join(" - ")}\n`;
  return { stdout: request.quiet ? "" : said, stderr, exitCode: allowed ? 0 : 1 };
}

/**
 * --list: one SelfSubjectRulesReview of the namespace, its rules printed as kubectl rewrites them
 * (rbac-rules.ts) under kubectl's header, through its tabwriter; a review that says it may be
 * incomplete is warned of, as kubectl warns.
 */
async function list(fetch: KubeFetch, request: CanIList): Promise<NativeOutput | undefined> {
  const namespace = request.namespace ?? DEFAULT_NAMESPACE;
  const answer = await review(fetch, RULES_REVIEWS, {
    ...head("SelfSubjectRulesReview"),
    spec: { namespace },
  });
  if (answer === undefined) return undefined;
  if ("error" in answer) return failed(answer.error);
  if (!checkRulesStatus.Check(answer.status)) return undefined;
  const { resourceRules, nonResourceRules, incomplete, evaluationError } = answer.status;
  const rules = [...(resourceRules ?? []), ...(nonResourceRules ?? [])];
  const header = request.noHeaders ? [] : [["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]];
  const stderr = incomplete ? `Warning: the list may be incomplete: ${evaluationError ?? ""}\n` : "";
  return { stdout: tabulate([...header, ...ruleCells(rules)]), stderr, exitCode: 0 };
}

export async function nativeCanI(
  fetch: KubeFetch,
  discovery: Discovery,
  request: CanIRequest,
): Promise<NativeOutput | undefined> {
  return "list" in request ? list(fetch, request) : ask(fetch, discovery, request);
}
