/**
 * Owns which resources the cluster serves, read from aggregated discovery (`/api` and `/apis`, as
 * kubectl reads them) and kept in the executor. A type is resolved the way kubectl's REST mapper
 * resolves a plain lowercase name: its plural, singular or a short name, the core group first and
 * then groups in discovery order, each group's preferred (first) version. A name that matches
 * nothing refreshes discovery once, like kubectl; still nothing means "let kubectl say so". A
 * category (`all`) is expanded from the same discovery, refreshed the same way.
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

/** What discovery said, read once: the groups, and each resource by every name it answers to. */
interface Discovered {
  groups: DiscoveredGroup[];
  preferred: Resource[];
  byName: Map<string, Resource>;
}

function discovered(groups: DiscoveredGroup[]): Discovered {
  const resources = preferredResources(groups);
  const byName = new Map<string, Resource>();
  const preferred: Resource[] = [];
  for (const { names, ...resource } of resources) {
    preferred.push(resource);
    for (const name of names) if (name && !byName.has(name)) byName.set(name, resource);
  }
  return { groups, preferred, byName };
}

/**
 * The resources of a category (`all`) as kubectl expands it: every version of every group in
 * discovery order, each resource listing the category, at its group's preferred version.
 * Undefined when the cluster names none, or one resource twice (in two versions: kubectl's
 * handling of that is not modelled), or one the preferred version does not serve.
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
  return members.length === 0 ? undefined : members;
}

export type DiscoveredGroup = GroupDiscoveryList["items"][number];

/** Discovery as the executor keeps it: read once, and again once when a name or category is not found. */
export class Discovery {
  private known: Discovered | undefined;

  async resolve(fetch: KubeFetch, name: string): Promise<Resource | undefined> {
    return this.known?.byName.get(name) ?? (await this.refresh(fetch))?.byName.get(name);
  }

  async category(fetch: KubeFetch, name: string): Promise<Resource[] | undefined> {
    const known = this.known && membersOf(this.known, name);
    if (known) return known;
    const fresh = await this.refresh(fetch);
    return fresh && membersOf(fresh, name);
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
