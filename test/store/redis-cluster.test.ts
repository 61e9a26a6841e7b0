/**
 * The Redis store on a Redis Cluster of three primaries and three replicas started by this file: the
 * whole store contract, keys spread over every primary, a fixed number of connections, a resharding
 * under load and the loss of a primary whose replica takes over.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type Redis from "ioredis";
import { ChainVerifier, type Command } from "../../src/models";
import { openStore, StoreUnavailableError } from "../../src/store";
import { shardKeys, shardOf } from "../../src/store/redis-scripts";
import { killClientsNamed } from "../support/client-kill";
import { nextEvent } from "../support/events";
import { eventually } from "../support/eventually";
import { makeAuditRecord, makeCommand, makeResult, makeSession } from "../support/fixtures";
import { type RedisCluster, startRedisCluster } from "../support/redis-cluster";
import { Load } from "../support/store-load";
import { storeContract } from "./contract";

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

let prefixes = 0;
const freshPrefix = () => `k${prefixes++}:`;
const open = (prefix = freshPrefix()) => openStore(cluster.url, { redisPrefix: prefix });

storeContract("redis+cluster://", () => open());

/** Runs `look` on a plain client of one node, then closes it. */
async function onNode<T>(port: number, look: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = await cluster.node(port);
  try {
    return await look(redis);
  } finally {
    redis.disconnect();
  }
}

/** The ports of the live primaries, read from a live node's CLUSTER SLOTS. */
async function primaries(): Promise<number[]> {
  const live = cluster.nodes.find((node) => node.alive);
  if (!live) throw new Error("no live node");
  const slots = (await onNode(live.port, (redis) => redis.call("CLUSTER", "SLOTS"))) as [
    number,
    number,
    [string, number],
  ][];
  return [...new Set(slots.map((range) => range[2][1]))];
}

/** Connections the store opened (ioredis names them after connectionName), on every live node. */
async function storeConnections(): Promise<number> {
  let count = 0;
  for (const node of cluster.nodes.filter((n) => n.alive)) {
    const list = String(await onNode(node.port, (redis) => redis.client("LIST")));
    count += list.split("\n").filter((line) => /name=\S*kubently /.test(line)).length;
  }
  return count;
}

