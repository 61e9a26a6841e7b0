/** The real executor for tests, in this process or as its own process, with kubectl pointed at a stand-in. */
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
