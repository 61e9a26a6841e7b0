/**
 * Readiness and the graceful stop over real HTTP: /ready flips to 503 DRAINING the moment a stop
 * begins, new commands are refused while the waits under way finish, executors are told to go
 * elsewhere, and the drain is bounded; /ready and the metrics when the store (a throwaway Redis)
 * goes away.
 */
import { describe, expect, test } from "bun:test";
import type { CommandResult, ErrorBody } from "../../src/models";
import { nextEvent } from "../support/events";
import { connectSse } from "../support/protocol-executor";
import { json, startTestServer } from "../support/server";
import { useStores } from "../support/stores";
import { scrape } from "./exposition";

const command = json({ cluster_id: "prod", command_type: "get", args: ["pods"] });

async function expectCode(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(((await response.json()) as ErrorBody).details.code).toBe(code);
}

describe("a graceful stop", () => {
  test("fails /ready and refuses commands at once, lets waits finish, then moves executors", async () => {
    const server = await startTestServer();
    const { promise: released, resolve: release } = Promise.withResolvers<void>();
    const executor = await connectSse(server.url, "prod", await server.registerCluster("prod"), async () => {
      await released;
      return { stdout: "answered while draining" };
    });
    expect(await (await fetch(`${server.url}/ready`)).json()).toEqual({ status: "ready" });
    const waiting = server.client("/debug/execute", command);
    await executor.nextCommand();

    const stopping = server.stop();
    await expectCode(await fetch(`${server.url}/ready`), 503, "DRAINING");
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await expectCode(await server.client("/debug/execute", command), 503, "DRAINING");
    await expectCode(await server.client("/debug/execute/async", command), 503, "DRAINING");
    expect(executor.received.length).toBe(1);

    release();
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as CommandResult).stdout).toBe("answered while draining");
    expect(await executor.ended).toBe("server shutting down; reconnect");
    await stopping;
  });

  test("waits no longer than its bound: 503 to the caller, the command back to the queue", async () => {
    const server = await startTestServer({ ops: { drainMs: 50 } });
    const executor = await connectSse(
      server.url,
      "prod",
      await server.registerCluster("prod"),
      () => "ignore",
    );
    const waiting = server.client(
      "/debug/execute",
      json({ cluster_id: "prod", command_type: "get", args: [], timeout_seconds: 2 }),
    );
    await executor.nextCommand();
    const requeued = nextEvent(
      server.store,
      (event) => event.type === "command" && event.cluster_id === "prod",
    );
    await server.stop();
    await requeued;
    expect(await executor.ended).toBe("server shutting down; reconnect");
    // The caller still waiting was answered before the server closed.
    await expectCode(await waiting, 503, "DRAINING");
  });
});

describe("with the store down", () => {
  const { redis: fileRedis } = useStores("readiness");

  test("/ready answers 503 STORE_UNAVAILABLE and the metrics count the failures", async () => {
    const redis = fileRedis();
    const server = await startTestServer({ storeUrl: redis.url });
    try {
      await server.registerCluster("prod");
      await redis.kill();
      await expectCode(
        await server.client("/debug/session", json({ cluster_id: "prod" })),
        503,
        "STORE_UNAVAILABLE",
      );
      await expectCode(await fetch(`${server.url}/ready`), 503, "STORE_UNAVAILABLE");

      const { value } = await scrape(server.url);
      expect(value("kubently_store_errors_total")).toBeGreaterThanOrEqual(1);
      expect(value("kubently_http_errors_total", { code: "STORE_UNAVAILABLE" })).toBeGreaterThanOrEqual(1);
      // Depth and sessions are unknown, so absent rather than zero.
      expect(value("kubently_queue_depth", { cluster_id: "prod" })).toBeUndefined();
      expect(value("kubently_sessions_active")).toBeUndefined();
    } finally {
      // Back first, so what the server still has to write at stop is not left to time out.
      await redis.restart();
      await server.stop();
    }
  });
});
