/**
 * Batches on the executor WebSocket, as a raw peer sees them: the server says in `connected` that it
 * takes `results` messages, answers one with one `outcomes` (each result's outcome, in the order sent,
 * as the HTTP batch route gives them), refuses an invalid one with an error per command it names; and
 * an executor that sent `X-Executor-Batches: 1` gets several queued commands in one `commands` message.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Command } from "../../src/models";
import { openExecutorSocket } from "../support/executor-socket";
import { makeResult } from "../support/fixtures";
import { executorHeaders } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";

let server: TestServer;
const tokens = new Map<string, string>();
beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["wsb-cluster", "wsb-batched", "wsb-single"])
    tokens.set(id, await server.registerCluster(id));
});
afterAll(() => server.stop());

const open = (clusterId = "wsb-cluster", headers: Record<string, string> = {}) =>
  openExecutorSocket(server.url, {
    ...executorHeaders(clusterId, tokens.get(clusterId) as string),
    ...headers,
  });

const queue = (clusterId: string, args: string[]) =>
  server.client("/debug/execute/async", json({ cluster_id: clusterId, command_type: "get", args }));

test("connected says batches; a results message gets one outcomes answer, in order, each as HTTP would", async () => {
  const peer = open();
  expect(await peer.next()).toMatchObject({ type: "connected", batches: true });
  await queue("wsb-cluster", ["pods"]);
  const first = (await peer.next()).command as Command;
  await queue("wsb-cluster", ["nodes"]);
  const second = (await peer.next()).command as Command;
  const unknown = crypto.randomUUID();
  const results = [
    makeResult(first, { stdout: "one\n" }),
    makeResult(second, { stdout: "two\n" }),
    makeResult(first, { stdout: "again\n" }),
    makeResult({ command_id: unknown, cluster_id: "wsb-cluster" }, {}),
  ];
  peer.socket.send(JSON.stringify({ type: "results", results }));
  expect(await peer.next()).toEqual({
    type: "outcomes",
    outcomes: [
      { command_id: first.command_id, stored: true },
      { command_id: second.command_id, stored: true },
      { command_id: first.command_id, stored: false },
      { command_id: unknown, code: "COMMAND_NOT_FOUND", error: "no such command" },
    ],
  });
  // The first result stands, and the caller's operation sees it.
  const op = await server.client(`/debug/operations/${first.command_id}`);
  expect(((await op.json()) as { result?: { stdout: string } }).result?.stdout).toBe("one\n");
  peer.socket.close();
});

test("a results message that fails validation is answered by an error for each command it names", async () => {
  const peer = open();
  await peer.next();
  const a = crypto.randomUUID();
  const b = crypto.randomUUID();
  peer.socket.send(JSON.stringify({ type: "results", results: [{ command_id: a }, { command_id: b }] }));
  const errors = [await peer.next(), await peer.next()];
  expect(errors.map((e) => [e.type, e.command_id, e.code])).toEqual([
    ["error", a, "VALIDATION_ERROR"],
    ["error", b, "VALIDATION_ERROR"],
  ]);
  peer.socket.close();
});

test("an executor that reads commands messages gets a claim's several commands in one", async () => {
  // Queued while no executor of the cluster is connected, so the first claim takes them all.
  for (const args of [["a"], ["b"], ["c"]]) await queue("wsb-batched", args);
  for (const args of [["a"], ["b"]]) await queue("wsb-single", args);
  const batched = open("wsb-batched", { "x-executor-batches": "1" });
  expect((await batched.next()).type).toBe("connected");
  const message = await batched.next();
  expect(message.type).toBe("commands");
  expect((message.commands as Command[]).map((c) => c.args)).toEqual([["a"], ["b"], ["c"]]);
  // Without the header, one message per command, as before.
  const single = open("wsb-single");
  expect((await single.next()).type).toBe("connected");
  const each = [await single.next(), await single.next()];
  expect(each.map((m) => [m.type, (m.command as Command).args])).toEqual([
    ["command", ["a"]],
    ["command", ["b"]],
  ]);
  batched.socket.close();
  single.socket.close();
});
