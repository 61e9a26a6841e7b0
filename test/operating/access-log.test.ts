/**
 * The access log of a real `kubently serve` process: one JSON line per request with its route
 * template, status, duration, request id, correlation id and identity, all written out by the time
 * the process exits on SIGTERM; never a key or token, whatever header carried it; and none at all
 * with KUBENTLY_ACCESS_LOG=off.
 */
import { describe, expect, test } from "bun:test";
import type { Spawned } from "../support/process";
import { spawnServe } from "../support/serve";

const API_KEY = "access-log-client-key-0123456789";
const ADMIN_KEY = "access-log-admin-key-0123456789";
const WRONG_KEY = "access-log-wrong-key-0123456789";

interface AccessLine {
  msg: string;
  method: string;
  route: string;
  status: number;
  duration_ms: number;
  request_id: string;
  correlation_id?: string;
  identity?: string;
  cluster_id?: string;
}

async function serve(env: Record<string, string> = {}): Promise<{ url: string; process: Spawned }> {
  const process_ = spawnServe(["--store", "memory://"], {
    KUBENTLY_API_KEYS: `agent:${API_KEY}`,
    KUBENTLY_ADMIN_KEYS: `ops:${ADMIN_KEY}`,
    ...env,
  });
  const started = JSON.parse(await process_.waitForLine(/kubently listening/)) as { url: string };
  return { url: started.url, process: process_ };
}

/** Stops the server as an orchestrator would, and returns what it printed by then. */
async function stop(server: Spawned): Promise<string> {
  server.proc.kill("SIGTERM");
  expect(await server.proc.exited).toBe(0);
  await server.drained;
  return server.stdout() + server.stderr();
}

const accessLines = (output: string): AccessLine[] =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as AccessLine)
    .filter((line) => line.msg === "request");

describe("the access log", () => {
  test("has a line per request: request id, route, correlation id, identity, never a key", async () => {
    const { url, process: server } = await serve();
    const requestIds: string[] = [];
    const call = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(url + path, init);
      await response.arrayBuffer();
      requestIds.push(response.headers.get("x-request-id") ?? "");
      return response;
    };
    const issued = await call("/admin/clusters/prod/token", {
      method: "POST",
      headers: { "x-api-key": ADMIN_KEY },
    });
    expect(issued.status).toBe(201);
    const session = await call("/debug/session", {
      method: "POST",
      headers: {
        authorization: `Bearer ${API_KEY}`,
        "content-type": "application/json",
        "x-correlation-id": "trace-42",
      },
      body: JSON.stringify({ cluster_id: "prod" }),
    });
    expect(session.status).toBe(201);
    const sessionId = crypto.randomUUID();
    expect(
      (await call(`/debug/session/${sessionId}`, { headers: { "x-api-key": `agent:${API_KEY}` } })).status,
    ).toBe(404);
    expect((await call("/debug/clusters", { headers: { "x-api-key": WRONG_KEY } })).status).toBe(401);
    expect((await call("/health")).status).toBe(200);

    const output = await stop(server);
    const lines = accessLines(output);
    expect(lines.map((line) => line.request_id)).toEqual(requestIds);
    expect(lines.map(({ method, route, status }) => `${method} ${route} ${status}`)).toEqual([
      "POST /admin/clusters/:cluster_id/token 201",
      "POST /debug/session 201",
      "GET /debug/session/:session_id 404",
      "GET /debug/clusters 401",
      "GET /health 200",
    ]);
    expect(lines.map((line) => line.identity)).toEqual(["ops", "agent", "agent", undefined, undefined]);
    expect(lines[1]?.correlation_id).toBe("trace-42");
    for (const line of lines) expect(line.duration_ms).toBeGreaterThanOrEqual(0);
    for (const secret of [API_KEY, ADMIN_KEY, WRONG_KEY]) expect(output).not.toContain(secret);
    expect(output).not.toContain(sessionId);
  });

  test("is off with KUBENTLY_ACCESS_LOG=off, and the rest of the log is not", async () => {
    const { url, process: server } = await serve({ KUBENTLY_ACCESS_LOG: "off" });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const output = await stop(server);
    expect(accessLines(output)).toEqual([]);
    expect(output).toContain('"msg":"shutting down"');
  });
});
