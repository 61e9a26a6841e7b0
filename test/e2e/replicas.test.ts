/**
 * Several API replicas on one Redis, and on a Redis Cluster, as processes behind a load balancer: an
 * executor streaming from one replica serves commands sent to another, and when its replica is killed
 * mid-command it reconnects through the balancer and the waiting caller on the surviving replica
 * still gets its answer.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult } from "../../src/models";
import { HEALTHY_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { type Balancer, startBalancer } from "../support/balancer";
import { executorEnv } from "../support/executor";
import { freePort } from "../support/ports";
import { type Spawned, spawnProcess } from "../support/process";
import { type RedisCluster, startRedisCluster } from "../support/redis-cluster";
import { spawnServe } from "../support/serve";
import { useStores } from "../support/stores";

const API_KEY = "replica-agent-key-0123456789";
const ADMIN_KEY = "replica-admin-key-0123456789";
const dir = mkdtempSync(join(tmpdir(), "kubently-replicas-"));
const { redis } = useStores("replicas");
let standin: KubeStandin;
let cluster: RedisCluster;

beforeAll(async () => {
  [standin, cluster] = await Promise.all([startKubeStandin(), startRedisCluster()]);
});
afterAll(async () => {
  await Promise.all([standin.stop(), cluster.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const at = (port: number) => (path: string, key: string, body?: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe.each([
  ["one Redis", () => redis().url],
  ["a Redis Cluster", () => cluster.url],
])("on %s", (_, storeUrl) => {
  const replicas: { port: number; process: Spawned }[] = [];
  let balancer: Balancer;

  async function startReplica(): Promise<{ port: number; process: Spawned }> {
    const port = await freePort();
    const process_ = spawnServe(["--port", String(port), "--store", storeUrl()], {
      KUBENTLY_API_KEYS: `agent:${API_KEY}`,
      KUBENTLY_ADMIN_KEYS: `ops:${ADMIN_KEY}`,
      KUBENTLY_REDIS_PREFIX: "replicas:",
    });
    await process_.waitForLine(/kubently listening/);
    return { port, process: process_ };
  }

  beforeAll(async () => {
    replicas.push(await startReplica(), await startReplica());
    balancer = startBalancer(replicas.map((r) => r.port));
  });
  afterAll(async () => {
    balancer.stop();
    for (const replica of replicas) {
      replica.process.proc.kill("SIGKILL");
      await replica.process.proc.exited;
    }
  });

  test("a replica dies mid-command: its executor moves to the other, and the caller there gets the answer", async () => {
    const [a, b] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    const issued = await at(b.port)("/admin/clusters/shared/token", ADMIN_KEY);
    const { token } = (await issued.json()) as { token: string };
    // The balancer sends the executor to replica A, the first that answers.
    const executor = spawnProcess(
      [process.execPath, "executor/index.ts"],
      executorEnv({
        apiUrl: balancer.url,
        clusterId: "shared",
        token,
        kubeconfig: standin.kubeconfigPath,
        cacheDir: join(dir, "cache"),
      }),
    );
    try {
      await executor.waitForLine(/"msg":"connected"/);

      // Sent to B, executed by the executor streaming from A.
      const first = await at(b.port)("/debug/execute", API_KEY, {
        cluster_id: "shared",
        command_type: "get",
        args: ["nodes"],
      });
      expect(first.status).toBe(200);
      expect(((await first.json()) as CommandResult).stdout).toContain("ip-10-0-1-23");

      // Now kill A while kubectl is mid-request for a command waiting on B.
      const hold = standin.hold(`/api/v1/namespaces/${SHOP_NAMESPACE}/pods/${HEALTHY_POD}`);
      const pending = at(b.port)("/debug/execute", API_KEY, {
        cluster_id: "shared",
        command_type: "get",
        args: ["pod", HEALTHY_POD, "-n", SHOP_NAMESPACE],
        timeout_seconds: 30,
      });
      await hold.reached;
      a.process.proc.kill("SIGKILL");
      await a.process.proc.exited;
      hold.release();

      const answer = await pending;
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as CommandResult).stdout).toContain(HEALTHY_POD);

      // The executor is back, through the balancer, on B: a new command still runs.
      const after = await at(b.port)("/debug/execute", API_KEY, {
        cluster_id: "shared",
        command_type: "get",
        args: ["namespaces"],
      });
      expect(after.status).toBe(200);
      expect(((await after.json()) as CommandResult).stdout).toContain(SHOP_NAMESPACE);
    } finally {
      executor.proc.kill("SIGTERM");
      await executor.proc.exited;
    }
  });
});
