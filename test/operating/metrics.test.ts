/**
 * GET /metrics over real HTTP on a real (memory) store: after known traffic, the series it names,
 * their labels and their counts; route labels that are templates, never ids; per-app registries;
 * and the route's absence when turned off.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ErrorBody } from "../../src/models";
import { nextEvent } from "../support/events";
import { connectSse, type Handler, type ProtocolExecutor } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";
import { scrape } from "./exposition";

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Answers by the first argument: `deny` is refused, `fail` exits 1, anything else succeeds. */
const byArgument: Handler = (command) => {
  if (command.args[0] === "deny") return { status: "denied", exit_code: null, reason: "not allowed" };
  if (command.args[0] === "fail") return { status: "failure", exit_code: 1, execution_time_ms: 40 };
  return { stdout: "ok", execution_time_ms: 120 };
};

let server: TestServer;
let executor: ProtocolExecutor;
beforeAll(async () => {
  server = await startTestServer();
  executor = await connectSse(server.url, "prod", await server.registerCluster("prod"), byArgument);
});
afterAll(async () => {
  executor.close();
  await server.stop();
});

const execute = (body: Record<string, unknown>) =>
  server.client("/debug/execute", json({ cluster_id: "prod", command_type: "get", ...body }));

describe("after known traffic", () => {
  const unknownIds = [crypto.randomUUID(), crypto.randomUUID()];

  beforeAll(async () => {
    const session = await server.client("/debug/session", json({ cluster_id: "prod" }));
    expect(session.status).toBe(201);
    const { session_id } = (await session.json()) as { session_id: string };
    expect((await execute({ session_id, args: ["pods"] })).status).toBe(200);
    expect((await execute({ args: ["fail"] })).status).toBe(200);
    expect((await execute({ args: ["deny"] })).status).toBe(403);
    for (const id of unknownIds) expect((await server.client(`/debug/session/${id}`)).status).toBe(404);
    expect((await fetch(`${server.url}/no/such/${unknownIds[0]}`)).status).toBe(404);
  });

  test("requests are counted by method, route template and status, with their durations", async () => {
    const { value } = await scrape(server.url);
    const series = (method: string, route: string, status: string) => ({ method, route, status });
    expect(value("kubently_http_requests_total", series("POST", "/debug/session", "201"))).toBe(1);
    expect(value("kubently_http_requests_total", series("POST", "/debug/execute", "200"))).toBe(2);
    expect(value("kubently_http_requests_total", series("POST", "/debug/execute", "403"))).toBe(1);
    expect(value("kubently_http_requests_total", series("GET", "/debug/session/:session_id", "404"))).toBe(2);
    expect(value("kubently_http_requests_total", series("GET", "unmatched", "404"))).toBe(1);
    const executes = series("POST", "/debug/execute", "200");
    expect(value("kubently_http_request_duration_seconds_count", executes)).toBe(2);
    expect(value("kubently_http_request_duration_seconds_bucket", { ...executes, le: "+Inf" })).toBe(2);
    expect(value("kubently_http_request_duration_seconds_sum", executes)).toBeGreaterThan(0);
  });

  test("no id becomes a label value: routes are templates", async () => {
    const { body, samples } = await scrape(server.url);
    for (const { name, labels } of samples.filter((s) => s.name.startsWith("kubently_http_"))) {
      expect({ name, route: labels.route ?? "" }).not.toMatchObject({
        route: expect.stringMatching(UUID_RE),
      });
    }
    for (const id of unknownIds) expect(body).not.toContain(id);
  });

  test("error responses are counted by their code", async () => {
    const { value } = await scrape(server.url);
    expect(value("kubently_http_errors_total", { code: "SESSION_NOT_FOUND" })).toBe(2);
    expect(value("kubently_http_errors_total", { code: "ROUTE_NOT_FOUND" })).toBe(1);
    expect(value("kubently_http_errors_total", { code: "COMMAND_DENIED" })).toBe(1);
  });

  test("commands are counted by cluster and outcome, with execution and wait times", async () => {
    const { value } = await scrape(server.url);
    const prod = { cluster_id: "prod" };
    expect(value("kubently_commands_total", { ...prod, outcome: "success" })).toBe(1);
    expect(value("kubently_commands_total", { ...prod, outcome: "failure" })).toBe(1);
    expect(value("kubently_commands_total", { ...prod, outcome: "denied" })).toBe(1);
    // Denied commands never ran: two executions, 120 ms and 40 ms as the executor reported them.
    expect(value("kubently_command_execution_seconds_count", prod)).toBe(2);
    expect(value("kubently_command_execution_seconds_sum", prod)).toBeCloseTo(0.16, 5);
    expect(value("kubently_command_execution_seconds_bucket", { ...prod, le: "0.05" })).toBe(1);
    // Waits are what callers saw answered with a result: the denial was one too.
    expect(value("kubently_command_wait_seconds_count", prod)).toBe(3);
  });

  test("sessions, executors, queue depth and store errors are read at scrape time", async () => {
    const { value } = await scrape(server.url);
    expect(value("kubently_sessions_active")).toBe(1);
    expect(value("kubently_executors_connected", { transport: "sse" })).toBe(1);
    expect(value("kubently_queue_depth", { cluster_id: "prod" })).toBe(0);
    expect(value("kubently_store_errors_total")).toBe(0);
  });

  test("the process's own metrics come once per scrape", async () => {
    const { body } = await scrape(server.url);
    const types = [...body.matchAll(/^# TYPE (\S+)/gm)].map(([, name]) => name);
    expect(types).toContain("process_cpu_user_seconds_total");
    expect(types).toContain("nodejs_eventloop_lag_seconds");
    expect(types.length).toBe(new Set(types).size);
  });

  test("each scrape counts the one before it", async () => {
    const before = (await scrape(server.url)).value("kubently_http_requests_total", {
      method: "GET",
      route: "/metrics",
      status: "200",
    });
    const after = (await scrape(server.url)).value("kubently_http_requests_total", {
      method: "GET",
      route: "/metrics",
      status: "200",
    });
    expect(after).toBe((before ?? 0) + 1);
  });
});

describe("commands nobody answers", () => {
  test("wait in the queue depth, then count as offline once their deadline passes", async () => {
    // A server of its own: the offline and error counts are this test's alone.
    const server = await startTestServer();
    try {
      await server.registerCluster("idle");
      const queued = nextEvent(
        server.store,
        (event) => event.type === "command" && event.cluster_id === "idle",
      );
      const pending = server.client(
        "/debug/execute",
        json({ cluster_id: "idle", command_type: "get", args: [], timeout_seconds: 1 }),
      );
      await queued;
      expect((await scrape(server.url)).value("kubently_queue_depth", { cluster_id: "idle" })).toBe(1);
      const response = await pending;
      expect(response.status).toBe(504);
      expect(((await response.json()) as ErrorBody).details.code).toBe("EXECUTOR_OFFLINE");
      const { value } = await scrape(server.url);
      expect(value("kubently_commands_total", { cluster_id: "idle", outcome: "offline" })).toBe(1);
      expect(value("kubently_queue_depth", { cluster_id: "idle" })).toBe(0);
      expect(value("kubently_http_errors_total", { code: "EXECUTOR_OFFLINE" })).toBe(1);
    } finally {
      await server.stop();
    }
  });
});

describe("executor connections", () => {
  test("leave the gauge when their stream ends", async () => {
    // A server of its own: the gauge counts only the two executors this test connects.
    const own = await startTestServer();
    const staying = await connectSse(own.url, "staying", await own.registerCluster("staying"));
    try {
      const brief = await connectSse(own.url, "brief", await own.registerCluster("brief"));
      const connected = async () =>
        (await scrape(own.url)).value("kubently_executors_connected", { transport: "sse" });
      expect(await connected()).toBe(2);
      // Revoking ends the stream; the stream closes only once its delivery loop has finished.
      expect((await own.admin("/admin/clusters/brief/token", { method: "DELETE" })).status).toBe(204);
      expect(await brief.ended).toBe("executor token revoked");
      expect(await connected()).toBe(1);
    } finally {
      staying.close();
      await own.stop();
    }
  });
});

describe("per app", () => {
  test("two apps in one process keep their own series", async () => {
    const second = await startTestServer();
    try {
      const { value } = await scrape(second.url);
      expect(
        value("kubently_http_requests_total", { method: "POST", route: "/debug/execute", status: "200" }),
      ).toBeUndefined();
      expect(value("kubently_executors_connected", { transport: "sse" })).toBeUndefined();
    } finally {
      await second.stop();
    }
  });

  test("with metrics off there is no /metrics route", async () => {
    const quiet = await startTestServer({ ops: { metrics: false } });
    try {
      const response = await fetch(`${quiet.url}/metrics`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as ErrorBody).details.code).toBe("ROUTE_NOT_FOUND");
    } finally {
      await quiet.stop();
    }
  });
});
