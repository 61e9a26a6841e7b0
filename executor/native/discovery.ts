/**
 * Owns which resources the cluster serves, read from aggregated discovery (`/api` and `/apis`, as
 * kubectl reads them) and kept in the executor. A type is resolved the way kubectl's REST mapper
 * resolves a plain lowercase name: its plural, singular or a short name, the core group first and
 * then groups in discovery order, each group's preferred (first) version. A name with its group
 * (`deployment.apps`, as `get all` prints it) or its version and group (`deployments.v1.apps`) is
 * read as kubectl's ParseResourceArg reads it, and looked for in that group alone (a version other
 * than the preferred one is left to kubectl). A name that matches
 * nothing refreshes discovery once, like kubectl; still nothing means "let kubectl say so". A
 * category (`all`, or any a resource lists) is expanded from the same discovery, refreshed the same
 * way, and comes before a resource of the same name, as kubectl expands categories first.
 */

import type { KubeFetch } from "./client";
import { checkDiscovery, type GroupDiscoveryList } from "./kube-types";

export interface Resource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

const ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/** A resource argument: a lowercase name, then optionally a version and group or a group, dotted. */
export const RESOURCE_ARG = /^[a-z][a-z0-9-]*(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** An object's name as native reads take one: a lowercase DNS subdomain (what most kinds' names are). */
export const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** The same with colons, which names that are only path segments hold (RBAC's `system:…`). */
export const PATH_NAME = /^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/;

/** A name and the group (and version) it is qualified by. */
export interface ResourceArg {
  name: string;
  group?: string;
  version?: string;
}

/**
 * What kubectl's ParseResourceArg makes of `arg`, in the order its builder tries them: with two
 * dots or more, `name.version.group` first; with one or more, `name.group` (the group is all after
 * the first dot); with none, the name alone.
 */
export function resourceArgs(arg: string): ResourceArg[] {
  const dot = arg.indexOf(".");
  if (dot === -1) return [{ name: arg }];
  const [name, rest] = [arg.slice(0, dot), arg.slice(dot + 1)];
  const second = rest.indexOf(".");
  const grouped = { name, group: rest };
  return second === -1
    ? [grouped]
    : [{ name, version: rest.slice(0, second), group: rest.slice(second + 1) }, grouped];
}

/** Each listable resource at its group's preferred (first) version, in discovery order. */
function preferredResources(
  groups: readonly DiscoveredGroup[],
): (Resource & { names: (string | undefined)[] })[] {
  return groups.flatMap((item) =>
    (item.versions[0]?.resources ?? []).flatMap((r) =>
      r.responseKind === undefined || !r.verbs?.includes("list")
        ? []
        : [
            {
              group: item.metadata.name ?? "",
              version: item.versions[0]?.version ?? "",
              resource: r.resource,
              kind: r.responseKind.kind,
              namespaced: r.scope === "Namespaced",
              names: [r.resource, r.singularResource, ...(r.shortNames ?? [])],
            },
          ],
    ),
  );
}

/**
 * What discovery said, read once: the groups, and each resource by every name it answers to, across
 * groups and within its own (keyed `group/name`).
 */
interface Discovered {
  groups: DiscoveredGroup[];
  preferred: Resource[];
  byName: Map<string, Resource>;
  byGroupName: Map<string, Resource>;
}

function discovered(groups: DiscoveredGroup[]): Discovered {
  const resources = preferredResources(groups);
  const byName = new Map<string, Resource>();
  const byGroupName = new Map<string, Resource>();
  const preferred: Resource[] = [];
  for (const { names, ...resource } of resources) {
    preferred.push(resource);
    for (const name of names) {
      if (!name) continue;
      if (!byName.has(name)) byName.set(name, resource);
      const key = `${resource.group}/${name}`;
      if (!byGroupName.has(key)) byGroupName.set(key, resource);
    }
  }
  return { groups, preferred, byName, byGroupName };
}

/**
 * The resource `arg` names, trying each reading in turn: a version the group does not serve makes
 * `name.version.group` no match, so `name.group` is tried; one it serves decides (a resource at
 * another version than the preferred one is not found here, and kubectl answers).
 */
function find({ groups, byName, byGroupName }: Discovered, arg: string): Resource | undefined {
  for (const { name, group, version } of resourceArgs(arg)) {
    if (group === undefined) return byName.get(name);
    const found = byGroupName.get(`${group}/${name}`);
    if (version === undefined) return found;
    const served = groups.some(
      (g) => (g.metadata.name ?? "") === group && g.versions.some((v) => v.version === version),
    );
    if (served) return found?.version === version ? found : undefined;
  }
  return undefined;
}

/**
 * The resources of a category (`all`, a CRD's `cert-manager`) as kubectl expands it: every version
 * of every group in discovery order, each resource listing the category, at its group's preferred
 * version; none when no resource lists it. Undefined when one resource is listed twice (in two
 * versions: kubectl's handling of that is not modelled), or one the preferred version does not serve.
 */
function membersOf({ groups, preferred }: Discovered, category: string): Resource[] | undefined {
  const members: Resource[] = [];
  for (const group of groups) {
    for (const version of group.versions) {
      for (const r of version.resources) {
        if (!r.categories?.includes(category)) continue;
        const resource = preferred.find(
          (p) => p.group === (group.metadata.name ?? "") && p.resource === r.resource,
        );
        if (resource === undefined || members.includes(resource)) return undefined;
        members.push(resource);
      }
    }
  }
  return members;
}

/**
 * Whether no resource of any group or version answers to `name` (its plural, singular, kind or a
 * short name, as kubectl's mapper matches a lowercase name), resources that cannot be listed too.
 */
function namesNothing({ groups }: Discovered, name: string): boolean {
  return !groups.some((group) =>
    group.versions.some((version) =>
      version.resources.some(
        (r) =>
          r.resource === name ||
          r.singularResource === name ||
          r.responseKind?.kind.toLowerCase() === name ||
          r.shortNames?.includes(name),
      ),
    ),
  );
}

/**
 * What one type names in `known`: kubectl's builder expands a category before it maps a type, so
 * a category's members come first, then the resource. A type whose name (before any dot) no
 * resource answers to is missing, as kubectl says: "the server doesn't have a resource type".
 * Undefined where it is not modelled (a resource at a version other than the preferred one).
 */
function lookUp(known: Discovered, arg: string): Named | Missing | undefined {
  const members = membersOf(known, arg);
  if (members === undefined) return undefined;
  if (members.length > 0) return { category: true, resources: members };
  const found = find(known, arg);
  if (found !== undefined) return { category: false, resources: [found] };
  const [name = arg] = arg.split(".", 1);
  return namesNothing(known, name)
    ? { missing: `the server doesn't have a resource type "${name}"` }
    : undefined;
}

/** Every version of every group with a resource `name` answers to. */
function serving(groups: readonly DiscoveredGroup[], name: string): Resource[] {
  return groups.flatMap((item) =>
    item.versions.flatMap((v) =>
      v.resources
        .filter((r) => r.resource === name || r.singularResource === name || r.shortNames?.includes(name))
        .map((r) => ({
          group: item.metadata.name ?? "",
          version: v.version,
          resource: r.resource,
          kind: r.responseKind?.kind ?? "",
          namespaced: r.scope === "Namespaced",
        })),
    ),
  );
}

/** A type as discovery reads it: a category and its members, or one resource. */
export interface Named {
  category: boolean;
  resources: Resource[];
}

/** A type the cluster serves nothing for, with what kubectl says of it (without its `error: `). */
export interface Missing {
  missing: string;
}

export const isMissing = (value: unknown): value is Missing =>
  typeof value === "object" && value !== null && "missing" in value;

export type DiscoveredGroup = GroupDiscoveryList["items"][number];

/** Discovery as the executor keeps it: read once, and again once when a name or category is not found. */
export class Discovery {
  private known: Discovered | undefined;

  /**
   * The one resource a type names, or that it names none even after a refresh; undefined where it
   * names a category (which only `get` expands) or what is not modelled.
   */
  async resolve(fetch: KubeFetch, arg: string): Promise<Resource | Missing | undefined> {
    const named = await this.expand(fetch, arg);
    if (isMissing(named)) return named;
    return named?.category === false ? named.resources[0] : undefined;
  }

  /**
   * What a type names, a category or one resource, or that it names none even after a refresh
   * (kubectl refreshes its discovery once on a miss too); undefined where that is not modelled.
   */
  async expand(fetch: KubeFetch, arg: string): Promise<Named | Missing | undefined> {
    const known = this.known && lookUp(this.known, arg);
    if (known !== undefined && !isMissing(known)) return known;
    const fresh = await this.refresh(fetch);
    return fresh && lookUp(fresh, arg);
  }

  /**
   * Each group and version serving a resource `name` answers to (its plural, singular or a short
   * name), in discovery order, as kubectl's mapper lists them for explain; discovery is read again
   * once when none does. Undefined when discovery cannot be read.
   */
  async servedAs(fetch: KubeFetch, name: string): Promise<Resource[] | undefined> {
    const known = this.known && serving(this.known.groups, name);
    if (known !== undefined && known.length > 0) return known;
    const fresh = await this.refresh(fetch);
    return fresh && serving(fresh.groups, name);
  }

  private async refresh(fetch: KubeFetch): Promise<Discovered | undefined> {
    const groups = await this.groups(fetch);
    if (groups === undefined) return undefined;
    this.known = discovered(groups);
    return this.known;
  }

  /** Every group the cluster serves, read afresh: the core group first, then `/apis` in order. */
  async groups(fetch: KubeFetch): Promise<DiscoveredGroup[] | undefined> {
    const groups: DiscoveredGroup[] = [];
    for (const path of ["/api", "/apis"]) {
      const response = await fetch(path, ACCEPT);
      const body: unknown = response.ok ? await response.json() : undefined;
      if (!checkDiscovery.Check(body)) return undefined;
      groups.push(...body.items);
    }
    return groups;
  }
}
