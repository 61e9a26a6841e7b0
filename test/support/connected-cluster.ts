/**
 * A whole Kubently on loopback for client-side tests (CLI, MCP): the test server, the Kubernetes
 * API stand-in, and a real executor in this process connected for one registered cluster.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningExecutor } from "../../executor/executor";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { startInProcessExecutor } from "./executor";
import { startTestServer, type TestServer, type TestServerOptions } from "./server";

export interface ConnectedCluster {
  server: TestServer;
  standin: KubeStandin;
  stop(): Promise<void>;
}

export async function startConnectedCluster(
  clusterId: string,
  serverOptions: TestServerOptions = {},
): Promise<ConnectedCluster> {
  const dir = mkdtempSync(join(tmpdir(), `kubently-${clusterId}-`));
  const [standin, server] = await Promise.all([startKubeStandin(), startTestServer(serverOptions)]);
  const executor: RunningExecutor = await startInProcessExecutor({
    apiUrl: server.url,
    clusterId,
    token: await server.registerCluster(clusterId),
    kubeconfig: standin.kubeconfigPath,
    cacheDir: join(dir, "cache"),
  });
  return {
    server,
    standin,
    async stop() {
      await executor.stop();
      await Promise.all([server.stop(), standin.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
