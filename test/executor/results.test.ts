/**
 * Result delivery against a real server: an output too large for the server's result limit is cut
 * and flagged rather than lost, and a body under the limit (larger than ordinary requests) is accepted.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { silentLog } from "../../executor/log";
import { ResultPoster } from "../../executor/results";
import type { Command, CommandResult } from "../../src/models";
import { executorHeaders } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";

const RESULT_LIMIT = 64 * 1024;
let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 4 * 1024, maxResultBytes: RESULT_LIMIT });
  token = await server.registerCluster("big");
});
afterAll(() => server.stop());

async function queuedCommand(): Promise<{ command: Command; answer: Promise<Response> }> {
  const answer = server.client(
    "/debug/execute",
    json({ cluster_id: "big", command_type: "get", args: ["pods"] }),
  );
  const polled = await fetch(`${server.url}/executor/commands?wait=10`, {
    headers: executorHeaders("big", token),
  });
  const { commands } = (await polled.json()) as { commands: Command[] };
  return { command: commands[0] as Command, answer };
}

const poster = () =>
  new ResultPoster(
    {
      apiUrl: server.url,
      clusterId: "big",
      version: "t",
      executorId: "e1",
      token: () => token,
      tls: undefined,
    },
    silentLog,
  );

const resultFor = (command: Command, stdout: string): CommandResult => ({
  command_id: command.command_id,
  cluster_id: "big",
  status: "success",
  exit_code: 0,
  stdout,
  stderr: "",
  truncated: false,
  execution_time_ms: 1,
  completed_at: new Date().toISOString(),
});

test("a result over the server's limit arrives cut and flagged, not lost", async () => {
  const { command, answer } = await queuedCommand();
  const stdout = "x".repeat(RESULT_LIMIT * 3);
  expect(await poster().post(resultFor(command, stdout), Date.now() + 10_000)).toBe(true);
  const result = (await (await answer).json()) as CommandResult;
  expect(result.truncated).toBe(true);
  expect(result.stdout.length).toBeGreaterThan(RESULT_LIMIT / 4);
  expect(result.stdout.length).toBeLessThan(RESULT_LIMIT);
  expect(stdout.startsWith(result.stdout)).toBe(true);
});

test("a result larger than ordinary request bodies but under the result limit is stored whole", async () => {
  const { command, answer } = await queuedCommand();
  const stdout = "y".repeat(RESULT_LIMIT / 2);
  expect(await poster().post(resultFor(command, stdout), Date.now() + 10_000)).toBe(true);
  const result = (await (await answer).json()) as CommandResult;
  expect(result).toMatchObject({ truncated: false, stdout });
});
