/**
 * `bun run bench/scenarios/redis-cluster.ts [--quick]`: the Redis store on a Redis Cluster of three
 * primaries and three replicas (node timeout 1 s) started here, beside one Redis. Measures how long
 * calls are refused when a primary is killed (SIGKILL) until its replica takes over, what a resharding
 * under load costs (calls refused and retried, result events not heard while a slot moves and whether
 * a waiter would have looked again after each: see resharding()), and what the
 * whole-store calls that visit all 256 shards cost; and, on one Redis, how long the upgrade from the
 * unsharded layout holds the first open. test/store/redis-cluster.test.ts and redis.test.ts assert
 * only the outcomes; the times are here. Writes bench/results/redis-cluster.json.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Redis from "ioredis";
import { linkAudit } from "../../src/models";
import { openStore, type Store, StoreUnavailableError } from "../../src/store";
import { shardKeys, shardOf } from "../../src/store/redis-scripts";
import { makeAuditRecord, makeCommand, makeSession } from "../../test/support/fixtures";
import { oldAuditXadd } from "../../test/support/old-redis-layout";
import { startRedisCluster } from "../../test/support/redis-cluster";
import { startRedisServer } from "../../test/support/redis-server";
import { Load } from "../../test/support/store-load";
import { round, spread } from "../lib/stats";

const quick = process.argv.includes("--quick");

const ms = (samples: number[]) => {
  const s = spread(samples);
  return { min: round(s.min, 1), median: round(s.median, 1), p99: round(s.p99, 1) };
};

/** A fresh cluster per round: kill the primary of one live shard, retry a write on it every 10 ms. */
async function failover(rounds: number) {
  const gaps: number[] = [];
  const refusals: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const cluster = await startRedisCluster();
    const store = await openStore(cluster.url, { redisPrefix: "bench:" });
    try {
      const tag = shardKeys("bench:", shardOf("victim")).tag;
      const probe = await cluster.node(cluster.nodes[0]?.port as number);
      const slot = Number(await probe.call("CLUSTER", "KEYSLOT", `${tag}x`));
      probe.disconnect();
      const victim = await cluster.primaryOf(slot);
      await store.enqueue(makeCommand("victim"));
      const killed = performance.now();
      await cluster.nodes.find((n) => n.port === victim)?.kill();
      let refused = 0;
      for (;;) {
        try {
          await store.enqueue(makeCommand("victim"));
          break;
        } catch (error) {
          if (!(error instanceof StoreUnavailableError) || performance.now() - killed > 30_000) throw error;
          refused++;
          await Bun.sleep(10);
        }
      }
      gaps.push(performance.now() - killed);
      refusals.push(refused);
    } finally {
      await store.close();
      await cluster.stop();
    }
  }
  return { refused_ms: ms(gaps), refused_calls: ms(refusals) };
}

/** Moves every live shard slot of one primary to another while 12 clusters' callers and executors run. */
async function resharding() {
  const cluster = await startRedisCluster();
  const prefix = "bench:";
  const [a, b] = [
    await openStore(cluster.url, { redisPrefix: prefix }),
    await openStore(cluster.url, { redisPrefix: prefix }),
  ];
  const load = new Load();
  // What replica b heard: a waiter there gets its result from the event, or else reads it back when
  // b says it resubscribed (the queue's look after a gap), if the result was stored by then.
  const heard = new Set<string>();
  const resubscribedAt: number[] = [];
  const off = b.subscribe((event) => {
    if (event.type === "result") heard.add(event.command_id);
    if (event.type === "resubscribed") resubscribedAt.push(performance.now());
  });
  try {
    const ids = Array.from({ length: 12 }, (_, i) => `reshard-${i}`);
    const probe = await cluster.node(cluster.nodes[0]?.port as number);
    const owners = new Map<number, Set<number>>();
    for (const id of ids) {
      const slot = Number(await probe.call("CLUSTER", "KEYSLOT", shardKeys(prefix, shardOf(id)).events));
      const owner = await cluster.primaryOf(slot);
      owners.set(owner, (owners.get(owner) ?? new Set()).add(slot));
    }
    probe.disconnect();
    const [source, slots] = [...owners.entries()].sort((x, y) => y[1].size - x[1].size)[0] as [
      number,
      Set<number>,
    ];
    const target = [...owners.keys()].find((port) => port !== source) as number;
    const producing = Promise.all([a, b].map((store) => load.produce(ids, store)));
    const consuming = Promise.all(ids.map((id, i) => load.answer(id, i % 2 ? a : b)));
    await load.progressed(50);
    const started = performance.now();
    for (const slot of slots) await cluster.migrateSlot(slot, source, target, () => load.progressed(3));
    const migrateMs = performance.now() - started;
    load.callersStop = true;
    await producing;
    await consuming;
    // A result b did not hear is read back by a waiter there if b said it resubscribed after the
    // result was stored: certainly when that came after the store call's answer, perhaps when it came
    // between its sending and its answer, never when it came before the sending.
    const unheard = [...load.storedAt].filter(([id]) => !heard.has(id)).map(([, at]) => at);
    const lastResubscribed = Math.max(-1, ...resubscribedAt);
    const leftWaiting = unheard.filter((at) => lastResubscribed < at.sent).length;
    const perhapsLeft = unheard.filter((at) => lastResubscribed < at.answered).length;
    return {
      slots_moved: slots.size,
      migrate_ms: round(migrateMs, 0),
      commands: load.commands.length,
      stored_once: [...load.stored.values()].filter((n) => n === 1).length,
      calls_refused_and_retried: load.refused,
      result_events_not_heard: unheard.length,
      resubscriptions: resubscribedAt.length,
      results_left_to_deadline: leftWaiting,
      results_left_to_deadline_at_most: perhapsLeft,
    };
  } finally {
    off();
    load.stop();
    await Promise.all([a.close(), b.close()]);
    await cluster.stop();
  }
}

