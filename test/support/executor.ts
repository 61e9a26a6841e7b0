/** The real executor for tests, in this process or as its own process, with kubectl pointed at a stand-in. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveExecutorConfig } from "../../executor/config";
import { type RunningExecutor, startExecutor } from "../../executor/executor";
import { silentLog } from "../../executor/log";
import type { TransportName } from "../../executor/transports/types";

export interface ExecutorSetup {
  apiUrl: string;
  clusterId: string;
  token: string;
  kubeconfig: string;
  cacheDir: string;
  transport?: TransportName;
}

export function executorEnv(setup: ExecutorSetup): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KUBECONFIG: setup.kubeconfig,
    KUBENTLY_API_URL: setup.apiUrl,
    KUBENTLY_CLUSTER_ID: setup.clusterId,
    KUBENTLY_TOKEN: setup.token,
    KUBENTLY_TRANSPORT: setup.transport ?? "sse",
    KUBENTLY_CACHE_DIR: setup.cacheDir,
  };
}

/** Starts the executor in this process and resolves once it is connected. */
export async function startInProcessExecutor(
  setup: ExecutorSetup | Record<string, string | undefined>,
): Promise<RunningExecutor> {
  const env = "apiUrl" in setup ? executorEnv(setup as ExecutorSetup) : setup;
  const executor = await startExecutor(resolveExecutorConfig({}, env), { log: silentLog, env });
  await executor.connected();
  return executor;
}

/**
 * A real executor in this process for a cluster it registers on `server` now, reading `kubeconfig`,
 * under a policy file written from `policy` when one is given; resolves once it is connected.
 */
export async function connectExecutor(
  server: { url: string; registerCluster(clusterId: string): Promise<string> },
  clusterId: string,
  kubeconfig: string,
  dir: string,
  policy?: string,
): Promise<RunningExecutor> {
  const env = executorEnv({
    apiUrl: server.url,
    clusterId,
    token: await server.registerCluster(clusterId),
    kubeconfig,
    cacheDir: join(dir, `cache-${clusterId}-${crypto.randomUUID()}`),
    transport: "ws",
  });
  if (policy !== undefined) {
    const path = join(dir, `policy-${clusterId}-${crypto.randomUUID()}.yaml`);
    writeFileSync(path, policy);
    env.KUBENTLY_POLICY = path;
  }
  return startInProcessExecutor(env);
}
