/**
 * The Redis store through Sentinel, against real processes (a primary, a replica, three sentinels,
 * all with passwords): it finds and writes to the primary with the URL's two sets of credentials,
 * fails at open with StoreUnavailableError when no sentinel lets it in, and with `wait_replicas`
 * a write counts only once that many replicas have it; a subscriber ioredis ended for good is
 * revived, resubscribes and says so. The failover itself:
 * test/load/sentinel-failover.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { openStore, StoreUnavailableError } from "../../src/store";
import { killClientsNamed } from "../support/client-kill";
import { nextEvent } from "../support/events";
import { eventually } from "../support/eventually";
import { makeCommand } from "../support/fixtures";
import { freePort } from "../support/ports";
import { type SentinelTopology, startSentinelTopology } from "../support/redis-sentinel";

const PASSWORD = "data-pa55:word";
const SENTINEL_PASSWORD = "sentinel-pa55@word";
let topology: SentinelTopology;

beforeAll(async () => {
  topology = await startSentinelTopology({
    replicas: 1,
    minReplicasToWrite: 0,
    minReplicasMaxLag: 10,
    password: PASSWORD,
    sentinelPassword: SENTINEL_PASSWORD,
  });
}, 60_000);
afterAll(() => topology?.stop());

/** The topology's URL with the passwords (percent-encoded) and any options. */
function urlWith(options: { password?: string; sentinelPassword?: string; query?: string } = {}): string {
  const { password = PASSWORD, sentinelPassword = SENTINEL_PASSWORD, query = "" } = options;
  const url = topology.url.replace("redis+sentinel://", `redis+sentinel://:${encodeURIComponent(password)}@`);
  return `${url}?sentinel_password=${encodeURIComponent(sentinelPassword)}${query}`;
}

