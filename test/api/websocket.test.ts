/**
 * The executor WebSocket as a raw peer sees it: auth on upgrade, commands out, results in, acks back;
 * a message that is not a result is answered in the route's error shape and the socket still serves.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_MAX_RESULT_BYTES } from "../../src/app";
import type { Command, CommandResult } from "../../src/models";
import { openExecutorSocket } from "../support/executor-socket";
import { makeResult } from "../support/fixtures";
import { executorHeaders } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let token: string;
let otherToken: string;
beforeAll(async () => {
  server = await startTestServer();
  token = await server.registerCluster("ws-cluster");
  otherToken = await server.registerCluster("ws-other");
});
afterAll(() => server.stop());

/** A WebSocket whose messages queue up until the test takes them. */
const open = (clusterId: string, bearer: string) =>
  openExecutorSocket(server.url, executorHeaders(clusterId, bearer));

/** Queues a command for the peer's cluster (asynchronously) and takes it from the peer's socket. */
async function queuedCommand(
  peer: ReturnType<typeof open>,
  args: string[],
  clusterId = "ws-cluster",
): Promise<Command> {
  await server.client("/debug/execute/async", json({ cluster_id: clusterId, command_type: "get", args }));
  const message = await peer.next();
  expect(message.type).toBe("command");
  return message.command as Command;
}

/** That the peer's socket still takes a result and acknowledges it. */
async function expectServing(peer: ReturnType<typeof open>): Promise<void> {
  const command = await queuedCommand(peer, ["nodes"]);
  peer.socket.send(JSON.stringify({ type: "result", result: resultFor(command, "still serving") }));
  expect(await peer.next()).toEqual({ type: "ack", command_id: command.command_id, stored: true });
}

const resultFor = (command: Command, stdout: string): CommandResult =>
  makeResult(command, { stdout, execution_time_ms: 1 });

describe("executor WebSocket", () => {
  test("a wrong token never gets a connected socket", async () => {
    const { closed, next } = open("ws-cluster", otherToken);
    await expect(next()).rejects.toThrow("socket closed");
    expect(await closed).not.toBe(1000);
  });

  test("commands arrive as messages; a result sent back is acknowledged and answers the caller", async () => {
    const peer = open("ws-cluster", token);
    expect(await peer.next()).toMatchObject({ type: "connected", cluster_id: "ws-cluster" });
    const pending = server.client(
      "/debug/execute",
      json({ cluster_id: "ws-cluster", command_type: "get", args: ["pods"] }),
    );
    const message = await peer.next();
    expect(message.type).toBe("command");
    const command = message.command as Command;
    peer.socket.send(JSON.stringify({ type: "result", result: resultFor(command, "over the socket") }));
    expect(await peer.next()).toEqual({ type: "ack", command_id: command.command_id, stored: true });
    expect(((await (await pending).json()) as CommandResult).stdout).toBe("over the socket");
    peer.socket.close();
  });

  test("a message over the results limit closes the socket as too big (1009)", async () => {
    // Its own cluster: the command goes back to the queue when the socket closes.
    const peer = open("ws-big", await server.registerCluster("ws-big"));
    await peer.next();
    const command = await queuedCommand(peer, ["pods"], "ws-big");
    peer.socket.send(
      JSON.stringify({ type: "result", result: resultFor(command, "x".repeat(DEFAULT_MAX_RESULT_BYTES)) }),
    );
    expect(await peer.closed).toBe(1009);
  });

  test("a result for another cluster's command is refused on the socket", async () => {
    const holder = open("ws-cluster", token);
    const intruder = open("ws-other", otherToken);
    await Promise.all([holder.next(), intruder.next()]);
    const pending = server.client(
      "/debug/execute",
      json({ cluster_id: "ws-cluster", command_type: "get", args: ["nodes"], timeout_seconds: 10 }),
    );
    const command = (await holder.next()).command as Command;
    intruder.socket.send(
      JSON.stringify({ type: "result", result: { ...resultFor(command, "forged"), cluster_id: "ws-other" } }),
    );
    expect(await intruder.next()).toMatchObject({
      type: "error",
      command_id: command.command_id,
      code: "WRONG_CLUSTER",
    });
    holder.socket.send(JSON.stringify({ type: "result", result: resultFor(command, "genuine") }));
    expect(((await (await pending).json()) as CommandResult).stdout).toBe("genuine");
    holder.socket.close();
    intruder.socket.close();
  });

  test("a message nested deeper than a body may be is answered in the error shape, and the socket still serves", async () => {
    const peer = open("ws-cluster", token);
    await peer.next();
    const depth = 200_000;
    peer.socket.send(`{"type":"result","result":${"[".repeat(depth)}${"]".repeat(depth)}}`);
    expect(await peer.next()).toEqual({
      type: "error",
      code: "INVALID_BODY",
      error: "the message nests deeper than 64 levels",
    });
    await expectServing(peer);
    peer.socket.close();
  });

  test("a valid result beside a field nested deeper than a body may be is refused too, naming its command", async () => {
    const peer = open("ws-cluster", token);
    await peer.next();
    const command = await queuedCommand(peer, ["pods"]);
    const depth = 200_000;
    const result = JSON.stringify(resultFor(command, "beside a deep field"));
    peer.socket.send(`{"type":"result","result":${result},"note":${"[".repeat(depth)}${"]".repeat(depth)}}`);
    expect(await peer.next()).toEqual({
      type: "error",
      command_id: command.command_id,
      code: "INVALID_BODY",
      error: "the message nests deeper than 64 levels",
    });
    // Nothing of it was stored: the same result sent alone is.
    peer.socket.send(`{"type":"result","result":${result}}`);
    expect(await peer.next()).toEqual({ type: "ack", command_id: command.command_id, stored: true });
    peer.socket.close();
  });

  test.each([
    ["not JSON", "{not json", "INVALID_BODY", undefined],
    ["binary", new Uint8Array([123, 125]), "INVALID_BODY", undefined],
    ["not a result", JSON.stringify({ type: "hello" }), "VALIDATION_ERROR", undefined],
    [
      "a result missing fields",
      JSON.stringify({ type: "result", result: { command_id: "c-1" } }),
      "VALIDATION_ERROR",
      "c-1",
    ],
  ])("a message %s is answered in the error shape", async (_, message, code, commandId) => {
    const peer = open("ws-cluster", token);
    await peer.next();
    peer.socket.send(message);
    const answer = await peer.next();
    expect(answer).toMatchObject({ type: "error", code, error: expect.any(String) });
    expect(answer.command_id).toBe(commandId);
    await expectServing(peer);
    peer.socket.close();
  });

  test("revoking the token closes the socket", async () => {
    const revokedToken = await server.registerCluster("ws-revoked");
    const peer = open("ws-revoked", revokedToken);
    await peer.next();
    await server.admin("/admin/clusters/ws-revoked/token", { method: "DELETE" });
    expect(await peer.next()).toEqual({ type: "closing", reason: "executor token revoked" });
    expect(await peer.closed).toBe(1000);
  });
});
