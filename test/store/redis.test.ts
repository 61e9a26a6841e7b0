/**
 * The Redis backend: the shared contract against a throwaway redis-server (a fresh key prefix per
 * store, so tests never see each other's data), plus what only a shared, networked store has to get
 * right: events between replicas, keys confined to the prefix, TTLs, outages and a fixed number of
 * connections.
 */
import { describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { ChainVerifier, linkAudit } from "../../src/models";
import { openStore, type Store, StoreUnavailableError } from "../../src/store";
import { shardKeys, shardOf } from "../../src/store/redis-scripts";
import { COMMAND_RETENTION_MS } from "../../src/store/store";
import { killClientsNamed } from "../support/client-kill";
import { nextEvent } from "../support/events";
import { eventually } from "../support/eventually";
import { makeAuditRecord, makeCommand, makeResult, makeSession } from "../support/fixtures";
import { oldAuditXadd } from "../support/old-redis-layout";
import { freePort } from "../support/ports";
import { useStores } from "../support/stores";
import { storeContract } from "./contract";

const stores = useStores("redis-store");

let prefixes = 0;
const freshPrefix = () => `t${prefixes++}:`;
const open = (prefix = freshPrefix()) => openStore(stores.redis().url, { redisPrefix: prefix });
/** Runs `body` on a store opened under `prefix` (a fresh one by default), closed however it ends. */
async function withStore(prefix: string | undefined, body: (store: Store) => Promise<void>): Promise<void> {
  const store = await open(prefix);
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

storeContract("redis://", () => open());

/** A plain client for looking at the server from outside the store. */
async function inspect<T>(look: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(stores.redis().url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    return await look(redis);
  } finally {
    redis.disconnect();
  }
}

const storeClients = (redis: Redis) =>
  redis.client("LIST").then(
    (list) =>
      String(list)
        .split("\n")
        .filter((line) => / name=kubently(-events)? /.test(line)).length,
  );

describe("redis store", () => {
  test("two replicas on one prefix see each other's events and queue", async () => {
    const prefix = freshPrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    try {
      const cmd = makeCommand("alpha");
      const announced = nextEvent(b, (e) => e.type === "command");
      await a.enqueue(cmd);
      expect(await announced).toEqual({ type: "command", cluster_id: "alpha" });
      expect(await b.claim("alpha", "conn-b", 10, 30_000, Date.now())).toEqual([cmd]);
      expect(await a.claim("alpha", "conn-a", 10, 30_000, Date.now())).toEqual([]);

      const answered = nextEvent(a, (e) => e.type === "result");
      const result = makeResult(cmd);
      expect((await b.putResult("alpha", result, 60_000)).status).toBe("stored");
      expect(await answered).toEqual({ type: "result", command_id: cmd.command_id, result });

      await a.createCluster("alpha", "h", { replace: false, nowMs: 1 });
      const revoked = nextEvent(a, (e) => e.type === "revoked");
      expect(await b.deleteCluster("alpha")).toBe(true);
      expect(await revoked).toEqual({ type: "revoked", cluster_id: "alpha" });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("every key lives under the prefix, and records carry their TTLs", async () => {
    await inspect((redis) => redis.flushdb());
    await withStore("scope:", async (store) => {
      const session = makeSession("alpha", 120_000);
      await store.putSession(session);
      await store.createCluster("alpha", "h", { replace: false, nowMs: 1 });
      await store.recordPresence("alpha", {
        connected: true,
        connection: "c",
        executor_version: "1",
        at_ms: 2,
      });
      const [queued, answered] = [makeCommand("alpha"), makeCommand("alpha")];
      await store.enqueue(queued);
      await store.enqueue(answered);
      await store.claim("alpha", "conn-a", 1, 30_000, Date.now());
      await store.putResult("alpha", makeResult(queued), 60_000);
      await store.appendAudit([makeAuditRecord()]);
      await store.createOperation({ command: answered, callback_url: null }, 90_000);
      await store.sweep(Date.now());

      const alpha = shardKeys("scope:", shardOf("alpha"));
      const [keys, resultTtl, operationTtl, sessionTtl, commandExpiry, indexExpiry] = await inspect((redis) =>
        Promise.all([
          redis.keys("*"),
          redis.pttl(alpha.result(queued.command_id)),
          redis.pttl(`scope:{cmd:${answered.command_id}}op`),
          redis.pttl(alpha.session(session.session_id)),
          redis.pexpiretime(alpha.command(answered.command_id)),
          redis.pexpiretime(alpha.clusterSessions("alpha")),
        ]),
      );
      expect(keys.length).toBeGreaterThan(5);
      expect(keys.filter((key) => !key.startsWith("scope:"))).toEqual([]);
      expect(resultTtl).toBeGreaterThan(55_000);
      expect(resultTtl).toBeLessThanOrEqual(60_000);
      expect(operationTtl).toBeGreaterThan(85_000);
      expect(operationTtl).toBeLessThanOrEqual(90_000);
      expect(sessionTtl).toBeGreaterThan(115_000);
      expect(sessionTtl).toBeLessThanOrEqual(120_000);
      expect(commandExpiry).toBe(answered.deadline_ms + COMMAND_RETENTION_MS);
      expect(indexExpiry).toBe(Date.parse(session.expires_at));
    });
  });

  test("a session already past its expiry is not stored", async () => {
    const prefix = freshPrefix();
    await withStore(prefix, async (store) => {
      const expired = makeSession("alpha", 60_000, { expires_at: new Date(Date.now() - 1).toISOString() });
      await store.putSession(expired);
      const session = shardKeys(prefix, shardOf("alpha")).session(expired.session_id);
      expect(await inspect((redis) => redis.exists(session))).toBe(0);
      expect(await store.getSession(expired.session_id)).toBeNull();
    });
  });

  test("sweep drops commands left queued past their retention", async () => {
    await withStore(undefined, async (store) => {
      const stale = makeCommand("alpha", { deadline_ms: Date.now() + 1_000 });
      await store.enqueue(stale);
      await store.sweep(Date.now() + 1_000 + COMMAND_RETENTION_MS);
      expect(await store.queueDepth("alpha")).toBe(0);
      expect(await store.commandInfo(stale.command_id)).toBeNull();
    });
  });

  test("a command id that names a command of another shard is refused, and leaves nothing queued", async () => {
    const prefix = freshPrefix();
    await withStore(prefix, async (store) => {
      const other = ["beta", "gamma", "delta"].find((id) => shardOf(id) !== shardOf("alpha")) as string;
      const first = makeCommand("alpha");
      await store.enqueue(first);
      const again = makeCommand(other, { command_id: first.command_id });
      await expect(store.enqueue(again)).rejects.toThrow("already exists");
      expect(await store.queueDepth(other)).toBe(0);
      const left = await inspect((redis) =>
        redis.exists(shardKeys(prefix, shardOf(other)).command(first.command_id)),
      );
      expect(left).toBe(0);
      expect((await store.commandInfo(first.command_id))?.cluster_id).toBe("alpha");
      expect(await store.claim("alpha", "conn-a", 10, 30_000, Date.now())).toEqual([first]);
    });
  });

  test("a command's locator lives as long as its result, and no shorter than the command", async () => {
    const prefix = freshPrefix();
    await withStore(prefix, async (store) => {
      const [kept, brief] = [makeCommand("alpha"), makeCommand("alpha")];
      await Promise.all([store.enqueue(kept), store.enqueue(brief)]);
      await store.claim("alpha", "conn-a", 10, 30_000, Date.now());
      const longTtl = 3 * COMMAND_RETENTION_MS;
      const result = makeResult(kept);
      await store.putResult("alpha", result, longTtl);
      await store.putResult("alpha", makeResult(brief), 1_000);
      const [keptTtl, briefExpiry] = await inspect((redis) =>
        Promise.all([
          redis.pttl(`${prefix}{cmd:${kept.command_id}}at`),
          redis.pexpiretime(`${prefix}{cmd:${brief.command_id}}at`),
        ]),
      );
      expect(keptTtl).toBeGreaterThan(longTtl - 5_000);
      expect(briefExpiry).toBe(brief.deadline_ms + COMMAND_RETENTION_MS);
      expect(await store.getResult(kept.command_id)).toEqual(result);
    });
  });

  test("a result event as an earlier version publishes it (the result as a JSON string) still carries its result", async () => {
    const prefix = freshPrefix();
    await withStore(prefix, async (store) => {
      const result = makeResult(makeCommand("alpha"));
      const heard = nextEvent(store, (e) => e.type === "result");
      const event = JSON.stringify({
        type: "result",
        command_id: result.command_id,
        data: JSON.stringify(result),
      });
      await inspect((redis) => redis.spublish(shardKeys(prefix, shardOf("alpha")).events, event));
      expect(await heard).toEqual({ type: "result", command_id: result.command_id, result });
    });
  });

  test("the connection count stays at two per store under concurrent load", async () => {
    const before = await inspect(storeClients);
    await withStore(undefined, async (store) => {
      expect(await inspect(storeClients)).toBe(before + 2);
      const unsubscribes = Array.from({ length: 200 }, () => store.subscribe(() => {}));
      const waiters = Array.from({ length: 200 }, () => nextEvent(store, (e) => e.type === "result"));
      const commands = Array.from({ length: 300 }, (_, i) => makeCommand(`c${i % 7}`));
      await Promise.all(commands.map((c) => store.enqueue(c)));
      await Promise.all(
        Array.from({ length: 7 }, (_, i) => store.claim(`c${i}`, `conn-${i}`, 100, 30_000, Date.now())),
      );
      await Promise.all(commands.map((c) => store.putResult(c.cluster_id, makeResult(c), 60_000)));
      await Promise.all(waiters);
      for (const unsubscribe of unsubscribes) unsubscribe();
      expect(await inspect(storeClients)).toBe(before + 2);
    });
  });

  test("replicas appending to one audit trail at once keep one chain: a lost race links again", async () => {
    const prefix = freshPrefix();
    const replicas = await Promise.all([open(prefix), open(prefix), open(prefix)]);
    try {
      const records = Array.from({ length: 300 }, () => makeAuditRecord());
      await Promise.all(records.map((record, i) => (replicas[i % 3] as Store).appendAudit([record])));
      const entries = [];
      for (let after: number | null = 0; after !== null; ) {
        const page = await (replicas[0] as Store).readAudit({ after, limit: 1000 });
        entries.push(...page.entries);
        after = page.next_after;
        if (after === null) {
          const verifier = new ChainVerifier();
          expect(verifier.add(entries)).toBeNull();
          expect(verifier.finish(page.head)).toBeNull();
        }
      }
      expect(entries.map((e) => e.id).sort()).toEqual(records.map((r) => r.id).sort());
      // Every lost race's parked records were linked by some replica.
      expect(await inspect((redis) => redis.llen(`${prefix}{audit}parked`))).toBe(0);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  test("opening moves the older, unsharded layout's registrations, sessions and audit trail, once", async () => {
    const prefix = freshPrefix();
    const live = makeSession("alpha", 600_000);
    const expiresAt = Date.parse(live.expires_at);
    const trail = linkAudit(
      Array.from({ length: 5 }, () => makeAuditRecord()),
      null,
    );
    const head = (trail.at(-1) as (typeof trail)[number]).entry;
    // The layout as the store wrote it before shards, written here by hand.
    await inspect(async (redis) => {
      for (const id of ["alpha", "beta"]) {
        await redis.hset(
          `${prefix}cluster:${id}`,
          "token_hash",
          `hash-${id}`,
          "created_at",
          "7",
          "connected",
          "0",
        );
        await redis.zadd(`${prefix}clusters`, 0, id);
      }
      await redis.hset(`${prefix}cluster:alpha`, "labels", JSON.stringify({ env: "prod" }));
      await redis.hset(
        `${prefix}session:${live.session_id}`,
        "cluster",
        "alpha",
        "data",
        JSON.stringify(live),
      );
      await redis.pexpireat(`${prefix}session:${live.session_id}`, expiresAt);
      await redis.zadd(`${prefix}sessions`, expiresAt, live.session_id);
      await redis.zadd(`${prefix}cluster-sessions:alpha`, expiresAt, live.session_id);
      for (const linked of trail) {
        await redis.call("XADD", ...oldAuditXadd(prefix, linked));
      }
      await redis.hset(`${prefix}audit-head`, "seq", head.seq, "hash", head.hash);
      await redis.set(`${prefix}cmd-seq`, "41");
    });

    // Two replicas opening at once: the move is one script, so it happens exactly once.
    const [store, other] = await Promise.all([open(prefix), open(prefix)]);
    try {
      expect((await store.listClusters()).map((c) => [c.cluster_id, c.token_hash, c.labels])).toEqual([
        ["alpha", "hash-alpha", { env: "prod" }],
        ["beta", "hash-beta", {}],
      ]);
      expect(await store.getSession(live.session_id)).toEqual(live);
      expect(await store.isClusterActive("alpha", Date.now())).toBe(true);
      expect(await store.countActiveSessions(Date.now())).toBe(1);
      const sessionTtl = await inspect((redis) =>
        redis.pexpiretime(shardKeys(prefix, shardOf("alpha")).session(live.session_id)),
      );
      expect(sessionTtl).toBe(expiresAt);

      // The chain goes on from the moved head, and verifies whole.
      const later = makeAuditRecord();
      await other.appendAudit([later]);
      const page = await store.readAudit({ after: 0, limit: 100 });
      expect(page.entries.map((e) => e.id)).toEqual([...trail.map((t) => t.entry.id), later.id]);
      const verifier = new ChainVerifier();
      expect(verifier.add(page.entries)).toBeNull();
      expect(verifier.finish(page.head)).toBeNull();

      // Nothing of the old layout is left, and opening again changes nothing.
      const unsharded = (keys: string[]) => keys.filter((key) => !key.slice(prefix.length).startsWith("{"));
      expect(unsharded(await inspect((redis) => redis.keys(`${prefix}*`)))).toEqual([]);
      const again = await open(prefix);
      await again.close();
      expect((await store.listClusters()).length).toBe(2);
      expect((await store.readAudit({ after: 0, limit: 100 })).entries.length).toBe(6);
    } finally {
      await Promise.all([store.close(), other.close()]);
    }
  });

  test("a filtered audit read scans a bounded stretch and says where to go on", async () => {
    await withStore(undefined, async (store) => {
      const rest = Array.from({ length: 2_500 }, () => makeAuditRecord({ cluster_id: "common" }));
      await store.appendAudit([
        ...rest.slice(0, 2_400),
        makeAuditRecord({ cluster_id: "rare" }),
        ...rest.slice(2_400),
      ]);
      const first = await store.readAudit({ after: 0, limit: 10, cluster_id: "rare" });
      expect(first.entries).toEqual([]);
      expect(first.next_after).toBe(2_000);
      const second = await store.readAudit({ after: 2_000, limit: 10, cluster_id: "rare" });
      expect(second.entries.map((e) => e.seq)).toEqual([2_401]);
      expect(second.next_after).toBeNull();
      expect(second.head?.seq).toBe(2_501);
    });
  });

  test("the URL's user, password (percent-decoded) and database are the ones the store uses", async () => {
    await inspect((redis) => redis.acl("SETUSER", "kubently-test", "on", ">p@ss:word", "~*", "&*", "+@all"));
    const url = `redis://kubently-test:${encodeURIComponent("p@ss:word")}@127.0.0.1:${stores.redis().port}/3`;
    const store = await openStore(url, { redisPrefix: "db3:" });
    try {
      await store.createCluster("alpha", "h", { replace: false, nowMs: 1 });
      const [inDb3, inDb0] = await inspect(async (redis) => {
        const db0 = await redis.keys("db3:*");
        await redis.select(3);
        return [await redis.keys("db3:*"), db0];
      });
      expect(inDb0).toEqual([]);
      expect(inDb3.length).toBeGreaterThan(0);
      const names = await inspect((redis) => redis.client("LIST"));
      expect(String(names)).toContain("user=kubently-test");
    } finally {
      await store.close();
      await inspect((redis) => redis.acl("DELUSER", "kubently-test"));
    }
  });

  // How soon it fails is measured in bench/scenarios/failures.ts, not asserted here.
  test("opening against an address nobody listens on fails with StoreUnavailableError", async () => {
    const error = await openStore(`redis://127.0.0.1:${await freePort()}`, { redisPrefix: "x:" }).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  test("a killed subscriber connection subscribes again, says so, and hears the next event", async () => {
    const prefix = freshPrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    try {
      const resubscribed = [
        nextEvent(a, (e) => e.type === "resubscribed"),
        nextEvent(b, (e) => e.type === "resubscribed"),
      ];
      expect(await inspect((redis) => killClientsNamed(redis, "kubently-events"))).toBe(2);
      // What was published while they were gone is lost: the event tells listeners to look.
      expect(await Promise.all(resubscribed)).toEqual([{ type: "resubscribed" }, { type: "resubscribed" }]);
      const announced = nextEvent(b, (e) => e.type === "command" && e.cluster_id === "alpha");
      await a.enqueue(makeCommand("alpha"));
      await announced;
      // Resubscribing added no connection.
      expect(await inspect(storeClients)).toBe(4);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("an outage surfaces as StoreUnavailableError and the same store recovers", async () => {
    const prefix = freshPrefix();
    await withStore(prefix, async (store) => {
      await store.ping();
      await stores.redis().kill();

      // Both fail rather than wait for Redis to come back (how soon: bench/scenarios/failures.ts).
      const outcomes = await Promise.allSettled([store.ping(), store.enqueue(makeCommand("alpha"))]);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe("rejected");
        if (outcome.status === "rejected") expect(outcome.reason).toBeInstanceOf(StoreUnavailableError);
      }

      await stores.redis().restart();
      await eventually(() => store.ping());
      // The subscriber reconnects on its own schedule; wait until the server counts it again.
      const channel = shardKeys(prefix, shardOf("alpha")).events;
      await eventually(async () => {
        const [, subscribers] = (await inspect((redis) => redis.pubsub("SHARDNUMSUB", channel))) as [
          string,
          number,
        ];
        if (subscribers !== 1) throw new Error("subscriber not back yet");
      });
      const cmd = makeCommand("alpha");
      const announced = nextEvent(store, (e) => e.type === "command");
      await store.enqueue(cmd);
      expect(await announced).toEqual({ type: "command", cluster_id: "alpha" });
      expect(await store.claim("alpha", "conn-a", 10, 30_000, Date.now())).toEqual([cmd]);
    });
  });
});
