/**
 * Async operations over real HTTP, a real SSE protocol peer and real stores: accept with 202, poll to
 * the end, who may read an operation, every final status, and operations that outlive the replica
 * that accepted them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ErrorBody } from "../../src/models";
import type { Operation } from "../../src/modules/operations/model";
import { parseAllowedHosts } from "../../src/modules/operations/webhooks";
import { nextEvent } from "../support/events";
import { makeCommand } from "../support/fixtures";
import { connectSse, postResult } from "../support/protocol-executor";
import { json, type TestServer } from "../support/server";
import { useStores } from "../support/stores";
import { type Receiver, startOperationsServer, startReceiver } from "./harness";

const { redis, backends } = useStores("operations");
let receiver: Receiver;
beforeAll(() => {
  receiver = startReceiver();
});
afterAll(() => receiver.stop());

describe.each(backends)("async operations on the %s store", (_, storeUrl) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startOperationsServer({
      storeUrl: storeUrl(),
      webhooks: { allowedHosts: parseAllowedHosts(receiver.host) },
    });
    token = await server.registerCluster("prod");
  });
  afterAll(() => server.stop());

  const start = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    server.client("/debug/execute/async", {
      ...json({ cluster_id: "prod", command_type: "get", args: ["pods"], ...body }),
      headers,
    });
  const read = async (id: string) => {
    const response = await server.client(`/debug/operations/${id}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Operation;
  };
  /** Starts an operation and resolves once the executor's result for it is stored. */
  const startAndAnswer = async (body: Record<string, unknown>) => {
    const operation = (await (await start(body)).json()) as Operation;
    const id = operation.operation_id;
    // Listen first, then look, so a result stored in between is not missed.
    const stored = nextEvent(server.store, (e) => e.type === "result" && e.command_id === id);
    if (await server.store.getResult(id)) stored.catch(() => {});
    else await stored;
    return operation;
  };

  test("202 with a Location, then pending → running → succeeded with the result", async () => {
    const accepted = await start(
      { args: ["pods", "-o", "wide"], namespace: "shop" },
      { "x-correlation-id": "trace-async-1", "x-service-identity": "orchestrator" },
    );
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get("x-correlation-id")).toBe("trace-async-1");
    const operation = (await accepted.json()) as Operation;
    expect(accepted.headers.get("location")).toBe(`/debug/operations/${operation.operation_id}`);
    expect(operation).toMatchObject({
      status: "pending",
      cluster_id: "prod",
      correlation_id: "trace-async-1",
      service_identity: "agent",
      requested_by: "orchestrator",
    });
    expect(operation.completed_at).toBeUndefined();

    // No executor yet: the command waits in the queue.
    expect((await read(operation.operation_id)).status).toBe("pending");

    const executor = await connectSse(server.url, "prod", token, () => "ignore");
    try {
      const command = await executor.nextCommand();
      expect(command).toMatchObject({
        command_id: operation.operation_id,
        args: ["pods", "-o", "wide"],
        namespace: "shop",
        correlation_id: "trace-async-1",
        service_identity: "agent",
        requested_by: "orchestrator",
      });
      expect((await read(operation.operation_id)).status).toBe("running");

      const posted = await postResult(server.url, "prod", token, command, { stdout: "pod-a Running" });
      expect(posted.status).toBe(200);
      const done = await read(operation.operation_id);
      expect(done).toMatchObject({
        operation_id: operation.operation_id,
        status: "succeeded",
        correlation_id: "trace-async-1",
        result: { status: "success", exit_code: 0, stdout: "pod-a Running", correlation_id: "trace-async-1" },
      });
      expect(Date.parse(done.completed_at ?? "")).toBeGreaterThanOrEqual(Date.parse(done.created_at));
      expect(done.error).toBeUndefined();
      // Final is final: the same answer on every read.
      expect(await read(operation.operation_id)).toEqual(done);
    } finally {
      executor.close();
    }
  });

  test("only the identity that started an operation may read it; others get the unknown-id 404", async () => {
    const operation = (await (await start({})).json()) as Operation;
    const foreign = await server.other(`/debug/operations/${operation.operation_id}`);
    const unknown = await server.other(`/debug/operations/${crypto.randomUUID()}`);
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    const foreignBody = (await foreign.json()) as ErrorBody;
    const unknownBody = (await unknown.json()) as ErrorBody;
    expect(foreignBody.details.code).toBe("OPERATION_NOT_FOUND");
    expect(foreignBody.error).toBe(unknownBody.error);
    expect((await server.client(`/debug/operations/${operation.operation_id}`)).status).toBe(200);
    expect((await fetch(`${server.url}/debug/operations/${operation.operation_id}`)).status).toBe(401);
    expect((await server.client("/debug/operations/not-a-uuid")).status).toBe(400);
  });

  test("final statuses: failed carries the result, denied and timed_out the synchronous route's error", async () => {
    const executor = await connectSse(server.url, "prod", token, (command) => {
      if (command.args[0] === "fail") return { status: "failure", exit_code: 1, stderr: "NotFound" };
      if (command.args[0] === "deny")
        return {
          status: "denied",
          exit_code: null,
          reason: "secrets are not readable",
          denial_code: "RESOURCE_RESTRICTED",
        };
      return { status: "timeout", exit_code: null, stdout: "partial" };
    });
    try {
      const settled = async (args: string[]) => read((await startAndAnswer({ args })).operation_id);

      const failed = await settled(["fail"]);
      expect(failed).toMatchObject({ status: "failed", result: { status: "failure", exit_code: 1 } });
      expect(failed.error).toBeUndefined();

      const denied = await settled(["deny"]);
      expect(denied).toMatchObject({
        status: "denied",
        error: "secrets are not readable",
        details: { code: "COMMAND_DENIED", context: { denial_code: "RESOURCE_RESTRICTED" } },
      });
      expect(denied.result).toBeUndefined();

      const slow = await settled(["slow"]);
      expect(slow).toMatchObject({
        status: "timed_out",
        details: { code: "COMMAND_TIMEOUT", context: { stdout: "partial" } },
      });
    } finally {
      executor.close();
    }
  });

  test("no executor by the deadline: timed_out EXECUTOR_OFFLINE, and the command is never delivered", async () => {
    const accepted = await start({ args: ["late"], timeout_seconds: 1, callback_url: receiver.url("/late") });
    const operation = (await accepted.json()) as Operation;
    // The webhook is the real signal that the deadline passed and the operation ended.
    const delivery = await receiver.next();
    expect(delivery.operation).toMatchObject({
      operation_id: operation.operation_id,
      status: "timed_out",
      details: { code: "EXECUTOR_OFFLINE", context: { executor_connected: false } },
    });
    expect(await read(operation.operation_id)).toEqual(delivery.operation);

    const executor = await connectSse(server.url, "prod", token);
    try {
      await startAndAnswer({ args: ["fresh"] });
      const sent = executor.received.map((c) => c.args[0]);
      expect(sent).toContain("fresh");
      expect(sent).not.toContain("late");
    } finally {
      executor.close();
    }
  });

  test("a GET settles an operation whose deadline passed with nobody watching it", async () => {
    // As if the replica that accepted it had died: the record and the command exist, no watcher does.
    const command = makeCommand("prod", { service_identity: "agent", deadline_ms: Date.now() - 1 });
    await server.store.createOperation({ command, callback_url: null }, 60_000);
    await server.store.enqueue(command);
    const operation = await read(command.command_id);
    expect(operation).toMatchObject({ status: "timed_out", details: { code: "EXECUTOR_OFFLINE" } });
    expect((await server.store.commandInfo(command.command_id))?.state).toBe("cancelled");
    expect((await server.store.getOperation(command.command_id))?.outcome?.status).toBe("timed_out");
  });

  test("the body is the execute body plus callback_url; bad input changes nothing", async () => {
    const unknown = await start({ cluster_id: "nowhere" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).details.code).toBe("CLUSTER_NOT_FOUND");
    const neither = await server.client("/debug/execute/async", json({ command_type: "get", args: [] }));
    expect(((await neither.json()) as ErrorBody).details.code).toBe("CLUSTER_REQUIRED");
    const extra = await start({ surprise: true });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as ErrorBody).details.code).toBe("VALIDATION_ERROR");
  });
});

