/**
 * A client generated from the document (openapi-typescript's types, openapi-fetch) against a running
 * server with a real executor (its echo runner: it answers with the argv and runs nothing): what the
 * document promises is what the server does, and `npm run typecheck` proves the calls below match the
 * document's types. Also: the committed types are what openapi-typescript writes for the committed
 * document.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import createClient from "openapi-fetch";
import type { RunningExecutor } from "../../executor/executor";
import type { paths } from "../../openapi/kubently";
import { COMMITTED_DOCUMENT, COMMITTED_TYPES, typesOf } from "../../scripts/openapi";
import { startInProcessExecutor } from "../support/executor";
import { CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: TestServer;
let executor: RunningExecutor;
let dir = "";
beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), "kubently-typed-client-"));
  executor = await startInProcessExecutor({
    PATH: process.env.PATH,
    KUBENTLY_API_URL: server.url,
    KUBENTLY_CLUSTER_ID: "typed",
    KUBENTLY_TOKEN: await server.registerCluster("typed"),
    KUBENTLY_TRANSPORT: "sse",
    KUBENTLY_RUNNER: "echo",
    KUBENTLY_CACHE_DIR: join(dir, "cache"),
  });
});
afterAll(async () => {
  await executor.stop();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const client = () => createClient<paths>({ baseUrl: server.url, headers: { "X-API-Key": CLIENT_KEY } });

test("openapi/kubently.ts is what openapi-typescript writes for openapi/kubently.json", async () => {
  const committed = await Bun.file(COMMITTED_TYPES).text();
  if (committed !== (await typesOf(await Bun.file(COMMITTED_DOCUMENT).text())))
    throw new Error("openapi/kubently.ts is stale: run `npm run openapi` and commit openapi/");
});

describe("the generated client against the running server", () => {
  test("creates a session, runs a command in it, and reads the documented headers", async () => {
    const api = client();
    const created = await api.POST("/debug/session", {
      params: { header: { "X-Correlation-ID": "typed-1" } },
      body: { cluster_id: "typed", ttl_seconds: 60 },
    });
    expect(created.response.status).toBe(201);
    const session = created.data;
    if (!session) throw new Error(`no session: ${JSON.stringify(created.error)}`);
    expect(session).toMatchObject({ cluster_id: "typed", correlation_id: "typed-1", ttl_seconds: 60 });
    expect(created.response.headers.get("X-Request-ID")).toMatch(UUID_RE);
    expect(created.response.headers.get("X-Correlation-ID")).toBe("typed-1");

    const ran = await api.POST("/debug/execute", {
      params: {
        header: { "X-Correlation-ID": "typed-2", "X-Service-Identity": "typed-bot", "X-Request-Timeout": 20 },
      },
      body: { session_id: session.session_id, command_type: "get", args: ["pods", "-n", "shop"] },
    });
    expect(ran.response.status).toBe(200);
    expect(ran.data).toMatchObject({
      status: "success",
      exit_code: 0,
      cluster_id: "typed",
      correlation_id: "typed-2",
      service_identity: "agent",
    });
    expect(ran.data?.stdout).toContain("get pods -n shop");
    expect(ran.response.headers.get("X-Correlation-ID")).toBe("typed-2");

    const read = await api.GET("/debug/session/{session_id}", {
      params: { path: { session_id: session.session_id } },
    });
    expect(read.data?.session_id).toBe(session.session_id);
  });

  test("an async command answers 202 with Location, and the operation is read there", async () => {
    const api = client();
    const started = await api.POST("/debug/execute/async", {
      body: { cluster_id: "typed", command_type: "version", args: [] },
    });
    expect(started.response.status).toBe(202);
    const location = started.response.headers.get("Location");
    expect(location).toBe(`/debug/operations/${started.data?.operation_id}`);
    const read = await api.GET("/debug/operations/{operation_id}", {
      params: { path: { operation_id: started.data?.operation_id ?? "" } },
    });
    expect(read.response.status).toBe(200);
    expect(read.data?.operation_id).toBe(started.data?.operation_id ?? "missing");
  });

  test("errors are the documented Error shape, typed", async () => {
    const api = client();
    const missing = await api.GET("/debug/session/{session_id}", {
      params: { path: { session_id: "3f1c2a7e-9b7d-4c61-8f0e-2d7a1b9c4e55" } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.details.code).toBe("SESSION_NOT_FOUND");
    expect(missing.error?.request_id).toBe(missing.response.headers.get("X-Request-ID") ?? "missing");

    const badHeader = await api.POST("/debug/execute", {
      params: { header: { "X-Request-Timeout": 0 } },
      body: { cluster_id: "typed", command_type: "get", args: ["pods"] },
    });
    expect(badHeader.response.status).toBe(400);
    expect(badHeader.error?.details).toMatchObject({
      code: "INVALID_HEADER",
      context: { header: "X-Request-Timeout" },
    });

    const unauthorized = await createClient<paths>({ baseUrl: server.url }).GET("/debug/clusters");
    expect(unauthorized.response.status).toBe(401);
    expect(unauthorized.error?.details.code).toBe("UNAUTHORIZED");
    expect(unauthorized.response.headers.get("WWW-Authenticate")).toBe('Bearer realm="kubently"');
  });
});
