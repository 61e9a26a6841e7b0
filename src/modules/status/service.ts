/**
 * What the status page needs in one read that no other route answers: each cluster with its queue
 * depth and its commands of the last minute, and the audit chain's verification state. Counts come
 * from the store and the audit trail, which every replica shares, so any replica answers the same.
 */
import type { AuditPage, AuditQuery, Store } from "../../store";
import type { AuditCounts } from "../audit/service";
import type { ClusterService } from "../clusters/service";
import type { ChainWatch } from "./chain";
import type { StatusOverview } from "./model";

/** The newest audit entries read, at most, to count a minute's commands (about 40 commands/s). */
export const MAX_RATE_SCAN = 5_000;
const RATE_WINDOW_MS = 60_000;
const PAGE_ENTRIES = 1_000;

export interface StatusService {
  overview(nowMs: number): Promise<StatusOverview>;
}

export interface StatusDeps {
  store: Pick<Store, "kind" | "queueDepth">;
  clusters: Pick<ClusterService, "list">;
  audit: { read(query: AuditQuery): Promise<AuditPage>; counts(): AuditCounts };
  chain: ChainWatch;
  version: string;
  /** The newest entries read, at most, to count a minute's commands; default MAX_RATE_SCAN. */
  maxRateScan?: number;
}

export function createStatusService({
  store,
  clusters,
  audit,
  chain,
  version,
  maxRateScan = MAX_RATE_SCAN,
}: StatusDeps): StatusService {
  /**
   * Commands accepted per cluster since `sinceMs`, from the newest `maxRateScan` entries of the trail.
   * `capped` when the oldest entry of that span is itself recent: older ones would count too.
   */
  async function recentCommands(
    sinceMs: number,
  ): Promise<{ counts: Map<string, number>; capped: boolean; head: AuditPage["head"] }> {
    const counts = new Map<string, number>();
    const { head } = await audit.read({ after: 0, limit: 1 });
    const start = Math.max(0, (head?.seq ?? 0) - maxRateScan);
    let capped = false;
    if (start > 0) {
      const [first] = (await audit.read({ after: start - 1, limit: 1 })).entries;
      capped = first !== undefined && Date.parse(first.at) >= sinceMs;
    }
    let after: number | null = start;
    while (after !== null && after < (head?.seq ?? 0)) {
      const page: AuditPage = await audit.read({
        after,
        limit: PAGE_ENTRIES,
        action: "command",
        outcome: "accepted",
        from_ms: sinceMs,
      });
      for (const { cluster_id } of page.entries) counts.set(cluster_id, (counts.get(cluster_id) ?? 0) + 1);
      after = page.next_after;
    }
    return { counts, capped, head };
  }

  return {
    async overview(nowMs) {
      const [listed, recent, check] = await Promise.all([
        clusters.list(nowMs, null),
        recentCommands(nowMs - RATE_WINDOW_MS),
        chain.check(),
      ]);
      const depths = await Promise.all(listed.map(({ cluster_id }) => store.queueDepth(cluster_id)));
      const { appended, failedAppends, dropped, pending } = audit.counts();
      return {
        generated_at: new Date(nowMs).toISOString(),
        version,
        store: store.kind,
        clusters: listed.map((cluster, i) => ({
          ...cluster,
          queue_depth: depths[i] ?? 0,
          commands_last_minute: recent.counts.get(cluster.cluster_id) ?? 0,
          commands_last_minute_capped: recent.capped,
        })),
        audit: {
          head: recent.head,
          chain: check,
          this_replica: { appended, failed_appends: failedAppends, dropped, pending },
        },
      };
    },
  };
}
