/**
 * A notification Redis published while the server's subscriber was cut off never arrives; the server
 * does not wait for one it may have missed. Once its subscription is back (the store's `resubscribed`
 * event), a waiting caller reads its result and a connected executor claims, both long before the
 * command's deadline or the executor's next keepalive, which the test timeout is far below.
 * Real server, real SSE executor, real redis-server; the subscriber is kept away by refusing new
 * connections (maxclients) so every notification of the gap is certainly published to nobody.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import type { Command, CommandResult } from "../../src/models";
import type { StoreEvent } from "../../src/store";
import { killClientsNamed } from "../support/client-kill";
import { nextEvent } from "../support/events";
import { connectSse, postResult } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";

const stores = useStores("missed-notification");

describe("notifications missed while the server's subscriber was cut off", () => {
  let server: TestServer;
  let admin: Redis;
  let token: string;
  beforeAll(async () => {
    // A keepalive far beyond the test timeout: an executor woken before it was woken by the store.
    server = await startTestServer({ storeUrl: stores.redis().url, keepaliveMs: 120_000 });
    token = await server.registerCluster("prod");
    admin = new Redis(stores.redis().url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await admin.connect();
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });

  /** Events the server's store heard from now until it said it resubscribed, and that it did. */
  let heard: Promise<StoreEvent[]>;
  /** Cuts the subscriber off and keeps it off until `reconnect()`. */
  async function cutOff(): Promise<void> {
    const events: StoreEvent[] = [];
    const off = server.store.subscribe((event) => events.push(event));
    heard = nextEvent(server.store, (e) => e.type === "resubscribed", 15_000).then(() => {
      off();
      return events;
    });
    const connected = Number(/connected_clients:(\d+)/.exec(await admin.info("clients"))?.[1]);
    await admin.config("SET", "maxclients", String(connected - 1));
    expect(await killClientsNamed(admin, "kubently-events")).toBe(1);
  }
  const reconnect = () => admin.config("SET", "maxclients", "10000");
  beforeEach(reconnect);

  const execute = (path: string, args: string[]) =>
    server.client(path, json({ cluster_id: "prod", command_type: "get", args, timeout_seconds: 120 }));

  test("a waiting caller gets a result stored while the subscriber was cut off", async () => {
    const executor = await connectSse(server.url, "prod", token, () => "ignore");
    try {
      const pending = execute("/debug/execute", ["pods"]);
      const command = await executor.nextCommand();
      await cutOff();
      const posted = await postResult(server.url, "prod", token, command, { stdout: "while cut off" });
      expect(await posted.json()).toEqual({ stored: true });
      await reconnect();
      // Its notification went to nobody: what brings the result is the look after resubscribing.
      expect((await heard).filter((e) => e.type === "result")).toEqual([]);
      const response = await pending;
      expect(response.status).toBe(200);
      expect((await response.json()) as CommandResult).toMatchObject({
        command_id: command.command_id,
        stdout: "while cut off",
      });
    } finally {
      executor.close();
    }
  }, 20_000);

  test("a connected executor claims a command queued while the subscriber was cut off", async () => {
    const executor = await connectSse(server.url, "prod", token, () => "ignore");
    try {
      // A first command shows the connection is serving; it then waits for the next notification.
      expect((await execute("/debug/execute/async", ["first"])).status).toBe(202);
      expect((await executor.nextCommand()).args).toEqual(["first"]);
      await cutOff();
      expect((await execute("/debug/execute/async", ["second"])).status).toBe(202);
      await reconnect();
      expect((await heard).filter((e) => e.type === "command")).toEqual([]);
      const second: Command = await executor.nextCommand();
      expect(second.args).toEqual(["second"]);
    } finally {
      executor.close();
    }
  }, 20_000);
});
