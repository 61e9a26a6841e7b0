import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ErrorBody, Session } from "../../src/models";
import { json, startTestServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.registerCluster("prod");
});
afterAll(() => server.stop());

const create = (body: unknown, headers: Record<string, string> = {}) =>
  server.client("/debug/session", { ...json(body), headers });

describe("sessions", () => {
  test("create → 201 with defaults, readable, then ended once", async () => {
    const response = await create({ cluster_id: "prod" }, { "x-correlation-id": "trace-1" });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-correlation-id")).toBe("trace-1");
    const session = (await response.json()) as Session;
    expect(session).toMatchObject({
      cluster_id: "prod",
      user_id: "agent",
      service_identity: "agent",
      correlation_id: "trace-1",
      ttl_seconds: 300,
    });
    expect(Date.parse(session.expires_at) - Date.parse(session.created_at)).toBe(300_000);

    const read = await server.client(`/debug/session/${session.session_id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(session);

    expect((await server.client(`/debug/session/${session.session_id}`, { method: "DELETE" })).status).toBe(
      204,
    );
    const gone = await server.client(`/debug/session/${session.session_id}`, { method: "DELETE" });
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as ErrorBody).details.code).toBe("SESSION_NOT_FOUND");
  });

  test("user id, correlation id from the body, and TTL are honoured", async () => {
    const response = await create({
      cluster_id: "prod",
      user_id: "bob",
      correlation_id: "body-trace",
      ttl_seconds: 60,
    });
    const session = (await response.json()) as Session;
    expect(session).toMatchObject({ user_id: "bob", correlation_id: "body-trace", ttl_seconds: 60 });
    expect(response.headers.get("x-correlation-id")).toBe("body-trace");
  });

  test("the cluster is marked active while the session lives", async () => {
    const session = (await (await create({ cluster_id: "prod" })).json()) as Session;
    const list = (await (await server.client("/debug/clusters")).json()) as {
      clusters: { cluster_id: string; active: boolean }[];
    };
    expect(list.clusters.find((c) => c.cluster_id === "prod")?.active).toBe(true);
    await server.client(`/debug/session/${session.session_id}`, { method: "DELETE" });
  });

  test("a session is never created for an unregistered cluster", async () => {
    const before = await server.store.countActiveSessions(Date.now());
    const response = await create({ cluster_id: "phantom" });
    expect(response.status).toBe(404);
    const body = (await response.json()) as ErrorBody;
    expect(body.details).toMatchObject({ code: "CLUSTER_NOT_FOUND", context: { cluster_id: "phantom" } });
    expect(await server.store.countActiveSessions(Date.now())).toBe(before);
  });

  test.each([
    ["a cluster id with capitals", { cluster_id: "Prod" }],
    ["a cluster id with a slash", { cluster_id: "prod/../x" }],
    ["a missing cluster id", {}],
    ["a zero TTL", { cluster_id: "prod", ttl_seconds: 0 }],
    ["a TTL over a day", { cluster_id: "prod", ttl_seconds: 86_401 }],
    ["an unknown field", { cluster_id: "prod", admin: true }],
    ["a correlation id with spaces", { cluster_id: "prod", correlation_id: "a b" }],
  ])("%s is 400 and creates nothing", async (_, body) => {
    const before = await server.store.countActiveSessions(Date.now());
    const response = await create(body);
    expect(response.status).toBe(400);
    const error = (await response.json()) as ErrorBody;
    expect(error.details.code).toBe("VALIDATION_ERROR");
    expect(error.details.context.location).toBe("body");
    expect(await server.store.countActiveSessions(Date.now())).toBe(before);
  });

  test("an invalid X-Correlation-ID header is 400", async () => {
    const response = await create({ cluster_id: "prod" }, { "x-correlation-id": "has spaces in it" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).details.code).toBe("INVALID_HEADER");
  });

  test("a malformed session id is 400, an unknown one 404", async () => {
    expect((await server.client("/debug/session/not-a-uuid")).status).toBe(400);
    expect((await server.client(`/debug/session/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe("a session belongs to the principal that created it", () => {
  // The hole this closes: another key's session answered 200 to GET, ran a command and was ended by DELETE.
  test("for another key it does not exist: GET, execute and DELETE answer the unknown-id 404", async () => {
    const session = (await (await create({ cluster_id: "prod", ttl_seconds: 60 })).json()) as Session;
    const path = `/debug/session/${session.session_id}`;
    const unknown = (await (await server.other(`/debug/session/${crypto.randomUUID()}`)).json()) as ErrorBody;
    const depth = await server.store.queueDepth("prod");

    const read = await server.other(path);
    const ran = await server.other("/debug/execute", {
      ...json({ session_id: session.session_id, command_type: "get", args: ["pods"], timeout_seconds: 1 }),
    });
    const ended = await server.other(path, { method: "DELETE" });
    for (const response of [read, ran, ended]) {
      expect(response.status).toBe(404);
      const body = (await response.json()) as ErrorBody;
      expect(body.details.code).toBe("SESSION_NOT_FOUND");
      expect(body.error).toBe(unknown.error);
    }

    // Nothing changed: nothing queued, the session neither ended nor kept alive by the stranger.
    expect(await server.store.queueDepth("prod")).toBe(depth);
    const mine = await server.client(path);
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as Session).expires_at).toBe(session.expires_at);
    expect((await server.client(path, { method: "DELETE" })).status).toBe(204);
  });
});
