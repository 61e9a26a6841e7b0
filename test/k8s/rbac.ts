/**
 * Owns deciding a request against the stand-in's RBAC objects as the API server's RBAC authorizer
 * decides it (plugin/pkg/auth/authorizer/rbac): every ClusterRoleBinding, then the RoleBindings of
 * the request's namespace, whose subjects include the caller, each rule of the role it names
 * matched by verb, API group, resource (`*`, `resource/subresource`, or `*` with the subresource) and name, or
 * by non-resource URL (`*`, or a prefix ending in `*`). The first rule that allows wins, and names
 * its binding as RBAC's reason does; nothing allowing is no opinion, which the API server answers
 * as not allowed, without a reason.
 */
import type { KubeObject } from "./types";

export interface Caller {
  user: string;
  groups: string[];
}

/** What a SelfSubjectAccessReview asks: resourceAttributes or nonResourceAttributes. */
export type Attributes =
  | {
      verb: string;
      namespace?: string;
      group?: string;
      resource?: string;
      subresource?: string;
      name?: string;
    }
  | { verb: string; path: string };

interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}
type Binding = KubeObject & { roleRef?: { kind: string; name: string }; subjects?: Subject[] | null };
type Role = KubeObject & { rules?: Rule[] | null };

const has = (values: string[] | undefined, wanted: string) =>
  values?.some((value) => value === "*" || value === wanted) ?? false;

function names(subject: Subject, caller: Caller): boolean {
  if (subject.kind === "User") return subject.name === caller.user;
  if (subject.kind === "Group") return caller.groups.includes(subject.name);
  return (
    subject.kind === "ServiceAccount" &&
    caller.user === `system:serviceaccount:${subject.namespace}:${subject.name}`
  );
}

function describeSubject(subject: Subject): string {
  return subject.kind === "ServiceAccount"
    ? `ServiceAccount "${subject.name}/${subject.namespace}"`
    : `${subject.kind} "${subject.name}"`;
}

function resourceMatches(rule: Rule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (ruled) =>
      ruled === "*" || ruled === combined || (subresource !== undefined && ruled === `*/${subresource}`),
  );
}

function allows(rule: Rule, asked: Attributes): boolean {
  if (!has(rule.verbs, asked.verb)) return false;
  if ("path" in asked) {
    return (rule.nonResourceURLs ?? []).some(
      (url) =>
        url === "*" || url === asked.path || (url.endsWith("*") && asked.path.startsWith(url.slice(0, -1))),
    );
  }
  if (!has(rule.apiGroups, asked.group ?? "")) return false;
  if (!resourceMatches(rule, asked.resource ?? "", asked.subresource || undefined)) return false;
  const named = rule.resourceNames ?? [];
  return named.length === 0 || (asked.name !== undefined && named.includes(asked.name));
}

/** RBAC's reason when a rule allows; undefined when none does. */
export function authorize(objects: KubeObject[], caller: Caller, asked: Attributes): string | undefined {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const roleOf = (binding: Binding): Role | undefined =>
    of(binding.roleRef?.kind ?? "").find(
      (role) =>
        role.metadata.name === binding.roleRef?.name &&
        (role.kind === "ClusterRole" || role.metadata.namespace === binding.metadata.namespace),
    ) as Role | undefined;
  const namespace = "path" in asked ? undefined : asked.namespace;
  const bindings = [
    ...of("ClusterRoleBinding"),
    ...(namespace ? of("RoleBinding").filter((b) => b.metadata.namespace === namespace) : []),
  ] as Binding[];
  for (const binding of bindings) {
    const subject = (binding.subjects ?? []).find((s) => names(s, caller));
    const role = subject && roleOf(binding);
    if (!subject || !role || !(role.rules ?? []).some((rule) => allows(rule, asked))) continue;
    const where =
      binding.kind === "RoleBinding"
        ? `RoleBinding "${binding.metadata.name}/${binding.metadata.namespace}"`
        : `ClusterRoleBinding "${binding.metadata.name}"`;
    return `RBAC: allowed by ${where} of ${binding.roleRef?.kind} "${role.metadata.name}" to ${describeSubject(subject)}`;
  }
  return undefined;
}
