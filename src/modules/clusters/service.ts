/**
 * The cluster registry as clients see it: which clusters exist (have an executor token) and whether
 * their executor is connected. "Connected" needs both a connection that has not closed and a
 * contact within three keepalive periods, so an executor behind a dead proxy drops out on its own.
 */
import { notFound } from "../../http/errors";
import type { ClusterView } from "../../models";
import { type ClusterRecord, nowMs, type Store } from "../../store";
import type { Scope } from "../scopes/model";
import { clusterInScope } from "../scopes/service";

export const PRESENCE_WINDOW_MS = 45_000;

export interface ClusterService {
  /** The clusters in `scope` (every one for an unscoped principal). */
  list(nowMs: number, scope: Scope | null): Promise<ClusterView[]>;
  /** The cluster's record; 404 CLUSTER_NOT_FOUND when no executor token was ever issued for it. */
  require(clusterId: string): Promise<ClusterRecord>;
  /**
   * 404 CLUSTER_NOT_FOUND unless the cluster exists: `require` without the record, answered from
   * memory for a cluster seen to exist within KNOWN_FOR_MS and not revoked since.
   */
  requireExists(clusterId: string): Promise<void>;
  isConnected(record: ClusterRecord, nowMs: number): boolean;
  /** Replaces the cluster's labels; 404 CLUSTER_NOT_FOUND for an unregistered one. */
  setLabels(clusterId: string, labels: Record<string, string>): Promise<void>;
}

/**
 * How long a cluster seen to exist is taken to exist without asking the store again. Every command
 * asks (a round trip to Redis each); a revocation, published to every replica, forgets it at once,
 * so this bounds only what a lost notification costs: for this long, a command for a cluster just
 * deleted is queued and answered 504 EXECUTOR_OFFLINE instead of 404.
 */
export const KNOWN_FOR_MS = 5_000;

export function createClusterService(
  store: Pick<Store, "listClusters" | "getCluster" | "isClusterActive" | "setClusterLabels" | "subscribe">,
): ClusterService {
  /** Clusters seen to exist, with when that stops being trusted. */
  const known = new Map<string, number>();
  store.subscribe((event) => {
    if (event.type === "revoked") known.delete(event.cluster_id);
  });
  const unknown = (clusterId: string) =>
    notFound("CLUSTER_NOT_FOUND", `no cluster '${clusterId}' is registered`, {
      cluster_id: clusterId,
      hint: "an admin registers a cluster by issuing its executor token",
    });
  const isConnected = (record: ClusterRecord, nowMs: number) =>
    record.connected && record.last_seen_ms !== null && nowMs - record.last_seen_ms < PRESENCE_WINDOW_MS;
  return {
    isConnected,
    async list(nowMs, scope) {
      const records = (await store.listClusters()).filter((record) =>
        clusterInScope(scope, record.cluster_id, record.labels),
      );
      return Promise.all(
        records.map(async (record) => ({
          cluster_id: record.cluster_id,
          connected: isConnected(record, nowMs),
          last_seen: record.last_seen_ms === null ? null : new Date(record.last_seen_ms).toISOString(),
          executor_version: record.executor_version,
          transport: record.transport,
          active: await store.isClusterActive(record.cluster_id, nowMs),
          labels: record.labels,
          policy: record.policy,
        })),
      );
    },
    async require(clusterId) {
      const record = await store.getCluster(clusterId);
      if (!record) throw unknown(clusterId);
      return record;
    },
    async requireExists(clusterId) {
      const now = nowMs();
      if ((known.get(clusterId) ?? 0) > now) return;
      if (!(await store.getCluster(clusterId))) {
        known.delete(clusterId);
        throw unknown(clusterId);
      }
      known.set(clusterId, now + KNOWN_FOR_MS);
    },
    async setLabels(clusterId, labels) {
      if (!(await store.setClusterLabels(clusterId, labels))) throw unknown(clusterId);
    },
  };
}