/** Median of the calls that visit every shard, with 100 clusters registered and 100 sessions. */
async function wholeStoreCalls(store: Store, rounds: number) {
  const ids = Array.from({ length: 100 }, (_, i) => `whole-${i}`);
  await Promise.all(ids.map((id) => store.createCluster(id, "h", { replace: false, nowMs: 1 })));
  const time = async (work: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      await work();
      samples.push(performance.now() - started);
    }
    return ms(samples);
  };
  return {
    requeue_expired_ms: await time(() => store.requeueExpired(Date.now())),
    count_sessions_ms: await time(() => store.countActiveSessions(Date.now())),
    list_100_clusters_ms: await time(() => store.listClusters()),
  };
}

/** Writes `count` registrations, sessions and audit entries in the unsharded layout, then opens. */
async function upgrade(url: string, count: number) {
  const prefix = "upgrade:";
  const redis = new Redis(url);
  const pipeline = redis.pipeline();
  const expiresAt = Date.now() + 3_600_000;
  for (let i = 0; i < count; i++) {
    const session = makeSession(`up-${i}`, 3_600_000);
    pipeline.hset(`${prefix}cluster:up-${i}`, "token_hash", "h", "created_at", "1", "connected", "0");
    pipeline.zadd(`${prefix}clusters`, 0, `up-${i}`);
    pipeline.hset(
      `${prefix}session:${session.session_id}`,
      "cluster",
      `up-${i}`,
      "data",
      JSON.stringify(session),
    );
    pipeline.pexpireat(`${prefix}session:${session.session_id}`, expiresAt);
    pipeline.zadd(`${prefix}sessions`, expiresAt, session.session_id);
  }
  const trail = linkAudit(
    Array.from({ length: count }, () => makeAuditRecord()),
    null,
  );
  for (const linked of trail) {
    pipeline.call("XADD", ...oldAuditXadd(prefix, linked));
  }
  await pipeline.exec();
  redis.disconnect();
  const started = performance.now();
  const store = await openStore(url, { redisPrefix: prefix });
  const firstOpen = performance.now() - started;
  await store.close();
  const again = performance.now();
  await (await openStore(url, { redisPrefix: prefix })).close();
  return {
    records_each: count,
    first_open_ms: round(firstOpen, 0),
    next_open_ms: round(performance.now() - again, 0),
  };
}

const rounds = quick ? 2 : 5;
const figures: Record<string, unknown> = { at: new Date().toISOString(), quick };
figures.failover = await failover(rounds);
figures.resharding = await resharding();
const cluster = await startRedisCluster();
const single = await startRedisServer();
try {
  const onCluster = await openStore(cluster.url, { redisPrefix: "whole:" });
  const onOne = await openStore(single.url, { redisPrefix: "whole:" });
  figures.upgrade = await upgrade(single.url, quick ? 2_000 : 10_000);
  figures.whole_store_calls = {
    cluster: await wholeStoreCalls(onCluster, quick ? 20 : 100),
    one_redis: await wholeStoreCalls(onOne, quick ? 20 : 100),
  };
  await Promise.all([onCluster.close(), onOne.close()]);
} finally {
  await cluster.stop();
  await single.stop();
}
writeFileSync(
  join(import.meta.dir, "..", "results", "redis-cluster.json"),
  `${JSON.stringify(figures, null, 2)}\n`,
);
console.log(JSON.stringify(figures, null, 2));
