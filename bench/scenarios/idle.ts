/**
 * Idle resident memory of the compiled binaries, as an operator would run them: the executor with
 * its cluster gate up, reaching the Kubernetes API stand-in.
 */
import { join } from "node:path";
import { startKubeStandin } from "../../test/k8s/standin";
import { registerCluster, rssMb, startExecutor, startServer } from "../lib/processes";
import { round } from "../lib/stats";

export async function idleRss(
  dir: string,
): Promise<{ server_idle_rss_mb: number; executor_idle_rss_mb: number }> {
  const bin = join(dir, "bin");
  const build = Bun.spawn([process.execPath, "run", "build.ts", bin], {
    stdout: "ignore",
    stderr: "inherit",
  });
  if ((await build.exited) !== 0) throw new Error("build failed");
  const standin = await startKubeStandin();
  const server = await startServer("memory://", [join(bin, "kubently")]);
  const token = await registerCluster(server.url, "idle");
  const executor = await startExecutor(server.url, "idle", token, {
    runner: "kubectl",
    kubeconfig: standin.kubeconfigPath,
    logFile: join(dir, "idle-executor.log"),
    command: [join(bin, "kubently-executor")],
  });
  // Let start-up garbage settle: idle means after the first keepalive-free second.
  await Bun.sleep(1_000);
  const figures = {
    server_idle_rss_mb: round(await rssMb(server.process.proc.pid), 1),
    executor_idle_rss_mb: round(await rssMb(executor.pid), 1),
  };
  await executor.stop();
  await server.stop();
  await standin.stop();
  return figures;
}
