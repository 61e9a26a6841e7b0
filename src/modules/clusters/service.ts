/**
 * The cluster registry as clients see it: which clusters exist (have an executor token) and whether
 * their executor is connected. "Connected" needs both a connection that has not closed and a
 * contact within three keepalive periods, so an executor behind a dead proxy drops out on its own.
 */
import { notFound } from "../../http/errors";
import type { ClusterView } from "../../models";
import type { ClusterRecord, Store } from "../../store";
import type { Scope } from "../scopes/model";
import { clusterInScope } from "../scopes/service";

export const PRESENCE_WINDOW_MS = 45_000;

export interface ClusterService {
  /** The clusters in `scope` (every one for an unscoped principal). */
  list(nowMs: number, scope: Scope | null): Promise<ClusterView[]>;
  /** The cluster's record; 404 CLUSTER_NOT_FOUND when no executor token was ever issued for it. */
  require(clusterId: string): Promise<ClusterRecord>;
  isConnected(record: ClusterRecord, nowMs: number): boolean;
  /** Replaces the cluster's labels; 404 CLUSTER_NOT_FOUND for an unregistered one. */
  setLabels(clusterId: string, labels: Record<string, string>): Promise<void>;
}

export function createClusterService(
  store: Pick<Store, "listClusters" | "getCluster" | "isClusterActive" | "setClusterLabels">,
): ClusterService {
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
    async setLabels(clusterId, labels) {
      if (!(await store.setClusterLabels(clusterId, labels))) throw unknown(clusterId);
    },
  };
}
