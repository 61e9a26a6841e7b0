/**
 * The execute flow over real HTTP and real SSE/long-poll connections, on every store backend.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { Command, CommandResult, ErrorBody, Session } from "../../src/models";
import { nextEvent } from "../support/events";
import { connectSse, executorHeaders, postResult } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";

const { backends } = useStores("execute");

describe.each(backends)("execute on the %s store", (_, storeUrl) => {
  let server: TestServer;
  /** Each test's own cluster, so no test sees what another left in a queue. */
  let clusterId = "";
  let token: string;
  let otherToken: string;
  let tests = 0;
  beforeAll(async () => {
    server = await startTestServer({ storeUrl: storeUrl() });
    otherToken = await server.registerCluster("staging");
  });
  beforeEach(async () => {
    clusterId = `prod-${++tests}`;
    token = await server.registerCluster(clusterId);
  });
  afterAll(() => server.stop());

  const execute = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    server.client("/debug/execute", {
      ...json({ cluster_id: clusterId, command_type: "get", args: ["pods"], ...body }),
      headers,
    });

  test("a command runs through a connected executor and its result comes back", async () => {
    const executor = await connectSse(server.url, clusterId, token);
    try {
      const response = await execute(
        { args: ["pods", "-o", "wide"], namespace: "shop" },
        { "x-correlation-id": "trace-abc-123", "x-service-identity": "orchestrator" },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("x-correlation-id")).toBe("trace-abc-123");
      const result = (await response.json()) as CommandResult;
      expect(result).toMatchObject({
        cluster_id: clusterId,
        status: "success",
        exit_code: 0,
        stdout: "ran get pods -o wide",
        truncated: false,
        correlation_id: "trace-abc-123",
      });
      const sent = executor.received.find((c) => c.command_id === result.command_id);
      expect(sent).toMatchObject({
        command_type: "get",
        args: ["pods", "-o", "wide"],
        namespace: "shop",
        correlation_id: "trace-abc-123",
        service_identity: "agent",
        requested_by: "orchestrator",
      });
    } finally {
      executor.close();
    }
  });

  test("a session's command runs on the session's cluster and extends the session", async () => {
    const executor = await connectSse(server.url, clusterId, token);
    try {
      const created = await server.client("/debug/session", json({ cluster_id: clusterId, ttl_seconds: 60 }));
      const session = (await created.json()) as Session;
      // Let the session run down to its last 5 s, so that the extension is unmistakable.
      const nearlyOver = { ...session, expires_at: new Date(Date.now() + 5_000).toISOString() };
      await server.store.putSession(nearlyOver);
      const response = await server.client(
        "/debug/execute",
        json({ session_id: session.session_id, command_type: "get", args: ["nodes"] }),
      );
      expect(response.status).toBe(200);
      expect(((await response.json()) as CommandResult).stdout).toBe("ran get nodes");
      const after = (await (await server.client(`/debug/session/${session.session_id}`)).json()) as Session;
      expect(Date.parse(after.expires_at)).toBeGreaterThan(Date.parse(nearlyOver.expires_at) + 50_000);

      const mismatch = await server.client(
        "/debug/execute",
        json({ session_id: session.session_id, cluster_id: "staging", command_type: "get", args: [] }),
      );
      expect(mismatch.status).toBe(400);
      expect(((await mismatch.json()) as ErrorBody).details.code).toBe("SESSION_CLUSTER_MISMATCH");
    } finally {
      executor.close();
    }
  });

  test("outcomes: kubectl failure is 200, a policy denial 403, an executor timeout 504", async () => {
    const executor = await connectSse(server.url, clusterId, token, (command) => {
      if (command.args[0] === "fail")
        return { status: "failure", exit_code: 1, stderr: "Error from server (NotFound)" };
      if (command.args[0] === "deny")
        return {
          status: "denied",
          exit_code: null,
          reason: "verb 'delete' is not allowed",
          denial_code: "VERB_NOT_ALLOWED",
        };
      return { status: "timeout", exit_code: null, stdout: "partial" };
    });
    try {
      const failed = await execute({ args: ["fail"] });
      expect(failed.status).toBe(200);
      expect(await failed.json()).toMatchObject({
        status: "failure",
        exit_code: 1,
        stderr: "Error from server (NotFound)",
      });

      const denied = await execute({ args: ["deny"] });
      expect(denied.status).toBe(403);
      const deniedBody = (await denied.json()) as ErrorBody;
      expect(deniedBody.error).toBe("verb 'delete' is not allowed");
      expect(deniedBody.details).toMatchObject({
        code: "COMMAND_DENIED",
        context: { denial_code: "VERB_NOT_ALLOWED" },
      });

      const slow = await execute({ args: ["slow"] });
      expect(slow.status).toBe(504);
      expect(((await slow.json()) as ErrorBody).details).toMatchObject({
        code: "COMMAND_TIMEOUT",
        context: { stdout: "partial" },
      });
    } finally {
      executor.close();
    }
  });

  test("with no executor the caller gets 504 EXECUTOR_OFFLINE, and the command is never delivered late", async () => {
    const response = await execute({ args: ["late"], timeout_seconds: 1 });
    expect(response.status).toBe(504);
    const body = (await response.json()) as ErrorBody;
    expect(body.details).toMatchObject({ code: "EXECUTOR_OFFLINE", context: { executor_connected: false } });

    const executor = await connectSse(server.url, clusterId, token);
    try {
      const fresh = await execute({ args: ["fresh"] });
      expect(fresh.status).toBe(200);
      expect(executor.received.map((c) => c.args[0])).toEqual(["fresh"]);
    } finally {
      executor.close();
    }
  });

  test("a command sent while the executor is offline is delivered when it connects", async () => {
    const queued = nextEvent(server.store, (e) => e.type === "command" && e.cluster_id === clusterId);
    const pending = execute({ args: ["waiting"], timeout_seconds: 20 });
    await queued;
    const executor = await connectSse(server.url, clusterId, token);
    try {
      const response = await pending;
      expect(response.status).toBe(200);
      expect(((await response.json()) as CommandResult).stdout).toBe("ran get waiting");
    } finally {
      executor.close();
    }
  });

  test("an executor that drops mid-command gives it back; the next connection answers it", async () => {
    const first = await connectSse(server.url, clusterId, token, () => "ignore");
    const pending = execute({ args: ["dropped"], timeout_seconds: 20 });
    const taken = await first.nextCommand();
    first.close();
    const second = await connectSse(server.url, clusterId, token);
    try {
      const again = await second.nextCommand();
      expect(again.command_id).toBe(taken.command_id);
      const response = await pending;
      expect(response.status).toBe(200);
      expect(((await response.json()) as CommandResult).command_id).toBe(taken.command_id);
    } finally {
      second.close();
    }
  });

  test("only the executor of the command's cluster may post its result, and the first result stands", async () => {
    const holder = await connectSse(server.url, clusterId, token, () => "ignore");
    try {
      const pending = execute({ args: ["guarded"], timeout_seconds: 20 });
      const command = await holder.nextCommand();

      const intruder = await postResult(
        server.url,
        "staging",
        otherToken,
        { ...command, cluster_id: "staging" },
        { stdout: "forged" },
      );
      expect(intruder.status).toBe(403);
      expect(((await intruder.json()) as ErrorBody).details.code).toBe("WRONG_CLUSTER");

      const unknown = await postResult(
        server.url,
        clusterId,
        token,
        { ...command, command_id: crypto.randomUUID() },
        {},
      );
      expect(unknown.status).toBe(404);

      const genuine = await postResult(server.url, clusterId, token, command, { stdout: "genuine" });
      expect(await genuine.json()).toEqual({ stored: true });
      const repeat = await postResult(server.url, clusterId, token, command, { stdout: "repeat" });
      expect(await repeat.json()).toEqual({ stored: false });

      expect(((await (await pending).json()) as CommandResult).stdout).toBe("genuine");
    } finally {
      holder.close();
    }
  });

  test("the long-poll fallback delivers and renews under the executor's id", async () => {
    const pending = execute({ args: ["polled"], timeout_seconds: 20 });
    const headers = { ...executorHeaders(clusterId, token), "x-executor-id": "poller-1" };
    const polled = await fetch(`${server.url}/executor/commands?wait=10`, { headers });
    expect(polled.status).toBe(200);
    const { commands } = (await polled.json()) as { commands: Command[] };
    expect(commands.map((c) => c.args[0])).toEqual(["polled"]);
    const command = commands[0] as Command;
    await postResult(server.url, clusterId, token, command, { stdout: "from poll" });
    expect(((await (await pending).json()) as CommandResult).stdout).toBe("from poll");
    const list = (await (await server.client("/debug/clusters")).json()) as {
      clusters: Record<string, unknown>[];
    };
    expect(list.clusters.find((c) => c.cluster_id === clusterId)).toMatchObject({
      transport: "poll",
      connected: true,
      executor_version: "test-1.0",
    });
  });

  test("X-Request-Timeout caps the command's timeout", async () => {
    const executor = await connectSse(server.url, clusterId, token);
    try {
      const response = await execute(
        { args: ["capped"], timeout_seconds: 120 },
        { "x-request-timeout": "7" },
      );
      expect(response.status).toBe(200);
      expect(executor.received.find((c) => c.args[0] === "capped")?.timeout_seconds).toBe(7);
    } finally {
      executor.close();
    }
  });

  test("unknown cluster is 404, no cluster or session is 400", async () => {
    const unknown = await execute({ cluster_id: "nowhere" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).details.code).toBe("CLUSTER_NOT_FOUND");
    const neither = await server.client("/debug/execute", json({ command_type: "get", args: [] }));
    expect(neither.status).toBe(400);
    expect(((await neither.json()) as ErrorBody).details.code).toBe("CLUSTER_REQUIRED");
  });

  test("concurrent commands each get their own result", async () => {
    const executor = await connectSse(server.url, clusterId, token);
    try {
      const n = 40;
      const responses = await Promise.all(
        Array.from({ length: n }, (_, i) => execute({ args: [`item-${i}`] })),
      );
      const results = (await Promise.all(responses.map((r) => r.json()))) as CommandResult[];
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: n }, (_, i) => `ran get item-${i}`));
      expect(new Set(results.map((r) => r.command_id)).size).toBe(n);
    } finally {
      executor.close();
    }
  });
});
