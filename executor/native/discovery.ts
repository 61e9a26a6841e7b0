/**
 * Owns which resources the cluster serves, read from aggregated discovery (`/api` and `/apis`, as
 * kubectl reads them) and kept in the executor. A type is resolved the way kubectl's REST mapper
 * resolves a plain lowercase name: its plural, singular or a short name, the core group first and
 * then groups in discovery order, each group's preferred (first) version. A name that matches
 * nothing refreshes discovery once, like kubectl; still nothing means "let kubectl say so".
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

function resourcesOf(groups: readonly DiscoveredGroup[]): Map<string, Resource> {
  const byName = new Map<string, Resource>();
  for (const item of groups) {
    const version = item.versions[0];
    if (version === undefined) continue;
    for (const r of version.resources) {
      if (r.responseKind === undefined || !r.verbs?.includes("list")) continue;
      const resource: Resource = {
        group: item.metadata.name ?? "",
        version: version.version,
        resource: r.resource,
        kind: r.responseKind.kind,
        namespaced: r.scope === "Namespaced",
      };
      for (const name of [r.resource, r.singularResource, ...(r.shortNames ?? [])]) {
        if (name && !byName.has(name)) byName.set(name, resource);
      }
    }
  }
  return byName;
}

export type DiscoveredGroup = GroupDiscoveryList["items"][number];

export class Discovery {
  private known: Map<string, Resource> | undefined;

  async resolve(fetch: KubeFetch, name: string): Promise<Resource | undefined> {
    const cached = this.known?.get(name);
    if (cached !== undefined) return cached;
    const groups = await this.groups(fetch);
    if (groups === undefined) return undefined;
    this.known = resourcesOf(groups);
    return this.known.get(name);
  }

  /**
   * The resources of a category (`all`) as kubectl expands it: every version of every group in
   * discovery order, each resource listing the category, at its group's preferred version.
   * Undefined when the cluster names none, or one resource twice (in two versions: kubectl's
   * handling of that is not modelled), or one the preferred version does not serve.
   */
  async category(fetch: KubeFetch, name: string): Promise<Resource[] | undefined> {
    const groups = await this.groups(fetch);
    if (groups === undefined) return undefined;
    const preferred = resourcesOf(
      groups.map((group) => ({ ...group, versions: group.versions.slice(0, 1) })),
    );
    const members: Resource[] = [];
    for (const group of groups) {
      for (const version of group.versions) {
        for (const r of version.resources) {
          if (!r.categories?.includes(name)) continue;
          const resource = [...preferred.values()].find(
            (p) => p.group === (group.metadata.name ?? "") && p.resource === r.resource,
          );
          if (resource === undefined || members.includes(resource)) return undefined;
          members.push(resource);
        }
      }
    }
    return members.length === 0 ? undefined : members;
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
