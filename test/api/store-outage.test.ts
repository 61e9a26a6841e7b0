/** Redis goes away and comes back: the API answers 503 in the error format meanwhile, then recovers by itself. */
import { expect, test } from "bun:test";
import type { ErrorBody } from "../../src/models";
import { eventually } from "../support/eventually";
import type { RedisServer } from "../support/redis-server";
import { json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";

const { redis: fileRedis } = useStores("store-outage");

test("503 STORE_UNAVAILABLE while Redis is down, healthy again after it returns", async () => {
  const redis = fileRedis();
  const server = await startTestServer({ storeUrl: redis.url });
  try {
    await server.registerCluster("prod");
    await outage(redis, server);
  } finally {
    // Back first (a failed test may leave it down), so the server's last writes do not time out.
    if ((await fetch(`${server.url}/health`)).status === 503) await redis.restart();
    await server.stop();
  }
});

async function outage(redis: RedisServer, server: TestServer): Promise<void> {
  await redis.kill();

  const health = await fetch(`${server.url}/health`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({
    status: "unhealthy",
    store: "unavailable",
    active_sessions: null,
  });

  const session = await server.client("/debug/session", json({ cluster_id: "prod" }));
  expect(session.status).toBe(503);
  const body = (await session.json()) as ErrorBody;
  expect(body.details.code).toBe("STORE_UNAVAILABLE");
  expect(body.request_id).toBe(session.headers.get("x-request-id") ?? "");
  expect(JSON.stringify(body)).not.toContain(redis.url);

  await redis.restart();
  // ioredis reconnects on its own schedule; nothing announces it to the test.
  await eventually(async () => expect((await fetch(`${server.url}/health`)).status).toBe(200));
  // The restarted Redis is empty (no persistence): the cluster must be registered again.
  await server.registerCluster("prod");
  expect((await server.client("/debug/session", json({ cluster_id: "prod" }))).status).toBe(201);
}
