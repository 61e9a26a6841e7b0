/**
 * Kubently's MCP tools through the SDK's own client, over Streamable HTTP (/mcp) and stdio
 * (`kubently mcp`), against the real server, the real executor and real kubectl.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult, JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { ClusterView } from "../../src/models";
import { CRASHING_POD, HEALTHY_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { type ConnectedCluster, startConnectedCluster } from "../support/connected-cluster";
import { DEFAULT_POLICY_REPORT } from "../support/fixtures";
import { CLIENT_KEY, OTHER_CLIENT_KEY, type TestServer } from "../support/server";

let cluster: ConnectedCluster;
let server: TestServer;
beforeAll(async () => {
  cluster = await startConnectedCluster("mcp-cluster");
  server = cluster.server;
  // Registered, but no executor ever connected: nothing reported.
  await server.registerCluster("mcp-idle");
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
  /**
   * Every progress message the server sent, read off the transport as each arrives. The SDK client's
   * own `onprogress` drops one read together with the response (it handles a notification a
   * promise job later, by when the response has removed the request's progress handler), so what
   * the server sent is checked where it arrives.
   */
  const progressSent: string[] = [];
  beforeAll(async () => {
    client = new Client({ name: "kubently-test", version: "1.0.0" });
    const transport = makeTransport();
    await client.connect(transport);
    const deliver = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage) => {
      if ("method" in message && message.method === "notifications/progress")
        progressSent.push(String(message.params?.message ?? ""));
      deliver?.(message);
    };
  });
  afterAll(() => client.close());

  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  test("lists the six tools with input schemas", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "create_debug_session",
      "end_debug_session",
      "execute_kubectl",
      "execute_kubectl_fleet",
      "list_clusters",
      "read_output",
    ]);
    const execute = tools.find((t) => t.name === "execute_kubectl");
    expect(Object.keys(execute?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["session_id", "cluster_id", "command", "timeout"]),
    );
  });

  test("execute_kubectl with a progress token sends the output as progress, all of it before the result", async () => {
    progressSent.length = 0;
    const result = (await client.callTool(
      {
        name: "execute_kubectl",
        arguments: { cluster_id: "mcp-cluster", command: "logs deploy/frontend", namespace: "shop" },
      },
      undefined,
      // Given a progress callback, the SDK sends a progress token with the call.
      { onprogress: () => {} },
    )) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const stdout = (result.structuredContent as { stdout: string }).stdout;
    expect(stdout).toContain("Next.js");
    // Progress carries both streams (kubectl's "Found 2 pods" goes to stderr), stdout's lines whole,
    // and had all arrived when the result did.
    expect(progressSent.join("")).toContain(stdout);
  });

  test("execute_kubectl follows for follow_seconds and says what ended it", async () => {
    const result = (await call("execute_kubectl", {
      cluster_id: "mcp-cluster",
      command: "logs -f deploy/frontend",
      namespace: "shop",
      follow_seconds: 1,
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      status: "success",
      exit_code: 0,
      follow: { ended_by: "window", seconds: 1 },
    });
    expect(textOf(result)).toContain("[followed for up to 1 s; ended by: window]");
    const tooLong = (await call("execute_kubectl", {
      cluster_id: "mcp-cluster",
      command: "logs -f deploy/frontend",
      namespace: "shop",
      follow_seconds: 250,
    })) as CallToolResult;
    expect(tooLong.isError).toBe(true);
    expect(textOf(tooLong)).toStartWith("FOLLOW_WINDOW_TOO_LONG");
  });

  test("list_clusters shows the connected cluster and the policy its executor reported", async () => {
    const result = await call("list_clusters");
    expect(result.isError).toBeFalsy();
    const clusters = result.structuredContent?.clusters as ClusterView[];
    expect(clusters).toEqual(
      expect.arrayContaining([expect.objectContaining({ cluster_id: "mcp-cluster", connected: true })]),
    );
    // The executor runs the default policy, with native reads (it has a cluster to read).
    expect(clusters.find((c) => c.cluster_id === "mcp-cluster")?.policy).toEqual(DEFAULT_POLICY_REPORT);
    expect(clusters.find((c) => c.cluster_id === "mcp-idle")?.policy).toBeNull();
    expect(JSON.parse(textOf(result))).toEqual(clusters);
  });

  test("the instructions say how to use the tools: sessions, handles, read-only, denials", () => {
    const instructions = client.getInstructions() ?? "";
    for (const point of [
      "Sessions are optional",
      "read_output {command_id, stream?, offset?, limit?, tail?, grep?}",
      "logs without --tail gets a default tail",
      "Read-only here means the cluster policy's mode",
      "Secrets are not readable",
      "cluster gate",
      "A denial is final for that command",
      "kubently://clusters/{cluster_id}/policy",
    ]) {
      expect(instructions).toContain(point);
    }
  });

  test("tool descriptions say the output limits and how to page", async () => {
    const { tools } = await client.listTools();
    const execute = tools.find((t) => t.name === "execute_kubectl");
    for (const point of ["max_output_bytes", "64 KiB", "read_output", "tail", "grep", "--tail=N"]) {
      expect(execute?.description).toContain(point);
    }
    expect(tools.find((t) => t.name === "list_clusters")?.description).toContain("max_output_bytes");
    expect(tools.find((t) => t.name === "create_debug_session")?.description).toStartWith("Optional");
  });

  test("each cluster's policy is a listed resource, read by its URI", async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(["kubently://clusters/{cluster_id}/policy"]);
    const { resources } = await client.listResources();
    expect(resources.map((r) => [r.uri, r.mimeType])).toEqual([
      ["kubently://clusters/mcp-cluster/policy", "application/json"],
      ["kubently://clusters/mcp-idle/policy", "application/json"],
    ]);
    expect(resources[0]?.description).toBe("readOnly; namespaces *; restricted: secrets");

    const read = async (uri: string) => {
      const { contents } = await client.readResource({ uri });
      expect(contents.map((c) => [c.uri, c.mimeType])).toEqual([[uri, "application/json"]]);
      const [content] = contents;
      return JSON.parse(content && "text" in content ? content.text : "") as Record<string, unknown>;
    };
    expect(await read("kubently://clusters/mcp-cluster/policy")).toEqual({
      cluster_id: "mcp-cluster",
      connected: true,
      executor_version: DEFAULT_POLICY_REPORT.executor_version,
      policy: DEFAULT_POLICY_REPORT,
    });
    expect(await read("kubently://clusters/mcp-idle/policy")).toMatchObject({ policy: null });

    await expect(client.readResource({ uri: "kubently://clusters/nope/policy" })).rejects.toThrow(
      "no cluster 'nope' is registered",
    );
    await expect(client.readResource({ uri: "kubently://clusters/Not_An_Id/policy" })).rejects.toThrow(
      "'Not_An_Id' is not a cluster id",
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

test("/mcp's reused servers act for each request's own key, also under concurrent calls from two keys", async () => {
  const connect = async (key: string) => {
    const client = new Client({ name: "kubently-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { "x-api-key": key } },
      }),
    );
    return client;
  };
  const clients = [await connect(CLIENT_KEY), await connect(OTHER_CLIENT_KEY)] as const;
  try {
    const sessions = await Promise.all(
      clients.map(async (client) => {
        const result = (await client.callTool({
          name: "create_debug_session",
          arguments: { cluster_id: "mcp-cluster" },
        })) as CallToolResult;
        return (result.structuredContent as { session_id: string }).session_id;
      }),
    );
    // Each key runs in its own session and tries the other's, all at once: a server serving a
    // request as anyone but that request's caller would let a stranger in, or keep an owner out.
    const calls = Array.from({ length: 12 }, (_, i) => {
      const mine = i % 2;
      const session = sessions[(i >> 1) % 2 === 0 ? mine : 1 - mine] as string;
      return {
        owner: session === sessions[mine],
        call: (mine === 0 ? clients[0] : clients[1]).callTool({
          name: "execute_kubectl",
          arguments: { session_id: session, command: "get namespaces" },
        }) as Promise<CallToolResult>,
      };
    });
    for (const { owner, call } of calls) {
      const result = await call;
      if (owner) expect(result.structuredContent).toMatchObject({ status: "success", exit_code: 0 });
      else {
        expect(result.isError).toBe(true);
        expect(textOf(result)).toContain("SESSION_NOT_FOUND");
      }
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
});

describe("/mcp answers a single request from a pooled server and leaves the rest to the SDK's transport", () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: {
        "x-api-key": CLIENT_KEY,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const request = (id: number | string, method: string, params?: Record<string, unknown>) => ({
    jsonrpc: "2.0",
    id,
    method,
    ...(params ? { params } : {}),
  });

  test("a request answers as the same request in a batch of one (the SDK's transport) does", async () => {
    for (const message of [
      request("list-1", "tools/list"),
      request(7, "resources/templates/list"),
      request(8, "no/such-method"),
      request(9, "tools/call", { name: "no_such_tool", arguments: {} }),
      request(10, "tools/call", { name: "execute_kubectl", arguments: { command: 42 } }),
    ]) {
      const correlation = { "x-correlation-id": `direct-${message.id}` };
      const [direct, sdk] = await Promise.all([post(message, correlation), post([message])]);
      expect(direct.status).toBe(200);
      expect(direct.headers.get("content-type")).toBe("application/json");
      // The caller's correlation id comes back on the direct way too, as on every /mcp answer.
      expect(direct.headers.get("x-correlation-id")).toBe(`direct-${message.id}`);
      expect(await direct.json()).toEqual(await sdk.json());
    }
  });

  test("a tool call's result comes back under its own request id", async () => {
    const response = await post(
      request("call-1", "tools/call", {
        name: "execute_kubectl",
        arguments: { cluster_id: "mcp-cluster", command: "get namespaces" },
      }),
    );
    const body = (await response.json()) as { id: string; result: CallToolResult };
    expect(body.id).toBe("call-1");
    expect(body.result.structuredContent).toMatchObject({ status: "success", exit_code: 0 });
  });

  test("what the SDK's transport refuses, it still refuses in its own words", async () => {
    const refused = async (response: Response, status: number, words: string) => {
      expect(response.status).toBe(status);
      expect(JSON.stringify(await response.json())).toContain(words);
    };
    const list = request(1, "tools/list");
    await refused(await post(list, { accept: "application/json" }), 406, "Not Acceptable");
    await refused(
      await post(list, { "mcp-protocol-version": "1999-01-01" }),
      400,
      "Unsupported protocol version",
    );
    await refused(await post({ ...list, extra: true }), 400, "Invalid JSON-RPC message");
    await refused(await post({ jsonrpc: "2.0", id: 2 }), 400, "Invalid JSON-RPC message");
  });

  test("a notification is accepted with 202 and nothing else", async () => {
    const response = await post({ jsonrpc: "2.0", method: "notifications/initialized" });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
  });
});