/** How many WAIT commands the primary has run, from its own INFO commandstats. */
async function waitCalls(): Promise<number> {
  const primary = new Redis({ port: topology.primaryPort(), host: "127.0.0.1", password: PASSWORD });
  try {
    const stats = await primary.info("commandstats");
    return Number(/cmdstat_wait:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  } finally {
    primary.disconnect();
  }
}

/** CLIENT LIST of the server at `port`: which of the store's connections it holds, by name. */
async function clientListAt(port: number): Promise<string> {
  const server = new Redis({ port, host: "127.0.0.1", password: PASSWORD });
  try {
    return String(await server.client("LIST"));
  } finally {
    server.disconnect();
  }
}

const openFails = (url: string) =>
  openStore(url, { redisPrefix: "sentinel:" }).then(
    async (store) => {
      await store.close();
      return null;
    },
    (error: unknown) => error,
  );

describe("the Redis store through Sentinel", () => {
  test("asks the sentinels for the primary and writes there, with both passwords", async () => {
    const store = await openStore(urlWith(), { redisPrefix: "sentinel:" });
    try {
      // A replica would answer READONLY: the write shows the store is on the primary.
      await store.createCluster("alpha", "h", { replace: false, nowMs: 1 });
      expect((await store.getCluster("alpha"))?.token_hash).toBe("h");
    } finally {
      await store.close();
    }
  });

  test.each([
    ["a wrong sentinel password", { sentinelPassword: "wrong" }],
    ["a wrong Redis password", { password: "wrong" }],
  ])("%s fails at open with StoreUnavailableError", async (_, options) => {
    expect(await openFails(urlWith(options))).toBeInstanceOf(StoreUnavailableError);
  });

  test("no sentinel listening fails at open with StoreUnavailableError", async () => {
    const nobody = `redis+sentinel://127.0.0.1:${await freePort()},127.0.0.1:${await freePort()}/kubently`;
    expect(await openFails(nobody)).toBeInstanceOf(StoreUnavailableError);
  });

  test("wait_replicas=1 writes once the replica has them; wait_replicas=2, with one replica, refuses", async () => {
    const acked = await openStore(urlWith({ query: "&wait_replicas=1" }), { redisPrefix: "acked:" });
    const unmet = await openStore(urlWith({ query: "&wait_replicas=2" }), { redisPrefix: "unmet:" });
    try {
      const command = makeCommand("alpha");
      await acked.enqueue(command);
      expect((await acked.commandInfo(command.command_id))?.state).toBe("pending");
      // Concurrent writes share the WAITs and all get through: far fewer WAITs than writes.
      const waitsBefore = await waitCalls();
      await Promise.all(Array.from({ length: 20 }, () => acked.enqueue(makeCommand("alpha"))));
      expect(await acked.queueDepth("alpha")).toBe(21);
      expect((await waitCalls()) - waitsBefore).toBeLessThan(5);

      const refused = await unmet.enqueue(makeCommand("beta")).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreUnavailableError);
      expect(String((refused as Error).cause)).toContain("reached 1 of 2 replica(s)");
    } finally {
      await acked.close();
      await unmet.close();
    }
  });

  test("a subscriber ioredis gave up on (end) is connected again, subscribes again, says so, and hears", async () => {
    const store = await openStore(urlWith(), { redisPrefix: "revive:" });
    const primary = new Redis({ port: topology.primaryPort(), host: "127.0.0.1", password: PASSWORD });
    const sentinels = topology.sentinelPorts.map(
      (port) => new Redis({ port, host: "127.0.0.1", password: SENTINEL_PASSWORD }),
    );
    // Every sentinel refuses to name the primary (NOPERM), as if none answered: with no sentinel
    // retry, ioredis ends the reconnecting connection for good ("end"), and only the store's revival
    // connects it again.
    const lookup = (rule: string) =>
      Promise.all(
        sentinels.map((s) => s.call("ACL", "SETUSER", "default", `${rule}sentinel|get-master-addr-by-name`)),
      );
    try {
      await Promise.all(sentinels.map((s) => s.call("ACL", "LOG", "RESET")));
      const resubscribed = nextEvent(store, (e) => e.type === "resubscribed", 15_000);
      await lookup("-");
      expect(await killClientsNamed(primary, "kubently-events")).toBe(1);
      await eventually(async () => {
        const logs = await Promise.all(sentinels.map((s) => s.call("ACL", "LOG")));
        // Each sentinel's log shows the refused lookup: the reconnection met no sentinel's answer.
        for (const log of logs) expect(JSON.stringify(log)).toContain("get-master-addr-by-name");
      });
      await lookup("+");
      expect(await resubscribed).toEqual({ type: "resubscribed" });
      const announced = nextEvent(store, (e) => e.type === "command" && e.cluster_id === "alpha");
      await store.enqueue(makeCommand("alpha"));
      await announced;
    } finally {
      await lookup("+");
      await Promise.all(sentinels.map((s) => s.call("ACL", "LOG", "RESET")));
      for (const connection of [primary, ...sentinels]) connection.disconnect();
      await store.close();
    }
  }, 30_000);

  test("a failover asked of the sentinels: the store follows the new primary, and what it wrote is there", async () => {
    const store = await openStore(urlWith(), { redisPrefix: "switch:" });
    try {
      await store.createCluster("before", "h1", { replace: false, nowMs: 1 });
      const old = topology.primaryPort();
      await topology.switchover();
      expect(topology.primaryPort()).not.toBe(old);
      // ioredis reconnects on its own schedule once Sentinel closed its connections, and once more
      // when a sentinel that learnt of the switch later announces it too. Until its command
      // connection is on the new primary, a write still goes to the old one, which takes it until
      // Sentinel makes it a replica some seconds later, and the write is lost then (no WAIT here).
      await eventually(async () =>
        expect(await clientListAt(topology.primaryPort())).toMatch(/ name=kubently /),
      );
      await eventually(() => store.createCluster("after", "h2", { replace: false, nowMs: 2 }));
      const read = await eventually(async () => [
        await store.getCluster("before"),
        await store.getCluster("after"),
      ]);
      expect(read.map((cluster) => cluster?.token_hash)).toEqual(["h1", "h2"]);
    } finally {
      await store.close();
    }
  }, 30_000);
});
