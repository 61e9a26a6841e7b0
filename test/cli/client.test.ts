/** The `kubently` client commands as a user runs them, against a real server, executor and kubectl. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ClusterView, CommandResult, ErrorBody } from "../../src/models";
import { CRASHING_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { runKubently } from "../support/cli";
import { type ConnectedCluster, startConnectedCluster } from "../support/connected-cluster";
import { ADMIN_KEY, CLIENT_KEY, type TestServer } from "../support/server";

let cluster: ConnectedCluster;
let server: TestServer;
beforeAll(async () => {
  cluster = await startConnectedCluster("cli-cluster");
  server = cluster.server;
});
afterAll(() => cluster.stop());

const kubently = (args: string[], env: Record<string, string> = { KUBENTLY_API_KEY: CLIENT_KEY }) =>
  runKubently(args, { KUBENTLY_URL: server.url, ...env });

describe("kubently exec", () => {
  test("prints kubectl's output and exits with its code", async () => {
    const ok = await kubently(["exec", "cli-cluster", "--", "get", "pods", "-n", SHOP_NAMESPACE]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`${CRASHING_POD}\\s+0/1\\s+CrashLoopBackOff`));

    const missing = await kubently(["exec", "cli-cluster", "--", "get", "pod", "nope", "-n", SHOP_NAMESPACE]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('pods "nope" not found');
  });

  test("from the kubectl verb on, every word is kubectl's, with or without --", async () => {
    const all = await kubently(["exec", "cli-cluster", "get", "pods", "-A"]);
    expect({ code: all.code, stderr: all.stderr }).toEqual({ code: 0, stderr: "" });
    expect(all.stdout).toMatch(
      new RegExp(`^NAMESPACE\\s+NAME\\s+READY.*\\n${SHOP_NAMESPACE}\\s+${CRASHING_POD}\\s`, "ms"),
    );
  });

  test("exec's options go before the verb, on either side of the cluster; -n after it is kubectl's", async () => {
    const json = ["--json", "--correlation-id", "trace-cli-2"];
    const runs = await Promise.all(
      [
        ["exec", ...json, "cli-cluster", "get", "deployments", "-n", SHOP_NAMESPACE],
        ["exec", ...json, "-n", SHOP_NAMESPACE, "cli-cluster", "--", "get", "deployments"],
        ["exec", "cli-cluster", ...json, "-n", SHOP_NAMESPACE, "get", "deployments"],
      ].map((args) => kubently(args)),
    );
    const results = runs.map((run) => JSON.parse(run.stdout) as CommandResult);
    for (const result of results)
      expect(result).toMatchObject({ status: "success", exit_code: 0, correlation_id: "trace-cli-2" });
    expect(results[0]?.stdout).toContain("checkout");
    expect(new Set(results.map((result) => result.stdout)).size).toBe(1);
  });

  test("a denied command exits 126 with the reason", async () => {
    const denied = await kubently(["exec", "cli-cluster", "--", "get", "secrets", "-n", SHOP_NAMESPACE]);
    expect(denied.code).toBe(126);
    expect(denied.stderr).toContain("COMMAND_DENIED");
  });

  test("--json prints the result, carrying the caller's correlation id", async () => {
    const run = await kubently(
      [
        "exec",
        "cli-cluster",
        "--json",
        "--correlation-id",
        "trace-cli-1",
        "--requested-by",
        "oncall-bot",
      ].concat(["-n", SHOP_NAMESPACE, "--", "get", "deployments"]),
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CommandResult;
    expect(result).toMatchObject({
      cluster_id: "cli-cluster",
      status: "success",
      exit_code: 0,
      correlation_id: "trace-cli-1",
      service_identity: "agent",
    });
    expect(result.stdout).toContain("checkout");
  });

  test("a wrong key exits 1 with UNAUTHORIZED, and the key is never printed", async () => {
    const run = await kubently(["exec", "cli-cluster", "--", "get", "pods"], {
      KUBENTLY_API_KEY: "wrong-key-0123456789",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("UNAUTHORIZED");
    expect(run.stdout + run.stderr).not.toContain("wrong-key-0123456789");
  });
});

describe("sessions, clusters, tokens, health", () => {
  test("session start prints an id that exec and session end accept", async () => {
    const started = await kubently(["session", "start", "cli-cluster", "--ttl", "120"]);
    expect(started.code).toBe(0);
    const sessionId = started.stdout.trim();
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const inSession = await kubently(["exec", "cli-cluster", "--session", sessionId, "--", "get", "nodes"]);
    expect(inSession.code).toBe(0);
    expect((await kubently(["session", "end", sessionId])).code).toBe(0);
    const again = await kubently(["session", "end", sessionId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("SESSION_NOT_FOUND");
  });

  test("another key's session does not exist for the CLI: exec and session end exit 1 with SESSION_NOT_FOUND", async () => {
    const response = await server.other("/debug/session", {
      method: "POST",
      body: JSON.stringify({ cluster_id: "cli-cluster" }),
    });
    const { session_id } = (await response.json()) as { session_id: string };
    const inSession = await kubently(["exec", "cli-cluster", "--session", session_id, "--", "get", "nodes"]);
    const ended = await kubently(["session", "end", session_id]);
    for (const run of [inSession, ended]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("SESSION_NOT_FOUND");
    }
    expect((await server.other(`/debug/session/${session_id}`)).status).toBe(200);
  });

  test("clusters prints a table, or JSON", async () => {
    const human = await kubently(["clusters"]);
    expect(human.stdout).toMatch(/^CLUSTER\s+EXECUTOR\s+TRANSPORT/);
    expect(human.stdout).toMatch(/cli-cluster\s+connected\s+sse\s+\S+\s+\S+\s+readOnly\n/);
    const json = JSON.parse((await kubently(["clusters", "--json"])).stdout) as ClusterView[];
    expect(json.find((c) => c.cluster_id === "cli-cluster")?.policy).toMatchObject({
      mode: "readOnly",
      restricted_resources: ["secrets"],
    });
  });

  test("-o wide adds columns, -o yaml and -o name print what kubectl users expect; ages as kubectl's", async () => {
    const wide = await kubently(["clusters", "-o", "wide"]);
    expect(wide.stdout).toMatch(
      /^CLUSTER\s+EXECUTOR\s+TRANSPORT\s+VERSION\s+LAST SEEN\s+POLICY\s+LABELS\s+SESSION\s+LAST CONTACT\n/,
    );
    // The executor was seen moments ago: an age in seconds, as kubectl prints it.
    expect(wide.stdout).toMatch(
      /\ncli-cluster\s+connected\s+sse\s+\S+\s+\d+s\s+readOnly\s+-\s+(open|-)\s+20\d\d-\S+Z\n/,
    );
    const yaml = await kubently(["clusters", "-o", "yaml"]);
    expect(yaml.stdout).toMatch(/^- cluster_id: cli-cluster\n {2}connected: true\n/m);
    expect((await kubently(["clusters", "-o", "name"])).stdout).toBe("cli-cluster\n");
    const bad = await kubently(["clusters", "-o", "table"]);
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({
      code: 2,
      stderr:
        "error: option '-o, --output <format>' argument 'table' is invalid. Allowed choices are json, yaml, wide, name.\n",
    });
  });

  test("session get: a table with its age and expiry, -o wide, -o yaml", async () => {
    const sessionId = (
      await kubently(["session", "start", "cli-cluster", "--ttl", "600", "--user", "alice"])
    ).stdout.trim();
    const table = await kubently(["session", "get", sessionId]);
    expect(table.stdout).toMatch(
      new RegExp(
        `^SESSION\\s+CLUSTER\\s+USER\\s+AGE\\s+EXPIRES IN\\n${sessionId}\\s+cli-cluster\\s+alice\\s+\\d+s\\s+(9|10)m(\\d+s)?\\n$`,
      ),
    );
    const wide = await kubently(["session", "get", sessionId, "-o", "wide"]);
    expect(wide.stdout).toMatch(/SERVICE\s+CORRELATION ID\s+TTL\n.*\sagent\s+\S+\s+600\n$/);
    const yaml = await kubently(["session", "get", sessionId, "-o", "yaml"]);
    expect(yaml.stdout).toContain(`session_id: ${sessionId}\ncluster_id: cli-cluster\n`);
    await kubently(["session", "end", sessionId]);
    const gone = await kubently(["session", "get", sessionId]);
    expect({ code: gone.code, stderr: gone.stderr }).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("SESSION_NOT_FOUND"),
    });
  });

  test("token create, a second create, rotate and revoke, with the admin key", async () => {
    const admin = { KUBENTLY_ADMIN_KEY: ADMIN_KEY };
    const created = await kubently(["token", "create", "cli-new"], admin);
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(/^kbt_/);
    const twice = await kubently(["token", "create", "cli-new"], admin);
    expect(twice).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "kubently: TOKEN_EXISTS: cluster 'cli-new' already has an executor token; to replace it: kubently token rotate cli-new\n",
    });
    const api = await server.admin("/admin/clusters/cli-new/token", { method: "POST" });
    expect(((await api.json()) as ErrorBody).error).toBe(
      "cluster 'cli-new' already has an executor token; POST again with ?rotate=true to replace it (the old one stops working at once)",
    );
    const rotated = await kubently(["token", "rotate", "cli-new"], admin);
    expect(rotated.stdout.trim()).not.toBe(created.stdout.trim());
    expect((await kubently(["token", "revoke", "cli-new"], admin)).code).toBe(0);
    const asClient = await kubently(["token", "create", "cli-other"]);
    expect(asClient.code).toBe(1);
  });

  test("health reports the store", async () => {
    const run = await kubently(["health"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^healthy: store connected \(memory\)/);
  });

  test("every command has --help with examples", async () => {
    for (const command of [
      ["exec"],
      ["session", "start"],
      ["clusters"],
      ["token", "create"],
      ["health"],
      ["mcp"],
    ]) {
      const help = await kubently([...command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Example/);
    }
  });
});
