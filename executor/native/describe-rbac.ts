/**
 * Owns what `kubectl describe` prints for the RBAC kinds, as kubectl v1.32's Role, ClusterRole,
 * RoleBinding and ClusterRoleBinding describers write them. A role's rules are printed as kubectl
 * rewrites them (its util/rbac): broken down into one verb over one group, resource and name (or
 * one non-resource URL) each, the resource ones merged again per group, resource and name with
 * their verbs in first-seen order, then sorted, stably, by the Go string of each rule (which starts
 * with its verbs). A binding prints its role and its subjects as they are.
 */
import { annotations, labels, laidOutBy, Writer } from "./describe-parts";
import type { DescribedBinding, DescribedRole, PolicyRule } from "./describe-types";

interface Rule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const rule = (parts: Partial<Rule>): Rule => ({
  verbs: [],
  apiGroups: [],
  resources: [],
  resourceNames: [],
  nonResourceURLs: [],
  ...parts,
});

/** BreakdownRule: one rule per group, resource, verb and name (or none), then per URL and verb. */
function breakdown({ apiGroups = [], resources = [], resourceNames = [], ...rest }: PolicyRule) {
  const verbs = rest.verbs ?? [];
  const out: Rule[] = [];
  for (const group of apiGroups) {
    for (const resource of resources) {
      for (const verb of verbs) {
        const base = { apiGroups: [group], resources: [resource], verbs: [verb] };
        if (resourceNames.length === 0) out.push(rule(base));
        for (const name of resourceNames) out.push(rule({ ...base, resourceNames: [name] }));
      }
    }
  }
  for (const url of rest.nonResourceURLs ?? []) {
    for (const verb of verbs) out.push(rule({ nonResourceURLs: [url], verbs: [verb] }));
  }
  return out;
}

/**
 * CompactRules over broken-down rules: those over one group, resource and name take each other's
 * verbs (first seen first); the URL ones stay as they are, before them.
 */
function compact(rules: Rule[]): Rule[] {
  const kept: Rule[] = [];
  const merged = new Map<string, Rule>();
  for (const r of rules) {
    if (r.nonResourceURLs.length > 0) {
      kept.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups, r.resources, r.resourceNames]);
    const into = merged.get(key);
    if (!into) merged.set(key, { ...r, verbs: [...r.verbs] });
    else for (const verb of r.verbs) if (!into.verbs.includes(verb)) into.verbs.push(verb);
  }
  return [...kept, ...merged.values()];
}

/** Go's %v of a string slice. */
const list = (values: string[]) => `[${values.join(" ")}]`;

/** The generated String() of an rbac/v1 PolicyRule, which SortableRuleSlice orders by. */
const goString = (r: Rule) =>
  `&PolicyRule{Verbs:${list(r.verbs)},APIGroups:${list(r.apiGroups)},Resources:${list(r.resources)},` +
  `ResourceNames:${list(r.resourceNames)},NonResourceURLs:${list(r.nonResourceURLs)},}`;

/** CombineResourceGroup: `resource.group/subresource` of the first of each. */
function resourceGroup([resource]: string[], [group]: string[]): string {
  if (resource === undefined) return "";
  const slash = resource.indexOf("/");
  const [name, sub] =
    slash === -1 ? [resource, undefined] : [resource.slice(0, slash), resource.slice(slash + 1)];
  return `${name}${group ? `.${group}` : ""}${sub !== undefined ? `/${sub}` : ""}`;
}

function role({ metadata, rules }: DescribedRole) {
  const keyed = compact((rules ?? []).flatMap(breakdown)).map((r) => ({ r, key: Buffer.from(goString(r)) }));
  // Array.prototype.sort is stable, as sort.Stable is; Go compares the strings' bytes.
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, "PolicyRule:\n");
  w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
  w.write(1, "---------\t-----------------\t--------------\t-----\n");
  for (const { r } of keyed) {
    const cells = [list(r.nonResourceURLs), list(r.resourceNames), list(r.verbs)];
    w.write(1, `${resourceGroup(r.resources, r.apiGroups)}\t${cells.join("\t")}\n`);
  }
  return w.text;
}

function binding({ metadata, roleRef, subjects = [] }: DescribedBinding) {
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, "Role:\n");
  w.write(1, `Kind:\t${roleRef.kind}\n`);
  w.write(1, `Name:\t${roleRef.name}\n`);
  w.write(0, "Subjects:\n");
  w.write(1, "Kind\tName\tNamespace\n");
  w.write(1, "----\t----\t---------\n");
  for (const s of subjects) w.write(1, `${s.kind}\t${s.name}\t${s.namespace ?? ""}\n`);
  return w.text;
}

/** What kubectl describe prints for a Role or ClusterRole, laid out; undefined where it holds what is not modeled. */
export const describeRole = laidOutBy(role);
/** What kubectl describe prints for a RoleBinding or ClusterRoleBinding, laid out. */
export const describeBinding = laidOutBy(binding);
