/**
 * One command across a fleet, end to end: real executors (one with a stricter policy, one behind a
 * stand-in that holds its answer) and a registered cluster with none connected, on SQLite and Redis.
 * Each cluster's answer is what its own execute would have been; real kubectl straight against the
 * stand-in is the oracle for the output; labels set by an admin select clusters; bad input queues
 * nothing; the audit trail has one entry per cluster under the call's correlation id.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { RunningExecutor } from "../../executor/executor";
import type { AuditEntry, ClusterView, ErrorBody, FleetAnswer } from "../../src/models";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { runKubently } from "../support/cli";
import { connectExecutor, startInProcessExecutor } from "../support/executor";
import { runToEnd } from "../support/process";
import { ADMIN_KEY, CLIENT_KEY, json, startTestServer, type TestServer } from "../support/server";
import { persistentStores, useStores } from "../support/stores";

const dir = mkdtempSync(join(tmpdir(), "kubently-fleet-"));
const { backends } = useStores("fleet");
let standin: KubeStandin;
/** A second cluster's API server, whose namespace list is held: its command runs out of time. */
let slow: KubeStandin;
/** What kubectl itself prints for the command the fleet runs. */
let oracle: string;
const GET_NS = ["get", "namespaces", "-o", "name"];

beforeAll(async () => {
  [standin, slow] = await Promise.all([startKubeStandin(), startKubeStandin()]);
  const run = await runToEnd(["kubectl", "--kubeconfig", standin.kubeconfigPath, ...GET_NS], {
    PATH: process.env.PATH,
    HOME: dir,
  });
  expect(run.code).toBe(0);
  oracle = run.stdout;
});
afterAll(async () => {
  await Promise.all([standin.stop(), slow.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const stores = persistentStores(backends);

describe.each(stores)("on the %s store", (_, storeUrl) => {
  let server: TestServer;
  const executors: RunningExecutor[] = [];
  beforeAll(async () => {
    server = await startTestServer({ storeUrl: storeUrl() });
    const connect = async (clusterId: string, kubeconfig: string, policy?: string) => {
      executors.push(await connectExecutor(server, clusterId, kubeconfig, dir, policy));
    };
    await connect("prod-eu", standin.kubeconfigPath);
    await connect("prod-us", standin.kubeconfigPath);
    await connect(
      "staging",
      standin.kubeconfigPath,
      "mode: readOnly\nrestrictedResources: [secrets, namespaces]\n",
    );
    await connect("prod-slow", slow.kubeconfigPath);
    await server.registerCluster("prod-ap"); // registered, no executor
  });
  afterAll(async () => {
    await Promise.all(executors.map((executor) => executor.stop()));
    await server.stop();
  });

  const setLabels = (clusterId: string, labels: Record<string, string>) =>
    server.admin(`/admin/clusters/${clusterId}/labels`, { method: "PUT", body: JSON.stringify({ labels }) });
  const fleet = async (body: Record<string, unknown>, correlationId?: string) => {
    const response = await server.client("/debug/execute/fleet", {
      ...json({ command_type: GET_NS[0], args: GET_NS.slice(1), ...body }),
      headers: correlationId ? { "x-correlation-id": correlationId } : {},
    });
    return { status: response.status, body: (await response.json()) as FleetAnswer & ErrorBody };
  };
  const commandEntries = async () => {
    const response = await server.admin("/audit?action=command&limit=1000");
    return ((await response.json()) as { entries: AuditEntry[] }).entries;
  };

  test("labels an admin sets are listed, replaced whole, audited; bad ones and unknown clusters refused", async () => {
    expect((await setLabels("prod-eu", { env: "prod", region: "eu" })).status).toBe(200);
    expect((await setLabels("prod-us", { env: "prod", region: "us" })).status).toBe(200);
    expect((await setLabels("staging", { env: "staging" })).status).toBe(200);
    const listed = (await (await server.client("/debug/clusters")).json()) as { clusters: ClusterView[] };
    const labels = Object.fromEntries(listed.clusters.map((view) => [view.cluster_id, view.labels]));
    expect(labels).toEqual({
      "prod-ap": {},
      "prod-eu": { env: "prod", region: "eu" },
      "prod-slow": {},
      "prod-us": { env: "prod", region: "us" },
      staging: { env: "staging" },
    });
    const bad: Record<string, string>[] = [
      { "bad key!": "x" },
      { env: "a value with spaces" },
      { env: "-dash-first" },
    ];
    for (const labels of bad) {
      const refused = await setLabels("prod-eu", labels);
      expect([refused.status, ((await refused.json()) as ErrorBody).details.code]).toEqual([
        400,
        "VALIDATION_ERROR",
      ]);
    }
    const unknown = await setLabels("nowhere", { env: "prod" });
    expect([unknown.status, ((await unknown.json()) as ErrorBody).details.code]).toEqual([
      404,
      "CLUSTER_NOT_FOUND",
    ]);
    const audit = (await (await server.admin("/audit?action=cluster.labels")).json()) as {
      entries: AuditEntry[];
    };
    expect(audit.entries.map((entry) => [entry.cluster_id, entry.outcome])).toEqual([
      ["prod-eu", "succeeded"],
      ["prod-us", "succeeded"],
      ["staging", "succeeded"],
      ["nowhere", "refused"],
    ]);
    const after = (await (await server.client("/debug/clusters")).json()) as { clusters: ClusterView[] };
    expect(after.clusters.find((view) => view.cluster_id === "prod-eu")?.labels).toEqual({
      env: "prod",
      region: "eu",
    });
  });

  test("a glob answers per cluster: output as kubectl prints it, offline at once, a timeout, never one failure for all", async () => {
    const hold = slow.hold("/api/v1/namespaces");
    try {
      const { status, body } = await fleet(
        { selector: { name: "prod-*" }, timeout_seconds: 3 },
        "fleet-glob-1",
      );
      expect(status).toBe(200);
      expect(body.correlation_id).toBe("fleet-glob-1");
      expect(body.clusters.map(({ cluster_id, outcome }) => [cluster_id, outcome])).toEqual([
        ["prod-ap", "offline"],
        ["prod-eu", "success"],
        ["prod-slow", "timeout"],
        ["prod-us", "success"],
      ]);
      for (const answer of body.clusters.filter(({ outcome }) => outcome === "success")) {
        expect(answer.result?.stdout).toBe(oracle);
      }
      expect(body.clusters[0]?.error?.code).toBe("EXECUTOR_OFFLINE");
      expect(body.clusters[2]?.error?.code).toBe("COMMAND_TIMEOUT");
      expect(body.summary).toEqual({ success: 2, failure: 0, denied: 0, offline: 1, timeout: 1, error: 0 });
    } finally {
      hold.release();
    }
  });

  test("labels select; a cluster's own policy denies it there alone; unknown ids are answered, not fatal", async () => {
    const byLabels = await fleet({ selector: { labels: { env: "prod", region: "eu" } } });
    expect(byLabels.body.clusters.map(({ cluster_id }) => cluster_id)).toEqual(["prod-eu"]);
    const listed = await fleet({ clusters: ["staging", "prod-us", "nowhere"] });
    expect(listed.status).toBe(200);
    expect(listed.body.clusters.map(({ cluster_id, outcome }) => [cluster_id, outcome])).toEqual([
      ["nowhere", "error"],
      ["prod-us", "success"],
      ["staging", "denied"],
    ]);
    expect(listed.body.clusters[0]?.error?.code).toBe("CLUSTER_NOT_FOUND");
    expect(listed.body.clusters[2]?.error?.context).toMatchObject({ denial_code: "RESOURCE_RESTRICTED" });
  });

  test("the audit trail has one command entry per cluster that ran it, tied by the call's correlation id", async () => {
    await fleet({ selector: { labels: { env: "prod" } } }, "fleet-audit-1");
    const entries = (await commandEntries()).filter((entry) => entry.correlation_id === "fleet-audit-1");
    const accepted = entries.filter((entry) => entry.outcome === "accepted").map((entry) => entry.cluster_id);
    expect(accepted.sort()).toEqual(["prod-eu", "prod-us"]);
    const answered = entries
      .filter((entry) => entry.outcome === "succeeded")
      .map((entry) => entry.cluster_id);
    expect(answered.sort()).toEqual(["prod-eu", "prod-us"]);
  });

  test("bad input gets the error format and queues nothing", async () => {
    const before = (await commandEntries()).length;
    const ids = Array.from({ length: 501 }, (_, i) => `c-${i}`);
    for (const [body, status, code] of [
      [{}, 400, "CLUSTERS_REQUIRED"],
      [{ selector: {} }, 400, "EMPTY_SELECTOR"],
      [{ selector: { name: "nomatch-*" } }, 404, "NO_CLUSTER_MATCHES"],
      [{ selector: { labels: { env: "nowhere" } } }, 404, "NO_CLUSTER_MATCHES"],
      [{ clusters: ["prod-eu"], selector: { name: "prod-*" } }, 400, "CLUSTERS_OR_SELECTOR"],
      [{ clusters: ids }, 400, "VALIDATION_ERROR"],
      [{ clusters: [] }, 400, "VALIDATION_ERROR"],
      [{ clusters: ["prod-eu", "prod-eu"] }, 400, "VALIDATION_ERROR"],
      [{ selector: { name: "Prod_*" } }, 400, "VALIDATION_ERROR"],
      [{ selector: { name: "prod-*" }, follow_seconds: 250 }, 400, "FOLLOW_WINDOW_TOO_LONG"],
    ] as [Record<string, unknown>, number, string][]) {
      const refused = await fleet(body);
      expect([JSON.stringify(body).slice(0, 60), refused.status, refused.body.details.code]).toEqual([
        JSON.stringify(body).slice(0, 60),
        status,
        code,
      ]);
    }
    expect((await commandEntries()).length).toBe(before);
  });
});

describe("for agents and people", () => {
  let server: TestServer;
  const executors: RunningExecutor[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    for (const clusterId of ["edge-a", "edge-b"]) {
      executors.push(
        await startInProcessExecutor({
          apiUrl: server.url,
          clusterId,
          token: await server.registerCluster(clusterId),
          kubeconfig: standin.kubeconfigPath,
          cacheDir: join(dir, `cache-${clusterId}`),
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(executors.map((executor) => executor.stop()));
    await server.stop();
  });

  test("MCP execute_kubectl_fleet answers per cluster under a header each", async () => {
    const client = new Client({ name: "kubently-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { "x-api-key": CLIENT_KEY } },
      }),
    );
    try {
      const result = (await client.callTool({
        name: "execute_kubectl_fleet",
        arguments: { selector: { name: "edge-*" }, command: GET_NS.join(" ") },
      })) as CallToolResult;
      const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
      expect(text).toBe(
        `=== edge-a: success, exit code 0 ===\n${oracle}\n=== edge-b: success, exit code 0 ===\n${oracle}\n[2 clusters: 2 success]`,
      );
      const empty = (await client.callTool({
        name: "execute_kubectl_fleet",
        arguments: { selector: { name: "none-*" }, command: GET_NS.join(" ") },
      })) as CallToolResult;
      expect(empty.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  test("CLI: exec --clusters prefixes each line with its cluster; labels are set with kubently cluster label", async () => {
    const env = { KUBENTLY_URL: server.url, KUBENTLY_API_KEY: CLIENT_KEY, KUBENTLY_ADMIN_KEY: ADMIN_KEY };
    const labelled = await runKubently(["cluster", "label", "edge-b", "tier=edge", "zone=b"], env);
    expect(labelled.code).toBe(0);
    const both = await runKubently(["exec", "--clusters", "edge-*", "--", ...GET_NS], env);
    expect(both.code).toBe(0);
    const lines = oracle.split("\n").slice(0, -1);
    expect(both.stdout).toBe(
      [...lines.map((line) => `edge-a  ${line}\n`), ...lines.map((line) => `edge-b  ${line}\n`)].join(""),
    );
    expect(both.stderr).toBe("kubently: 2 clusters: 2 success\n");
    const selected = await runKubently(["exec", "-l", "tier=edge", ...GET_NS], env);
    expect(selected.stdout).toBe(lines.map((line) => `edge-b  ${line}\n`).join(""));
    const partly = await runKubently(["exec", "--clusters", "edge-a,gone", ...GET_NS], env);
    expect(partly.code).toBe(1);
    expect(partly.stderr).toContain("gone    kubently: error: CLUSTER_NOT_FOUND");
  });
});
