/**
 * A principal's scope as the server holds it: which clusters (ids or globs, and labels they must
 * carry; null: every cluster),
 * which namespaces, the most it may do, its own request rate and its share of executor slots. An
 * unscoped principal (a `service:key` entry) has no Scope at all.
 */
import type { NamespaceScope, ScopeMode } from "../../models";
import type { RateLimit } from "../../store";

export interface Scope {
  /** Cluster ids or globs; null: every cluster. */
  clusters: readonly string[] | null;
  /** Labels a cluster must carry, every one (as an admin set them); null: any labels. */
  clusterLabels: Readonly<Record<string, string>> | null;
  namespaces: NamespaceScope | null;
  mode: ScopeMode | null;
  /** Its own request rate; undefined: the server's KUBENTLY_RATE_LIMIT; null: unlimited. */
  rateLimit: RateLimit | null | undefined;
  /** Its weight when an executor shares kubectl slots among principals. */
  share: number;
}

/** The scope names SCOPE_DENIED says were in the way. */
export type ScopeName = "clusters" | "namespaces" | "mode";