describe("operations across replicas on one Redis", () => {
  test("another replica answers GET, and settles an operation whose accepting replica is gone", async () => {
    const prefix = `replicas-${crypto.randomUUID()}:`;
    const a = await startOperationsServer({ storeUrl: redis().url, redisPrefix: prefix });
    const b = await startOperationsServer({ storeUrl: redis().url, redisPrefix: prefix });
    try {
      const token = await a.registerCluster("prod");
      const accepted = await a.client("/debug/execute/async", {
        ...json({ cluster_id: "prod", command_type: "get", args: ["nodes"] }),
        headers: { "x-correlation-id": "trace-replicas" },
      });
      const operation = (await accepted.json()) as Operation;
      const seen = await b.client(`/debug/operations/${operation.operation_id}`);
      expect(((await seen.json()) as Operation).status).toBe("pending");
      expect((await b.other(`/debug/operations/${operation.operation_id}`)).status).toBe(404);

      await a.stop();
      const executor = await connectSse(b.url, "prod", token, () => "ignore");
      try {
        const command = await executor.nextCommand();
        await postResult(b.url, "prod", token, command, { stdout: "node-1 Ready" });
        const done = (await (
          await b.client(`/debug/operations/${operation.operation_id}`)
        ).json()) as Operation;
        expect(done).toMatchObject({
          status: "succeeded",
          correlation_id: "trace-replicas",
          result: { stdout: "node-1 Ready" },
        });
      } finally {
        executor.close();
      }
    } finally {
      await b.stop();
    }
  });
});
