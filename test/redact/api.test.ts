/**
 * Redaction as a caller sees it: the real API server and an executor against the stand-in with
 * planted credentials. The result the server stores and answers carries the markers and their
 * counts, and no planted value is anywhere in the response; a policy file's own rule takes effect.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningExecutor } from "../../executor/executor";
import type { CommandResult } from "../../src/models";
import { PAYMENTS, PAYMENTS_POD, PLANTED, redactionScenario } from "../k8s/redaction-scenario";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { executorEnv, startInProcessExecutor } from "../support/executor";
import { json, startTestServer, type TestServer } from "../support/server";

const dir = mkdtempSync(join(tmpdir(), "kubently-redact-api-"));
let standin: KubeStandin;
let server: TestServer;
let executor: RunningExecutor;

beforeAll(async () => {
  standin = await startKubeStandin({ scenario: redactionScenario() });
  server = await startTestServer({ storeUrl: `sqlite://${join(dir, "k.db")}` });
  const policy = join(dir, "policy.yaml");
  // The policy's own rule: the pod's DB_USER reference name is not a credential, the team's ids are.
  writeFileSync(policy, 'redaction:\n  rules:\n    - name: team-id\n      valuePattern: "q7r2t"\n');
  executor = await startInProcessExecutor({
    ...executorEnv({
      apiUrl: server.url,
      clusterId: "payments",
      token: await server.registerCluster("payments"),
      kubeconfig: standin.kubeconfigPath,
      cacheDir: join(dir, "cache"),
    }),
    KUBENTLY_POLICY: policy,
  });
});
afterAll(async () => {
  await executor.stop();
  await server.stop();
  await standin.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function execute(args: string[]): Promise<{ text: string; result: CommandResult }> {
  const [command_type, ...rest] = args;
  const response = await server.client(
    "/debug/execute",
    json({ cluster_id: "payments", command_type, args: [...rest, "-n", PAYMENTS] }),
  );
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return { text, result: JSON.parse(text) as CommandResult };
}

describe("through the API", () => {
  test("logs: the caller gets markers and counts, never the credentials", async () => {
    const { text, result } = await execute(["logs", "deploy/payments"]);
    for (const value of Object.values(PLANTED)) expect(text).not.toContain(value);
    expect(result.redactions).toMatchObject({ "bearer-token": 1, "github-token": 1, "secret-name": 2 });
    expect(result.stdout).toContain("Authorization: Bearer [REDACTED:bearer-token]");
  });

  test("get -o yaml: the gate's and the policy's own rules, counted once each", async () => {
    const { text, result } = await execute(["get", "pods", "-o", "yaml"]);
    for (const value of Object.values(PLANTED)) expect(text).not.toContain(value);
    expect(result.stdout).not.toContain("q7r2t");
    expect(result.stdout).toContain(`name: payments-6c8d7f9b4-[REDACTED:team-id]`);
    expect(result.redactions).toMatchObject({ "secret-name": 4, jwt: 2, "url-password": 2 });
    expect(result.redactions?.["team-id"]).toBeGreaterThan(0);
    expect(PAYMENTS_POD).toContain("q7r2t");
  });
});
