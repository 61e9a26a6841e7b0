/**
 * Owns how kubectl prints a set of RBAC rules (its util/rbac), as `describe role` and
 * `auth can-i --list` both do: broken down into one verb over one group, resource and name (or one
 * non-resource URL) each, the resource ones merged again per group, resource and name with their
 * verbs in first-seen order, then sorted, stably, by the Go string of each rule (which starts with
 * its verbs); each printed as its resource, URLs, names and verbs.
 */
import type { PolicyRule } from "./describe-types";

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

/** The rules as kubectl prints them: resource (`resource.group/subresource`), URLs, names, verbs. */
export function ruleCells(rules: readonly PolicyRule[]): string[][] {
  const keyed = compact(rules.flatMap(breakdown)).map((r) => ({ r, key: Buffer.from(goString(r)) }));
  // Array.prototype.sort is stable, as sort.Stable is; Go compares the strings' bytes.
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map(({ r }) => [
    resourceGroup(r.resources, r.apiGroups),
    list(r.nonResourceURLs),
    list(r.resourceNames),
    list(r.verbs),
  ]);
}
