/**
 * A throwaway Redis Cluster for tests: six redis-server processes (three primaries, three replicas)
 * on free loopback ports, each in its own scratch folder for its cluster config file, no persistence.
 * Ready once every node reports `cluster_state:ok` (CLUSTER INFO, polled), never after a guessed sleep.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Redis from "ioredis";
import { eventually } from "./eventually";
import { freePort } from "./ports";
import { spawnRedisServer, THROWAWAY } from "./redis-server";

export interface ClusterNode {
  port: number;
  /** Whether the process is running (false after kill()). */
  alive: boolean;
  kill(): Promise<void>;
}

export interface RedisCluster {
  /** redis+cluster://127.0.0.1:p1,127.0.0.1:p2,… naming every node. */
  url: string;
  nodes: ClusterNode[];
  /** A plain client on one node (redirections not followed): for CLUSTER commands and inspection. */
  node(port: number): Promise<Redis>;
  /** The node currently serving a slot as primary, read from a live node's CLUSTER SHARDS. */
  primaryOf(slot: number): Promise<number>;
  /**
   * Moves one slot between primaries the way `redis-cli --cluster reshard` does (IMPORTING,
   * MIGRATING, MIGRATE in batches of a few keys, SETSLOT NODE everywhere), awaiting `between` after
   * each batch so a load running meanwhile meets the slot half-migrated.
   */
  migrateSlot(slot: number, fromPort: number, toPort: number, between: () => Promise<void>): Promise<void>;
  /** Resolves when every live node reports cluster_state:ok and agrees on every slot's primary. */
  settled(withinMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Short, so a killed primary's replica takes over within a few seconds in tests. */
const NODE_TIMEOUT_MS = 1_000;

export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), "kubently-redis-cluster-"));
  const nodes: (ClusterNode & { proc: Bun.Subprocess })[] = [];
  const clients = new Set<Redis>();
  const node = async (port: number) => {
    const redis = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.on("error", () => {});
    clients.add(redis);
    await redis.connect();
    return redis;
  };
  const cluster: RedisCluster = {
    url: "",
    nodes,
    node,
    async primaryOf(slot) {
      const live = nodes.find((n) => n.alive) as ClusterNode;
      const redis = await node(live.port);
      try {
        const slots = (await redis.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
        const range = slots.find(([from, to]) => from <= slot && slot <= to);
        if (!range) throw new Error(`slot ${slot} is not served`);
        return range[2][1];
      } finally {
        redis.disconnect();
        clients.delete(redis);
      }
    },
    async migrateSlot(slot, fromPort, toPort, between) {
      const [from, to] = [await node(fromPort), await node(toPort)];
      try {
        const [fromId, toId] = (await Promise.all([
          from.call("CLUSTER", "MYID"),
          to.call("CLUSTER", "MYID"),
        ])) as [string, string];
        await to.call("CLUSTER", "SETSLOT", slot, "IMPORTING", fromId);
        await from.call("CLUSTER", "SETSLOT", slot, "MIGRATING", toId);
        for (;;) {
          const keys = (await from.call("CLUSTER", "GETKEYSINSLOT", slot, 4)) as string[];
          if (keys.length === 0) break;
          await from.call("MIGRATE", "127.0.0.1", toPort, "", 0, 5_000, "KEYS", ...keys);
          await between();
        }
        await to.call("CLUSTER", "SETSLOT", slot, "NODE", toId);
        await from.call("CLUSTER", "SETSLOT", slot, "NODE", toId);
        for (const other of nodes.filter((n) => n.alive && n.port !== fromPort && n.port !== toPort)) {
          const redis = await node(other.port);
          // A replica refuses SETSLOT; it learns the new owner over the cluster bus.
          await redis.call("CLUSTER", "SETSLOT", slot, "NODE", toId).catch(() => {});
          redis.disconnect();
          clients.delete(redis);
        }
      } finally {
        for (const redis of [from, to]) {
          redis.disconnect();
          clients.delete(redis);
        }
      }
    },
    async settled(withinMs = 20_000) {
      await eventually(async () => {
        const views: string[] = [];
        for (const n of nodes.filter((n) => n.alive)) {
          const redis = await node(n.port);
          try {
            const info = String(await redis.call("CLUSTER", "INFO"));
            if (!info.includes("cluster_state:ok"))
              throw new Error(`node ${n.port}: ${info.split("\r\n")[0]}`);
            const slots = (await redis.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
            views.push(JSON.stringify(slots.map(([from, to, primary]) => [from, to, primary[1]]).sort()));
          } finally {
            redis.disconnect();
            clients.delete(redis);
          }
        }
        if (new Set(views).size !== 1) throw new Error("nodes disagree on the slot map");
      }, withinMs);
    },
    async stop() {
      for (const client of clients) client.disconnect();
      for (const n of nodes) n.proc.kill("SIGKILL");
      await Promise.all(nodes.map((n) => n.proc.exited));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (let i = 0; i < 6; i++) {
      const [port, busPort] = [await freePort(), await freePort()];
      const proc = await spawnNode(join(dir, `node-${i}`), port, busPort);
      const entry = {
        port,
        alive: true,
        proc,
        async kill() {
          entry.alive = false;
          proc.kill("SIGKILL");
          await proc.exited;
        },
      };
      nodes.push(entry);
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    const create = Bun.spawn(
      ["redis-cli", "--cluster", "create", ...addresses, "--cluster-replicas", "1", "--cluster-yes"],
      { stdout: "pipe", stderr: "pipe" },
    );
    if ((await create.exited) !== 0) {
      throw new Error(`redis-cli --cluster create failed:\n${await new Response(create.stdout).text()}`);
    }
    await cluster.settled();
    // A replica that never synced would refuse to take over (its data too old): wait until each
    // primary has its replica online.
    await eventually(async () => {
      for (const port of new Set(
        await Promise.all([0, 8_000, 16_383].map((slot) => cluster.primaryOf(slot))),
      )) {
        const redis = await node(port);
        try {
          const info = String(await redis.info("replication"));
          if (!/slave0:.*state=online/.test(info))
            throw new Error(`primary ${port} has no replica online yet`);
        } finally {
          redis.disconnect();
          clients.delete(redis);
        }
      }
    }, 20_000);
    cluster.url = `redis+cluster://${addresses.join(",")}`;
    return cluster;
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

function spawnNode(dir: string, port: number, busPort: number) {
  mkdirSync(dir);
  return spawnRedisServer([
    "--port",
    String(port),
    "--cluster-port",
    String(busPort),
    ...THROWAWAY,
    "--cluster-enabled",
    "yes",
    "--cluster-node-timeout",
    String(NODE_TIMEOUT_MS),
    "--cluster-config-file",
    join(dir, "nodes.conf"),
    "--dir",
    dir,
  ]);
}
