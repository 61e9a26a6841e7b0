/**
 * The policy's switch, end to end through the real server and executor: with native reads on, a
 * `get` reaches the cluster from the executor itself; with `nativeReads: false`, from kubectl (its
 * User-Agent names it). Either way the caller gets the same answer.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult } from "../../src/models";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { executorEnv, startInProcessExecutor } from "../support/executor";
import { json, startTestServer, type TestServer } from "../support/server";

const dir = mkdtempSync(join(tmpdir(), "kubently-native-switch-"));
let standin: KubeStandin;
let server: TestServer;
beforeAll(async () => {
  [standin, server] = await Promise.all([startKubeStandin(), startTestServer({ storeUrl: "memory://" })]);
});
afterAll(async () => {
  await Promise.all([standin.stop(), server.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function podsThrough(clusterId: string, policy: string): Promise<{ stdout: string; agents: string[] }> {
  const policyFile = join(dir, `${clusterId}.yaml`);
  writeFileSync(policyFile, policy);
  const token = await server.registerCluster(clusterId);
  const env = executorEnv({
    apiUrl: server.url,
    clusterId,
    token,
    kubeconfig: standin.kubeconfigPath,
    cacheDir: join(dir, `cache-${clusterId}`),
  });
  const executor = await startInProcessExecutor({ ...env, KUBENTLY_POLICY: policyFile });
  try {
    const response = await server.client(
      "/debug/execute",
      json({ cluster_id: clusterId, command_type: "get", args: ["pods", "-n", "shop"] }),
    );
    const result = (await response.json()) as CommandResult;
    expect(response.status).toBe(200);
    const agents = standin.requests
      .filter(
        (r) =>
          r.pathname === "/api/v1/namespaces/shop/pods" &&
          r.headers["user-agent"]?.includes(result.command_id),
      )
      .map((r) => r.headers["user-agent"] ?? "");
    return { stdout: result.stdout, agents };
  } finally {
    await executor.stop();
  }
}

describe("the nativeReads switch", () => {
  test("on by default: the executor reads itself; off: kubectl does; the caller sees the same table", async () => {
    const native = await podsThrough("native-on", "mode: readOnly\n");
    const kubectl = await podsThrough("native-off", "nativeReads: false\n");
    expect(native.agents).toHaveLength(1);
    expect(native.agents[0]).not.toContain("kubectl");
    expect(kubectl.agents).toHaveLength(1);
    expect(kubectl.agents[0]).toContain(") kubectl");
    expect(native.stdout.split("\n")[0]).toBe(kubectl.stdout.split("\n")[0]);
    expect(native.stdout).toStartWith("NAME");
  });
});
