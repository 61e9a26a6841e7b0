/**
 * Kubently's MCP tools through the SDK's own client, over Streamable HTTP (/mcp) and stdio
 * (`kubently mcp`), against the real server, the real executor and real kubectl.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CRASHING_POD, HEALTHY_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { type ConnectedCluster, startConnectedCluster } from "../support/connected-cluster";
import { CLIENT_KEY, type TestServer } from "../support/server";

let cluster: ConnectedCluster;
let server: TestServer;
beforeAll(async () => {
  cluster = await startConnectedCluster("mcp-cluster");
  server = cluster.server;
});
afterAll(() => cluster.stop());

const transports: [string, () => StreamableHTTPClientTransport | StdioClientTransport][] = [
  [
    "Streamable HTTP",
    () =>
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { "x-api-key": CLIENT_KEY, "x-correlation-id": "mcp-trace-1" } },
      }),
  ],
  [
    "stdio (kubently mcp)",
    () =>
      new StdioClientTransport({
        command: process.execPath,
        args: ["src/index.ts", "mcp", "--url", server.url, "--correlation-id", "mcp-trace-1"],
        env: { PATH: process.env.PATH ?? "", KUBENTLY_API_KEY: CLIENT_KEY },
        stderr: "pipe",
      }),
  ],
];

const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");

describe.each(transports)("MCP over %s", (_, makeTransport) => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: "kubently-test", version: "1.0.0" });
    await client.connect(makeTransport());
  });
  afterAll(() => client.close());

  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  test("lists the four tools with input schemas", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "create_debug_session",
      "end_debug_session",
      "execute_kubectl",
      "list_clusters",
    ]);
    const execute = tools.find((t) => t.name === "execute_kubectl");
    expect(Object.keys(execute?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["session_id", "cluster_id", "command", "timeout"]),
    );
  });

  test("list_clusters shows the connected cluster", async () => {
    const result = await call("list_clusters");
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent?.clusters).toEqual(
      expect.arrayContaining([expect.objectContaining({ cluster_id: "mcp-cluster", connected: true })]),
    );
  });

  test("a session, a kubectl command with quotes, and the end of the session", async () => {
    const created = await call("create_debug_session", { cluster_id: "mcp-cluster" });
    expect(created.isError).toBeFalsy();
    const session = created.structuredContent as { session_id: string; correlation_id: string };
    expect(session.correlation_id).toBe("mcp-trace-1");

    const pods = await call("execute_kubectl", {
      session_id: session.session_id,
      command: `kubectl get pods -n ${SHOP_NAMESPACE} -o 'jsonpath={.items[*].metadata.name}'`,
    });
    expect(pods.isError).toBeFalsy();
    expect(pods.structuredContent).toMatchObject({ status: "success", exit_code: 0, truncated: false });
    expect((pods.structuredContent as { stdout: string }).stdout.split(" ")).toEqual(
      expect.arrayContaining([CRASHING_POD, HEALTHY_POD]),
    );
    expect(textOf(pods)).toContain("[exit code 0]");

    const missing = await call("execute_kubectl", {
      session_id: session.session_id,
      command: "get pod nope -n shop",
    });
    expect(missing.isError).toBeFalsy();
    expect(missing.structuredContent).toMatchObject({ status: "failure", exit_code: 1 });
    expect((missing.structuredContent as { stderr: string }).stderr).toContain('pods "nope" not found');

    expect((await call("end_debug_session", { session_id: session.session_id })).isError).toBeFalsy();
    const again = await call("end_debug_session", { session_id: session.session_id });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toContain("SESSION_NOT_FOUND");
  });

  test("another key's session does not exist: execute_kubectl and end_debug_session say SESSION_NOT_FOUND", async () => {
    const response = await server.other("/debug/session", {
      method: "POST",
      body: JSON.stringify({ cluster_id: "mcp-cluster" }),
    });
    const { session_id } = (await response.json()) as { session_id: string };
    const ran = await call("execute_kubectl", { session_id, command: "get nodes" });
    const ended = await call("end_debug_session", { session_id });
    for (const result of [ran, ended]) {
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain("SESSION_NOT_FOUND");
    }
    expect((await server.other(`/debug/session/${session_id}`)).status).toBe(200);
  });

  test("a denied command is a tool error with the policy's reason", async () => {
    const result = await call("execute_kubectl", {
      cluster_id: "mcp-cluster",
      command: "get secrets -n shop -o yaml",
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("COMMAND_DENIED");
    expect(textOf(result)).toContain("RESOURCE_RESTRICTED");
  });

  test("shell syntax is refused before anything is queued", async () => {
    const before = await server.store.queueDepth("mcp-cluster");
    for (const command of [
      "get pods | grep checkout",
      "get pods; delete pod x",
      "get pods $(id)",
      "get pods > /tmp/x",
    ]) {
      const result = await call("execute_kubectl", { cluster_id: "mcp-cluster", command });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain("INVALID_COMMAND");
    }
    expect(await server.store.queueDepth("mcp-cluster")).toBe(before);
  });
});

test("/mcp without an API key is 401 in the error format", async () => {
  const response = await fetch(`${server.url}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  expect(response.status).toBe(401);
  expect(((await response.json()) as { details: { code: string } }).details.code).toBe("UNAUTHORIZED");
});
