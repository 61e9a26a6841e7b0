/**
 * Owns deciding a request against the stand-in's RBAC objects as the API server's RBAC authorizer
 * decides it (plugin/pkg/auth/authorizer/rbac): every ClusterRoleBinding, then the RoleBindings of
 * the request's namespace, whose subjects include the caller, each rule of the role it names
 * matched by verb, API group, resource (`*`, `resource/subresource`, or `*` with the subresource) and name, or
 * by non-resource URL (`*`, or a prefix ending in `*`). The first rule that allows wins, and names
 * its binding as RBAC's reason does; nothing allowing is no opinion, which the API server answers
 * as not allowed, without a reason. The rules a caller has in a namespace are listed the same way.
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

/** Each binding naming the caller, the subject that does and its role: cluster bindings first, then the namespace's. */
function grants(objects: KubeObject[], caller: Caller, namespace: string | undefined) {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const roleOf = (binding: Binding): Role | undefined =>
    of(binding.roleRef?.kind ?? "").find(
      (role) =>
        role.metadata.name === binding.roleRef?.name &&
        (role.kind === "ClusterRole" || role.metadata.namespace === binding.metadata.namespace),
    ) as Role | undefined;
  const bindings = [
    ...of("ClusterRoleBinding"),
    ...(namespace ? of("RoleBinding").filter((b) => b.metadata.namespace === namespace) : []),
  ] as Binding[];
  return bindings.flatMap((binding) => {
    const subject = (binding.subjects ?? []).find((s) => names(s, caller));
    const role = subject && roleOf(binding);
    return subject && role ? [{ binding, subject, role }] : [];
  });
}

/** RBAC's reason when a rule allows; undefined when none does. */
export function authorize(objects: KubeObject[], caller: Caller, asked: Attributes): string | undefined {
  const namespace = "path" in asked ? undefined : asked.namespace;
  for (const { binding, subject, role } of grants(objects, caller, namespace)) {
    if (!(role.rules ?? []).some((rule) => allows(rule, asked))) continue;
    const where =
      binding.kind === "RoleBinding"
        ? `RoleBinding "${binding.metadata.name}/${binding.metadata.namespace}"`
        : `ClusterRoleBinding "${binding.metadata.name}"`;
    return `RBAC: allowed by ${where} of ${binding.roleRef?.kind} "${role.metadata.name}" to ${describeSubject(subject)}`;
  }
  return undefined;
}

/** What a SelfSubjectRulesReview answers: every rule granted in the namespace, as RBAC lists them. */
export function rulesFor(objects: KubeObject[], caller: Caller, namespace: string | undefined) {
  const rules = grants(objects, caller, namespace).flatMap(({ role }) => role.rules ?? []);
  return {
    resourceRules: rules
      .filter((rule) => (rule.resources ?? []).length > 0)
      .map(({ verbs = [], apiGroups, resources, resourceNames }) => ({
        verbs,
        ...(apiGroups ? { apiGroups } : {}),
        ...(resources ? { resources } : {}),
        ...(resourceNames ? { resourceNames } : {}),
      })),
    nonResourceRules: rules
      .filter((rule) => (rule.nonResourceURLs ?? []).length > 0)
      .map(({ verbs = [], nonResourceURLs }) => ({ verbs, nonResourceURLs })),
    incomplete: false,
  };
}
