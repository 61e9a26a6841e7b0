/**
 * The status overview over a real store and the real audit trail: each cluster's queue depth and its
 * commands accepted in the last minute (other actions, outcomes and clusters not counted), and a count
 * that stopped at its scan bound says it is a floor.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { type AuditTrail, createAuditTrail } from "../../src/modules/audit/service";
import { createClusterService } from "../../src/modules/clusters/service";
import { createChainWatch } from "../../src/modules/status/chain";
import { createStatusService } from "../../src/modules/status/service";
import { openStore, type Store } from "../../src/store";
import { makeAuditRecord, makeCommand } from "../support/fixtures";
import { useStores } from "../support/stores";

const stores = useStores("status-service");
let store: Store | undefined;
let audit: AuditTrail | undefined;
afterEach(async () => {
  await audit?.stop();
  await store?.close();
});

describe.each(stores.backends)("status overview on %s", (_, storeUrl) => {
  async function setup(maxRateScan?: number) {
    store = await openStore(storeUrl(), { redisPrefix: `status-${crypto.randomUUID()}:` });
    const trail = createAuditTrail(store);
    audit = trail;
    const now = Date.now();
    for (const id of ["alpha", "beta", "gamma"]) {
      await store.createCluster(id, "0".repeat(64), { replace: false, nowMs: now });
    }
    const service = createStatusService({
      store,
      clusters: createClusterService(store),
      audit: trail,
      chain: createChainWatch(trail.read, Date.now),
      version: "9.9.9",
      maxRateScan,
    });
    return { store, trail, service };
  }

  test("queue depth and the last minute's accepted commands, per cluster", async () => {
    const { store, trail, service } = await setup();
    for (const cluster_id of ["alpha", "alpha", "alpha", "beta"])
      trail.record(makeAuditRecord({ cluster_id }));
    trail.record(makeAuditRecord({ cluster_id: "alpha", outcome: "succeeded" }));
    trail.record(makeAuditRecord({ cluster_id: "beta", action: "token.rotate", outcome: "succeeded" }));
    await store.enqueue(makeCommand("beta"));
    await store.enqueue(makeCommand("beta"));

    const overview = await service.overview(Date.now());
    const byId = Object.fromEntries(overview.clusters.map((cluster) => [cluster.cluster_id, cluster]));
    expect(byId.alpha).toMatchObject({ queue_depth: 0, commands_last_minute: 3, connected: false });
    expect(byId.beta).toMatchObject({ queue_depth: 2, commands_last_minute: 1 });
    expect(byId.gamma).toMatchObject({ queue_depth: 0, commands_last_minute: 0 });
    expect(overview.clusters.every((cluster) => !cluster.commands_last_minute_capped)).toBe(true);
    expect(overview).toMatchObject({ version: "9.9.9", store: store.kind });
    expect(overview.audit.head?.seq).toBe(6);
    expect(overview.audit.chain).toMatchObject({ state: "verified", verified: 6 });
    expect(overview.audit.this_replica).toMatchObject({ appended: 6, dropped: 0, pending: 0 });

    // A minute later none of them is in the window.
    const later = await service.overview(Date.now() + 61_000);
    expect(later.clusters.map((cluster) => cluster.commands_last_minute)).toEqual([0, 0, 0]);
  });

  test("a count that reached its scan bound is marked as a floor", async () => {
    const { trail, service } = await setup(3);
    for (let i = 0; i < 5; i++) trail.record(makeAuditRecord({ cluster_id: "gamma" }));
    const overview = await service.overview(Date.now());
    const gamma = overview.clusters.find((cluster) => cluster.cluster_id === "gamma");
    expect(gamma).toMatchObject({ commands_last_minute: 3, commands_last_minute_capped: true });
    // Past the window, the entry before the scanned ones is old: the (zero) count is whole.
    const later = await service.overview(Date.now() + 61_000);
    expect(later.clusters.every((cluster) => !cluster.commands_last_minute_capped)).toBe(true);
  });
});
