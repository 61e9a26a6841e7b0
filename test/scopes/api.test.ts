/**
 * Scopes on the server, over real HTTP: a scoped principal sees and reaches only its clusters, is
 * refused (403 SCOPE_DENIED, audited, nothing queued) a namespace or a command beyond its scope,
 * and its commands carry the scope to the executor. Unscoped keys (`agent`) are unchanged.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ClusterList, ErrorBody } from "../../src/models";
import { auditEntries } from "../audit/helpers";
import { eventually } from "../support/eventually";
import { connectSse, type ProtocolExecutor } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";

const SHOP_KEY = "shop-key-0123456789abcdef";
const LIMITED_KEY = "limited-key-0123456789abcdef";
const EU_KEY = "eu-key-0123456789abcdef";
const KEYS_FILE = `principals:
  shop-team:
    keys: ["${SHOP_KEY}"]
    clusters: ["prod-*"]
    namespaces: { allow: ["shop"] }
    mode: readOnly
    share: 3
  limited:
    keys: ["${LIMITED_KEY}"]
    rateLimit: "0.01:1"
  eu-team:
    keys: ["${EU_KEY}"]
    clusterLabels: { region: eu }
`;

let server: TestServer;
let executor: ProtocolExecutor;
let shop: (path: string, init?: RequestInit) => Promise<Response>;
beforeAll(async () => {
  server = await startTestServer({ keysFile: KEYS_FILE });
  shop = server.as(SHOP_KEY);
  const token = await server.registerCluster("prod-eu");
  await server.registerCluster("staging");
  executor = await connectSse(server.url, "prod-eu", token);
});
afterAll(async () => {
  executor.close();
  await server.stop();
});

const clusterIds = async (call: (path: string) => Promise<Response>) =>
  ((await (await call("/debug/clusters")).json()) as ClusterList).clusters.map((c) => c.cluster_id).sort();

const execute = (body: Record<string, unknown>) =>
  shop("/debug/execute", json({ cluster_id: "prod-eu", command_type: "get", timeout_seconds: 5, ...body }));

async function expectScopeDenied(response: Response, scope: string) {
  expect(response.status).toBe(403);
  const body = (await response.json()) as ErrorBody;
  expect(body.details.code).toBe("SCOPE_DENIED");
  expect(body.details.context).toMatchObject({ scope, principal: "shop-team" });
  return body;
}

describe("clusters in scope by their labels", () => {
  test("a principal scoped by labels reaches a cluster once an admin labels it, and only then", async () => {
    const eu = server.as(EU_KEY);
    const run = (clusterId: string) =>
      eu(
        "/debug/execute",
        json({ cluster_id: clusterId, command_type: "get", args: ["pods"], timeout_seconds: 5 }),
      );
    const denied = async (response: Response) => {
      expect(response.status).toBe(403);
      const body = (await response.json()) as ErrorBody;
      expect([body.details.code, body.details.context.scope]).toEqual(["SCOPE_DENIED", "clusters"]);
    };
    expect(await clusterIds(eu)).toEqual([]);
    await denied(await run("prod-eu"));
    // An unknown cluster carries no labels: refused alike, so a scope never tells what exists.
    await denied(await run("nowhere"));
    const label = (labels: Record<string, string>) =>
      server.admin("/admin/clusters/prod-eu/labels", { method: "PUT", body: JSON.stringify({ labels }) });
    expect((await label({ region: "eu", env: "prod" })).status).toBe(200);
    expect(await clusterIds(eu)).toEqual(["prod-eu"]);
    expect((await run("prod-eu")).status).toBe(200);
    const fleet = await eu(
      "/debug/execute/fleet",
      json({ selector: { name: "*" }, command_type: "get", args: ["pods"] }),
    );
    const answered = (await fleet.json()) as { clusters: { cluster_id: string }[] };
    expect(answered.clusters.map((c) => c.cluster_id)).toEqual(["prod-eu"]);
    expect((await label({ region: "us" })).status).toBe(200);
    expect(await clusterIds(eu)).toEqual([]);
    await denied(await run("prod-eu"));
  });
});

describe("clusters in scope", () => {
  test("GET /debug/clusters shows a scoped principal only its clusters; an unscoped key all", async () => {
    expect(await clusterIds(shop)).toEqual(["prod-eu"]);
    expect(await clusterIds(server.client)).toEqual(["prod-eu", "staging"]);
  });

  test("MCP list_clusters shows the same", async () => {
    const client = new Client({ name: "scopes-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { "x-api-key": SHOP_KEY } },
      }),
    );
    try {
      const listed = (await client.callTool({ name: "list_clusters", arguments: {} })) as CallToolResult;
      const clusters = (listed.structuredContent as { clusters: { cluster_id: string }[] }).clusters;
      expect(clusters.map((c) => c.cluster_id)).toEqual(["prod-eu"]);
      const outside = (await client.callTool({
        name: "execute_kubectl",
        arguments: { cluster_id: "staging", command: "get pods -n shop" },
      })) as CallToolResult;
      expect(outside.isError).toBe(true);
      expect(JSON.stringify(outside.content)).toContain("SCOPE_DENIED");
    } finally {
      await client.close();
    }
  });

  test("a cluster out of scope is 403 SCOPE_DENIED alike whether it exists or not, and nothing is queued", async () => {
    const depth = await server.store.queueDepth("staging");
    const existing = await expectScopeDenied(
      await execute({ cluster_id: "staging", args: ["pods"] }),
      "clusters",
    );
    const missing = await expectScopeDenied(
      await execute({ cluster_id: "nowhere", args: ["pods"] }),
      "clusters",
    );
    expect(existing.error).toBe("cluster 'staging' is outside the scope of 'shop-team'");
    expect(missing.error).toBe("cluster 'nowhere' is outside the scope of 'shop-team'");
    await expectScopeDenied(await shop("/debug/session", json({ cluster_id: "staging" })), "clusters");
    const async = await shop(
      "/debug/execute/async",
      json({ cluster_id: "staging", command_type: "get", args: ["pods"] }),
    );
    await expectScopeDenied(async, "clusters");
    expect(await server.store.queueDepth("staging")).toBe(depth);
  });
});

describe("namespaces and mode", () => {
  test.each([
    ["-n outside", ["pods", "-n", "payments"], undefined],
    ["--namespace= outside", ["pods", "--namespace=payments"], undefined],
    ["the body's namespace", ["pods"], "payments"],
    ["a Namespace object by name", ["namespace", "payments"], "shop"],
    ["no namespace at all (kubectl's default)", ["pods"], undefined],
  ])("%s is 403 SCOPE_DENIED (namespaces)", async (_, args, namespace) => {
    const before = executor.received.length;
    const body = await expectScopeDenied(await execute({ args, namespace }), "namespaces");
    expect(body.details.context.denial_code).toBe("NAMESPACE_DENIED");
    expect(executor.received.length).toBe(before);
  });

  test("a verb beyond the principal's mode is 403 SCOPE_DENIED (mode)", async () => {
    const response = await shop(
      "/debug/execute",
      json({ cluster_id: "prod-eu", command_type: "exec", args: ["api-0", "-n", "shop", "--", "ls"] }),
    );
    const body = await expectScopeDenied(response, "mode");
    expect(body.details.context.denial_code).toBe("VERB_NOT_ALLOWED");
  });

  test("what is in scope is queued and carries the scope to the executor; -A too, for the gate to filter", async () => {
    for (const args of [
      ["pods", "-n", "shop"],
      ["pods", "-A"],
    ]) {
      const response = await execute({ args });
      expect(response.status).toBe(200);
      const command = executor.received.at(-1);
      expect(command?.args).toEqual(args);
      expect(command?.scope).toEqual({
        principal: "shop-team",
        namespaces: { allow: ["shop"], deny: [] },
        mode: "readOnly",
        share: 3,
      });
      expect(command?.service_identity).toBe("shop-team");
    }
  });

  test("an unscoped key's command carries no scope", async () => {
    const response = await server.client(
      "/debug/execute",
      json({ cluster_id: "prod-eu", command_type: "get", args: ["pods", "-n", "payments"] }),
    );
    expect(response.status).toBe(200);
    expect(executor.received.at(-1)?.scope).toBeUndefined();
  });

  test("a refusal is audited: who, what, which scope", async () => {
    const correlation = `scope-audit-${crypto.randomUUID()}`;
    await shop("/debug/execute", {
      ...json({ cluster_id: "prod-eu", command_type: "get", args: ["pods", "-n", "kube-system"] }),
      headers: { "x-correlation-id": correlation },
    });
    const [entry] = await eventually(async () => {
      const found = (await auditEntries(server, { identity: "shop-team" })).filter(
        (e) => e.correlation_id === correlation,
      );
      expect(found.length).toBe(1);
      return found;
    });
    expect(entry).toMatchObject({
      action: "command",
      outcome: "denied",
      identity: "shop-team",
      cluster_id: "prod-eu",
      args: ["pods", "-n", "kube-system"],
      error_code: "SCOPE_DENIED",
      denial_code: "namespaces",
    });
    expect(entry?.command_id).toBeUndefined();
  });
});

test("a principal's own rate limit applies to it, not to unscoped keys", async () => {
  const limited = server.as(LIMITED_KEY);
  expect((await limited("/debug/clusters")).status).toBe(200);
  const over = await limited("/debug/clusters");
  expect(over.status).toBe(429);
  expect(((await over.json()) as ErrorBody).details.code).toBe("RATE_LIMITED");
  for (let i = 0; i < 3; i += 1) expect((await server.client("/debug/clusters")).status).toBe(200);
});
