/**
 * Rate limits over real HTTP, on the memory store and on a throwaway Redis: 429 RATE_LIMITED with
 * Retry-After per API key identity and per cluster, refills driven by an injected clock (never by
 * sleeping), routes that are never limited, and one budget shared by two apps on one Redis.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ErrorBody } from "../../src/models";
import { connectSse, executorHeaders, type ProtocolExecutor } from "../support/protocol-executor";
import { CLIENT_KEY, json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";
import { scrape } from "./exposition";

const { redis } = useStores("rate-limit");

const PER_CLIENT = { perSecond: 1, burst: 2 };
const PER_CLUSTER = { perSecond: 1, burst: 1 };

/** A clock the test moves by hand. */
function manualClock() {
  let now = 1_700_000_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function expectRateLimited(response: Response, scope: "client" | "cluster", retryAfter = "1") {
  expect(response.status).toBe(429);
  expect(response.headers.get("retry-after")).toBe(retryAfter);
  const body = (await response.json()) as ErrorBody;
  expect(body.details.code).toBe("RATE_LIMITED");
  expect(body.details.context).toMatchObject({ scope, retry_after_seconds: Number(retryAfter) });
  expect(body.request_id).toBe(response.headers.get("x-request-id") ?? "");
  return body;
}

const stores: [string, () => string][] = [
  ["memory://", () => "memory://"],
  ["redis://", () => redis().url],
];

describe.each(stores)("on %s", (_, storeUrl) => {
  describe("per API key", () => {
    const clock = manualClock();
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({
        storeUrl: storeUrl(),
        ops: { clock: clock.now, rateLimits: { client: PER_CLIENT, cluster: null } },
      });
    });
    afterAll(() => server.stop());
    /** Each test starts with full buckets. */
    const refill = () => clock.advance(60_000);

    test("a key over its rate gets 429 with Retry-After; another key is unaffected", async () => {
      refill();
      for (let i = 0; i < PER_CLIENT.burst; i++)
        expect((await server.client("/debug/clusters")).status).toBe(200);
      await expectRateLimited(await server.client("/debug/clusters"), "client");
      expect((await server.other("/debug/clusters")).status).toBe(200);
    });

    test("the bucket refills as the clock moves, one token per second", async () => {
      refill();
      for (let i = 0; i < PER_CLIENT.burst; i++) await server.client("/debug/clusters");
      clock.advance(400);
      await expectRateLimited(await server.client("/debug/clusters"), "client");
      clock.advance(600);
      expect((await server.client("/debug/clusters")).status).toBe(200);
      await expectRateLimited(await server.client("/debug/clusters"), "client");
    });

    test("a refused request does nothing", async () => {
      refill();
      for (let i = 0; i < PER_CLIENT.burst; i++) await server.client("/debug/clusters");
      const before = await server.store.countActiveSessions(Date.now());
      const refused = await server.client("/debug/session", json({ cluster_id: "anything" }));
      await expectRateLimited(refused, "client");
      expect(await server.store.countActiveSessions(Date.now())).toBe(before);
    });

    test("health, readiness, metrics, admin and executor routes are never limited", async () => {
      refill();
      let token = await server.registerCluster("unlimited");
      for (let i = 0; i < PER_CLIENT.burst; i++) await server.client("/debug/clusters");
      for (let i = 0; i < 2 * PER_CLIENT.burst; i++) {
        for (const path of ["/health", "/ready", "/metrics"])
          expect((await fetch(server.url + path)).status).toBe(200);
        const poll = await fetch(`${server.url}/executor/commands?wait=0`, {
          headers: executorHeaders("unlimited", token),
        });
        expect(poll.status).toBe(200);
        const rotate = await server.admin("/admin/clusters/unlimited/token?rotate=true", { method: "POST" });
        expect(rotate.status).toBe(201);
        ({ token } = (await rotate.json()) as { token: string });
      }
    });

    test("refusals are counted", async () => {
      refill();
      const counted = async () =>
        (await scrape(server.url)).value("kubently_rate_limited_total", { scope: "client" }) ?? 0;
      const before = await counted();
      for (let i = 0; i <= PER_CLIENT.burst; i++) await server.client("/debug/clusters");
      expect(await counted()).toBe(before + 1);
    });
  });

  describe("per cluster", () => {
    const clock = manualClock();
    let server: TestServer;
    let busy: ProtocolExecutor;
    let calm: ProtocolExecutor;
    beforeAll(async () => {
      server = await startTestServer({
        storeUrl: storeUrl(),
        ops: { clock: clock.now, rateLimits: { client: null, cluster: PER_CLUSTER } },
      });
      busy = await connectSse(server.url, "busy", await server.registerCluster("busy"));
      calm = await connectSse(server.url, "calm", await server.registerCluster("calm"));
    });
    afterAll(async () => {
      busy.close();
      calm.close();
      await server.stop();
    });
    const command = (cluster_id: string) => json({ cluster_id, command_type: "get", args: ["pods"] });

    test("a cluster over its command rate is refused every way in; other clusters are not", async () => {
      clock.advance(60_000);
      expect((await server.client("/debug/execute", command("busy"))).status).toBe(200);
      const refused = await expectRateLimited(
        await server.client("/debug/execute", command("busy")),
        "cluster",
      );
      expect(refused.details.context.cluster_id).toBe("busy");
      await expectRateLimited(await server.client("/debug/execute/async", command("busy")), "cluster");
      expect((await server.client("/debug/execute", command("calm"))).status).toBe(200);
      // Nothing refused reached the executor.
      expect(busy.received.length).toBe(1);

      const mcp = new Client({ name: "kubently-test", version: "1.0.0" });
      await mcp.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
          requestInit: { headers: { "x-api-key": CLIENT_KEY } },
        }),
      );
      try {
        const result = (await mcp.callTool({
          name: "execute_kubectl",
          arguments: { cluster_id: "busy", command: "get pods" },
        })) as CallToolResult;
        expect(result.isError).toBe(true);
        expect(JSON.stringify(result.content)).toContain("RATE_LIMITED");
      } finally {
        await mcp.close();
      }

      clock.advance(1_000);
      expect((await server.client("/debug/execute", command("busy"))).status).toBe(200);
      expect(busy.received.length).toBe(2);
    });
  });
});

describe("replicas on one Redis", () => {
  test("share each key's budget", async () => {
    const clock = manualClock();
    const shared = {
      storeUrl: redis().url,
      redisPrefix: `shared-${crypto.randomUUID()}:`,
      ops: { clock: clock.now, rateLimits: { client: PER_CLIENT, cluster: null } },
    };
    const [first, second] = await Promise.all([startTestServer(shared), startTestServer(shared)]);
    try {
      for (let i = 0; i < PER_CLIENT.burst; i++)
        expect((await first.client("/debug/clusters")).status).toBe(200);
      await expectRateLimited(await second.client("/debug/clusters"), "client");
      expect((await second.other("/debug/clusters")).status).toBe(200);
      clock.advance(1_000);
      expect((await second.client("/debug/clusters")).status).toBe(200);
      await expectRateLimited(await first.client("/debug/clusters"), "client");
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