describe("redis cluster store", () => {
  test("one Kubently cluster's records share one slot, and the shards spread over every primary", async () => {
    const prefix = freshPrefix();
    const store = await open(prefix);
    try {
      const ids = Array.from({ length: 30 }, (_, i) => `spread-${i}`);
      for (const id of ids) {
        await store.createCluster(id, "h", { replace: false, nowMs: 1 });
        await store.enqueue(makeCommand(id));
      }
      const holding = await Promise.all(
        (await primaries()).map((port) => onNode(port, (redis) => redis.keys(`${prefix}{s*}cluster:*`))),
      );
      // Every primary holds some registrations, and all 30 are somewhere.
      for (const keys of holding) expect(keys.length).toBeGreaterThan(0);
      expect(holding.flat().length).toBe(ids.length);
      const shard = shardKeys(prefix, shardOf("spread-0"));
      const keys = [shard.cluster("spread-0"), shard.queue("spread-0"), shard.leases, shard.events];
      const slots = new Set(
        await onNode(cluster.nodes[0]?.port as number, (redis) =>
          Promise.all(keys.map((key) => redis.call("CLUSTER", "KEYSLOT", key))),
        ),
      );
      expect(slots.size).toBe(1);
    } finally {
      await store.close();
    }
  });

  test("a store holds a command connection per node and a subscriber per primary, whatever the load", async () => {
    const before = await storeConnections();
    const store = await open();
    // ioredis reads the slot map from any node, replicas too, so a replica's connection opens when
    // it is first asked: between one per primary and one per node, plus a subscriber per primary.
    const primaryCount = (await primaries()).length;
    const bound = cluster.nodes.filter((n) => n.alive).length + primaryCount;
    try {
      // Command connections open as first used: a whole-store read uses every primary.
      await store.listClusters();
      const opened = (await storeConnections()) - before;
      expect(opened).toBeGreaterThanOrEqual(2 * primaryCount);
      expect(opened).toBeLessThanOrEqual(bound);
      const waiters = Array.from({ length: 100 }, () => nextEvent(store, (e) => e.type === "result"));
      const commands = Array.from({ length: 300 }, (_, i) => makeCommand(`load-${i % 20}`));
      await Promise.all(commands.map((c) => store.enqueue(c)));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.claim(`load-${i}`, `conn-${i}`, 100, 30_000, Date.now())),
      );
      await Promise.all(commands.map((c) => store.putResult(c.cluster_id, makeResult(c), 60_000)));
      await Promise.all(waiters);
      expect((await storeConnections()) - before).toBeLessThanOrEqual(bound);
    } finally {
      await store.close();
    }
  });

  test("the URL's user and password (percent-decoded) are the ones every node connection uses", async () => {
    const live = cluster.nodes.filter((n) => n.alive);
    const acl = (...args: string[]) =>
      Promise.all(live.map((n) => onNode(n.port, (r) => r.call("ACL", ...args))));
    await acl("SETUSER", "kubently-test", "on", ">p@ss:word", "~*", "&*", "+@all");
    const nodes = cluster.url.slice("redis+cluster://".length);
    const url = `redis+cluster://kubently-test:${encodeURIComponent("p@ss:word")}@${nodes}`;
    const store = await openStore(url, { redisPrefix: freshPrefix() });
    try {
      await store.listClusters();
      const lists = await Promise.all(
        (await primaries()).map((port) => onNode(port, (r) => r.client("LIST"))),
      );
      for (const list of lists) expect(String(list)).toMatch(/name=kubently .*user=kubently-test/);
    } finally {
      await store.close();
      await acl("DELUSER", "kubently-test");
    }
  });

  test("a resharding under load moves live shards; every command is answered exactly once", async () => {
    const prefix = freshPrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    const load = new Load();
    try {
      const ids = Array.from({ length: 12 }, (_, i) => `reshard-${i}`);
      const slotOf = (id: string) =>
        onNode(cluster.nodes[0]?.port as number, async (redis) =>
          Number(await redis.call("CLUSTER", "KEYSLOT", shardKeys(prefix, shardOf(id)).events)),
        );
      const slots = new Map(await Promise.all(ids.map(async (id) => [id, await slotOf(id)] as const)));
      // Move every live shard the busiest primary holds to another primary.
      const owners = new Map<number, number[]>();
      for (const slot of new Set(slots.values())) {
        const owner = await cluster.primaryOf(slot);
        owners.set(owner, [...(owners.get(owner) ?? []), slot]);
      }
      const [source, moving] = [...owners.entries()].sort((x, y) => y[1].length - x[1].length)[0] as [
        number,
        number[],
      ];
      const target = (await primaries()).find((port) => port !== source) as number;

      // Callers enqueue until the resharding is over; executors answer until every command is.
      const producing = Promise.all([a, b].map((store) => load.produce(ids, store)));
      const consuming = Promise.all(ids.map((id, i) => load.answer(id, i % 2 ? a : b)));
      await load.progressed(50);
      for (const slot of moving) await cluster.migrateSlot(slot, source, target, () => load.progressed(3));
      load.callersStop = true;
      await producing;
      await consuming;

      for (const slot of moving) expect(await cluster.primaryOf(slot)).toBe(target);
      // Exactly once: one stored result per command, and the one readable is the one stored.
      expect(load.commands.length).toBeGreaterThan(50);
      for (const command of load.commands) {
        expect(load.stored.get(command.command_id)).toBe(1);
        expect((await a.getResult(command.command_id))?.command_id).toBe(command.command_id);
      }
      // Events flow again on a moved shard once the subscribers follow the slot.
      const moved = ids.find((id) => moving.includes(slots.get(id) as number)) as string;
      await eventually(async () => {
        const heard = nextEvent(b, (e) => e.type === "command" && e.cluster_id === moved, 500);
        await a.enqueue(makeCommand(moved));
        await heard;
      });
    } finally {
      load.stop();
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);

  /** The hash slot of a Kubently cluster's shard, and the primary serving it now. */
  async function shardSlot(prefix: string, clusterId: string): Promise<{ slot: number; owner: number }> {
    const channel = shardKeys(prefix, shardOf(clusterId)).events;
    const slot = Number(
      await onNode(cluster.nodes[0]?.port as number, (r) => r.call("CLUSTER", "KEYSLOT", channel)),
    );
    return { slot, owner: await cluster.primaryOf(slot) };
  }

  test("a live shard's slot moved: the store subscribes at its new owner, says so, and hears the next event", async () => {
    const prefix = freshPrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    try {
      const id = "moving";
      await a.enqueue(makeCommand(id));
      const { slot, owner } = await shardSlot(prefix, id);
      const target = (await primaries()).find((port) => port !== owner) as number;
      // Redis ends the subscriptions to the slot's channels when it gives the slot up.
      const resubscribed = nextEvent(b, (e) => e.type === "resubscribed", 20_000);
      await cluster.migrateSlot(slot, owner, target, async () => {});
      await resubscribed;
      // Once: no retry until ioredis' own slot refresh would have resubscribed it.
      const heard = nextEvent(b, (e) => e.type === "command" && e.cluster_id === id);
      await a.enqueue(makeCommand(id));
      await heard;
      expect(await cluster.primaryOf(slot)).toBe(target);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 30_000);

  test("a killed sharded subscriber: ioredis opens another, the store subscribes again, says so, and hears the next event", async () => {
    const prefix = freshPrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    try {
      const id = "cut-off";
      const { owner } = await shardSlot(prefix, id);
      const resubscribed = nextEvent(b, (e) => e.type === "resubscribed", 20_000);
      const killed = await onNode(owner, (r) => killClientsNamed(r, "ioredis-cluster(ssubscriber):kubently"));
      expect(killed).toBe(2);
      await resubscribed;
      const heard = nextEvent(b, (e) => e.type === "command" && e.cluster_id === id);
      await a.enqueue(makeCommand(id));
      await heard;
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 30_000);

  // Last: it leaves the cluster with a primary fewer.
  test("losing a primary: calls fail with StoreUnavailableError until its replica takes over, then nothing acknowledged is missing", async () => {
    const prefix = freshPrefix();
    const store = await open(prefix);
    try {
      const ids = Array.from({ length: 12 }, (_, i) => `failover-${i}`);
      const queued = ids.map((id) => makeCommand(id, { deadline_ms: Date.now() + 120_000 }));
      const answered = ids.map((id) => makeCommand(id, { deadline_ms: Date.now() + 120_000 }));
      const sessions = ids.map((id) => makeSession(id, 600_000));
      const records = Array.from({ length: 20 }, () => makeAuditRecord());
      for (const [i, id] of ids.entries()) {
        await store.createCluster(id, `hash-${id}`, { replace: false, nowMs: 1 });
        await store.putSession(sessions[i] as (typeof sessions)[number]);
        await store.enqueue(answered[i] as Command);
        await store.claim(id, `conn-${id}`, 10, 60_000, Date.now());
        await store.putResult(id, makeResult(answered[i] as Command), 600_000);
        await store.enqueue(queued[i] as Command);
      }
      await store.appendAudit(records);

      // The victim: the primary serving the shard of the first cluster.
      const probe = `${shardKeys(prefix, shardOf(ids[0] as string)).tag}probe`;
      const slot = Number(
        await onNode(cluster.nodes[0]?.port as number, (r) => r.call("CLUSTER", "KEYSLOT", probe)),
      );
      const victimPort = await cluster.primaryOf(slot);
      const victim = cluster.nodes.find((n) => n.port === victimPort) as (typeof cluster.nodes)[number];
      // Replication is asynchronous: a write on the victim acknowledged by its replica (WAIT) means the
      // replica holds everything the victim acknowledged before it. README says which settings give that.
      const synced = await onNode(victimPort, async (r) => {
        await r.set(probe, "1");
        return r.call("WAIT", 1, 5_000);
      });
      expect(synced).toBe(1);
      await victim.kill();

      // Until the replica takes over: the answer, or StoreUnavailableError; never a wrong answer.
      let refused = 0;
      const accepted: Command[] = [];
      for (const giveUp = Date.now() + 20_000; ; ) {
        const extra = makeCommand(ids[0] as string, { deadline_ms: Date.now() + 120_000 });
        try {
          expect((await store.getCluster(ids[0] as string))?.token_hash).toBe(`hash-${ids[0]}`);
          await store.enqueue(extra);
          accepted.push(extra);
          break;
        } catch (error) {
          expect(error).toBeInstanceOf(StoreUnavailableError);
          refused++;
          if (Date.now() > giveUp) throw error;
          await Bun.sleep(50); // a client's retry backoff
        }
      }
      expect(refused).toBeGreaterThan(0);
      await cluster.settled();

      for (const [i, id] of ids.entries()) {
        expect((await store.getCluster(id))?.token_hash).toBe(`hash-${id}`);
        expect(await store.getSession((sessions[i] as (typeof sessions)[number]).session_id)).toEqual(
          sessions[i] as (typeof sessions)[number],
        );
        expect((await store.getResult((answered[i] as Command).command_id))?.command_id).toBe(
          (answered[i] as Command).command_id,
        );
        const expected = [queued[i] as Command, ...accepted.filter((c) => c.cluster_id === id)];
        const claimed = await store.claim(id, `after-${id}`, 10, 60_000, Date.now());
        expect(claimed.map((c) => c.command_id)).toEqual(expected.map((c) => c.command_id));
      }
      const page = await store.readAudit({ after: 0, limit: 100 });
      expect(page.entries.map((e) => e.id)).toEqual(records.map((r) => r.id));
      const verifier = new ChainVerifier();
      expect(verifier.add(page.entries)).toBeNull();
      expect(verifier.finish(page.head)).toBeNull();

      // New work flows, and its events reach the store through the promoted replica.
      await eventually(async () => {
        const heard = nextEvent(store, (e) => e.type === "command" && e.cluster_id === ids[0], 500);
        await store.enqueue(makeCommand(ids[0] as string));
        await heard;
      });
    } finally {
      await store.close();
    }
  }, 60_000);
});
