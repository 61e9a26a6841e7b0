/**
 * What the status page costs its server: GET /admin/status's work (clusters, queue depths, the last
 * minute's commands from the audit trail, the chain check) on a trail of `entries` entries, on SQLite
 * and on Redis. The first overview walks the whole chain (20,000 entries per request at most); the
 * steady state, a refresh every 5 s, reads what was appended since and the newest 5,000 entries.
 * `bun run bench/scenarios/status.ts [ENTRIES]` runs it alone and prints the JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuditTrail } from "../../src/modules/audit/service";
import { createClusterService } from "../../src/modules/clusters/service";
import { createChainWatch } from "../../src/modules/status/chain";
import { createStatusService } from "../../src/modules/status/service";
import { openStore } from "../../src/store";
import { makeAuditRecord } from "../../test/support/fixtures";
import { startRedisServer } from "../../test/support/redis-server";
import { round, type Spread, spread } from "../lib/stats";

export interface StatusFigures {
  store: string;
  entries: number;
  first_overview_ms: number[];
  steady_overview_ms: Spread;
}

const CLUSTERS = 20;
const ROUNDS = 20;

export async function statusCost(storeUrl: string, entries: number): Promise<StatusFigures> {
  const store = await openStore(storeUrl, { redisPrefix: `bench-status-${crypto.randomUUID()}:` });
  const now = Date.now();
  for (let i = 0; i < CLUSTERS; i++) {
    await store.createCluster(`cluster-${i}`, "0".repeat(64), { replace: false, nowMs: now });
  }
  for (let done = 0; done < entries; done += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, entries - done) }, (_, i) =>
      makeAuditRecord({ cluster_id: `cluster-${(done + i) % CLUSTERS}` }),
    );
    await store.appendAudit(batch);
  }
  const audit = createAuditTrail(store);
  const status = createStatusService({
    store,
    clusters: createClusterService(store),
    audit,
    chain: createChainWatch(audit.read, Date.now),
    version: "bench",
  });
  const first: number[] = [];
  // Until the walk reaches the head, each overview checks up to its bound.
  for (;;) {
    const t0 = performance.now();
    const overview = await status.overview(Date.now());
    first.push(round(performance.now() - t0));
    if (overview.audit.chain.state !== "partial") break;
  }
  const steady: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // A few commands between refreshes, as on a busy trail.
    await store.appendAudit(Array.from({ length: 50 }, () => makeAuditRecord()));
    const t0 = performance.now();
    await status.overview(Date.now());
    steady.push(performance.now() - t0);
  }
  await audit.stop();
  await store.close();
  const s = spread(steady);
  return {
    store: storeUrl.split(":")[0] ?? storeUrl,
    entries,
    first_overview_ms: first,
    steady_overview_ms: { min: round(s.min), median: round(s.median), p99: round(s.p99) },
  };
}

if (import.meta.main) {
  const entries = Number(process.argv[2] ?? 50_000);
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-status-"));
  const redis = await startRedisServer();
  try {
    const figures = [
      await statusCost(`sqlite://${join(dir, "status.db")}`, entries),
      await statusCost(redis.url, entries),
    ];
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
