import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ErrorBody } from "../../src/models";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 4096 });
  await server.registerCluster("prod");
});
afterAll(() => server.stop());

const expectErrorFormat = (body: ErrorBody, requestId: string | null) => {
  expect(typeof body.error).toBe("string");
  expect(typeof body.details.code).toBe("string");
  expect(typeof body.details.context).toBe("object");
  expect(body.request_id).toBe(requestId ?? "");
  expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
};

describe("the edge", () => {
  test("every response carries a fresh X-Request-ID", async () => {
    const [a, b] = await Promise.all([fetch(`${server.url}/health`), fetch(`${server.url}/health`)]);
    expect(a?.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(a?.headers.get("x-request-id")).not.toBe(b?.headers.get("x-request-id"));
  });

  test("a body over the limit is 413 and nothing is created", async () => {
    const response = await server.client("/debug/session", {
      method: "POST",
      body: JSON.stringify({ cluster_id: "prod", user_id: "x".repeat(5000) }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as ErrorBody;
    expect(body.details).toEqual({ code: "PAYLOAD_TOO_LARGE", context: { limit_bytes: 4096 } });
    expectErrorFormat(body, response.headers.get("x-request-id"));
    expect(await server.store.countActiveSessions(Date.now())).toBe(0);
  });

  test("a body that is not JSON is 400", async () => {
    const response = await server.client("/debug/session", { method: "POST", body: "{not json" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(["INVALID_BODY", "VALIDATION_ERROR"]).toContain(body.details.code);
    expectErrorFormat(body, response.headers.get("x-request-id"));
  });

  test("an unknown route is 404 in the error format", async () => {
    const response = await server.client("/debug/nothing-here");
    expect(response.status).toBe(404);
    const body = (await response.json()) as ErrorBody;
    expect(body.details.code).toBe("ROUTE_NOT_FOUND");
    expectErrorFormat(body, response.headers.get("x-request-id"));
  });

  test("health has the seed's shape", async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: "healthy",
      store: "connected",
      store_kind: "memory",
      active_sessions: 0,
    });
    expect(typeof body.version).toBe("string");
    expect(typeof body.uptime_seconds).toBe("number");
  });
});
