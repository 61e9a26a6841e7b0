/** kubectl through Kubently versus the same kubectl invocation run directly, against the stand-in. */
import { join } from "node:path";
import { startKubeStandin } from "../../test/k8s/standin";
import { API_KEY, registerCluster, startExecutor, startServer } from "../lib/processes";
import { round, spread } from "../lib/stats";

export interface KubectlFigures {
  overhead_ms: number;
  direct_ms: number;
  through_ms: number;
}

export async function kubectlOverhead(runs: number, dir: string): Promise<KubectlFigures> {
  const standin = await startKubeStandin();
  const server = await startServer("memory://");
  const token = await registerCluster(server.url, "kubectl");
  const executor = await startExecutor(server.url, "kubectl", token, {
    runner: "kubectl",
    kubeconfig: standin.kubeconfigPath,
    logFile: join(dir, "kubectl-executor.log"),
  });
  const argv = ["get", "pods", "-n", "shop"];
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    KUBECONFIG: standin.kubeconfigPath,
    KUBECACHEDIR: join(dir, "kcache"),
  };
  const direct: number[] = [];
  const through: number[] = [];
  // Alternate the two so that drift on the machine hits both alike; the first rounds warm caches.
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    await Bun.spawn(["kubectl", ...argv], { env, stdout: "ignore", stderr: "ignore" }).exited;
    const t1 = performance.now();
    const response = await fetch(`${server.url}/debug/execute`, {
      method: "POST",
      headers: { "x-api-key": API_KEY, "content-type": "application/json" },
      body: JSON.stringify({ cluster_id: "kubectl", command_type: "get", args: argv.slice(1) }),
    });
    await response.arrayBuffer();
    const t2 = performance.now();
    if (i >= 3) {
      direct.push(t1 - t0);
      through.push(t2 - t1);
    }
  }
  await executor.stop();
  await server.stop();
  await standin.stop();
  const d = spread(direct).median;
  const t = spread(through).median;
  return { overhead_ms: round(t - d), direct_ms: round(d), through_ms: round(t) };
}
