/** SIGTERM while kubectl is running: the executor stops taking work, finishes, reports, exits 0. */
import { expect, test } from "bun:test";
import { join } from "node:path";
import type { CommandResult } from "../../src/models";
import { HEALTHY_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { spawnProcess } from "../support/process";
import { json } from "../support/server";
import { useServerAndStandin } from "../support/server-and-standin";

const pair = useServerAndStandin("graceful");

test("a running command is finished and reported after SIGTERM, then the executor exits 0", async () => {
  const { dir, server, standin } = pair;
  const token = await server.registerCluster("graceful");
  const hold = standin.hold(`/api/v1/namespaces/${SHOP_NAMESPACE}/pods/${HEALTHY_POD}`);
  const executor = spawnProcess([process.execPath, "executor/index.ts"], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KUBECONFIG: standin.kubeconfigPath,
    KUBENTLY_API_URL: server.url,
    KUBENTLY_CLUSTER_ID: "graceful",
    KUBENTLY_TOKEN: token,
    KUBENTLY_CACHE_DIR: join(dir, "cache"),
  });
  await executor.waitForLine(/"msg":"connected"/);
  const pending = server.client(
    "/debug/execute",
    json({ cluster_id: "graceful", command_type: "get", args: ["pod", HEALTHY_POD, "-n", SHOP_NAMESPACE] }),
  );
  await hold.reached;
  executor.proc.kill("SIGTERM");
  await executor.waitForLine(/"msg":"executor stopping: taking no new commands","running":1/);
  hold.release();

  const response = await pending;
  expect(response.status).toBe(200);
  expect(((await response.json()) as CommandResult).stdout).toContain(HEALTHY_POD);
  expect(await executor.proc.exited).toBe(0);
  expect(executor.stdout()).toMatch(/"msg":"executor stopped","finished_while_stopping":1,"drained":true/);
});
