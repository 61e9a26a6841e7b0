/**
 * What a caller hears when a command runs out of time, through the CLI and through MCP: the
 * executor held it and never answered (504 COMMAND_TIMEOUT), kubectl itself timed out in the
 * executor (a `timeout` result: 504 COMMAND_TIMEOUT), or no executor took it (504 EXECUTOR_OFFLINE).
 * `kubently exec` exits 124 for each, as the README's exit-code table says; an MCP tool call is a
 * tool error carrying the code and the reason.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { runKubently } from "../support/cli";
import { connectSse, type ProtocolExecutor } from "../support/protocol-executor";
import { CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

let server: TestServer;
const executors: ProtocolExecutor[] = [];
beforeAll(async () => {
  server = await startTestServer();
  // "silent" holds every command and never answers; "slow" answers that kubectl timed out.
  executors.push(
    await connectSse(server.url, "silent", await server.registerCluster("silent"), () => "ignore"),
  );
  executors.push(
    await connectSse(server.url, "slow", await server.registerCluster("slow"), () => ({
      status: "timeout",
      exit_code: null,
      stderr: "",
    })),
  );
  await server.registerCluster("offline");
});
afterAll(async () => {
  for (const executor of executors) executor.close();
  await server.stop();
});

const cases: [string, string, RegExp][] = [
  ["silent", "COMMAND_TIMEOUT", /no result from the executor within 1 s/],
  ["slow", "COMMAND_TIMEOUT", /kubectl did not finish within 1 s/],
  ["offline", "EXECUTOR_OFFLINE", /no executor of cluster 'offline' took the command within 1 s/],
];

describe("kubently exec", () => {
  test.each(cases)("on cluster %s exits 124 with %s", async (cluster, code, reason) => {
    const run = await runKubently(["exec", cluster, "--timeout", "1", "get", "pods"], {
      KUBENTLY_URL: server.url,
      KUBENTLY_API_KEY: CLIENT_KEY,
    });
    expect(run.code).toBe(124);
    expect(run.stdout).toBe("");
    expect(run.stderr).toStartWith(`kubently: ${code}: `);
    expect(run.stderr).toMatch(reason);
  });
});

describe("MCP execute_kubectl", () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: "kubently-timeouts", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { "x-api-key": CLIENT_KEY } },
      }),
    );
  });
  afterAll(() => client.close());

  test.each(cases)("on cluster %s is a tool error with %s and the reason", async (cluster, code, reason) => {
    const result = (await client.callTool({
      name: "execute_kubectl",
      arguments: { cluster_id: cluster, command: "get pods", timeout: 1 },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
    expect(text).toStartWith(`${code}: `);
    expect(text).toMatch(reason);
    expect(result.structuredContent).toBeUndefined();
  });
});
