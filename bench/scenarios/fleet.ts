/**
 * One command across a fleet: `get pods` through POST /debug/execute/fleet on 100 simulated clusters
 * (the protocol's own executors answering with their argv, so the figure is Kubently's fan-out), and
 * on 10 real executors running a real kubectl process each (native reads off) against the stand-in;
 * each beside the same command on one cluster of that kind. Wall time p50, and its ratio to one cluster's.
 * `bun run bench/scenarios/fleet.ts` runs it alone and prints the JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKubeStandin } from "../../test/k8s/standin";
import { API_KEY, type BenchExecutor, registerCluster, startExecutor, startServer } from "../lib/processes";
import { startSimExecutors } from "../lib/sim";
import { round, spread } from "../lib/stats";

export interface FleetFigures {
  simulated_clusters: number;
  simulated_fleet_p50_ms: number;
  simulated_one_p50_ms: number;
  simulated_ratio: number;
  kubectl_clusters: number;
  kubectl_fleet_p50_ms: number;
  kubectl_one_p50_ms: number;
  kubectl_ratio: number;
}

const SIMULATED = 100;
const REAL = 10;

export async function fleetFanOut(runs: number, dir: string): Promise<FleetFigures> {
  const server = await startServer("memory://");
  const headers = { "x-api-key": API_KEY, "content-type": "application/json" };
  const post = async (path: string, body: Record<string, unknown>, expected: number) => {
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers,
      body: JSON.stringify({ command_type: "get", args: ["pods", "-n", "shop"], ...body }),
    });
    const answer = (await response.json()) as { summary?: { success: number } };
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    if (answer.summary && answer.summary.success !== expected)
      throw new Error(`${answer.summary.success} of ${expected} clusters succeeded`);
  };
  const timed = async (work: () => Promise<void>) => {
    const samples: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      await work();
      if (i >= 2) samples.push(performance.now() - t0);
    }
    return spread(samples).median;
  };

  const simIds = Array.from({ length: SIMULATED }, (_, i) => `sim-${String(i).padStart(3, "0")}`);
  const sims = await startSimExecutors(server.url, simIds, dir);
  const standin = await startKubeStandin();
  const real: BenchExecutor[] = [];
  try {
    const simFleet = await timed(() =>
      post("/debug/execute/fleet", { selector: { name: "sim-*" } }, SIMULATED),
    );
    const simOne = await timed(() => post("/debug/execute", { cluster_id: "sim-000" }, 1));
    const kubectlOnly = join(dir, "kubectl-only.yaml");
    writeFileSync(kubectlOnly, "nativeReads: false\n");
    for (let i = 0; i < REAL; i++) {
      const id = `real-${i}`;
      real.push(
        await startExecutor(server.url, id, await registerCluster(server.url, id), {
          runner: "kubectl",
          kubeconfig: standin.kubeconfigPath,
          policyFile: kubectlOnly,
          logFile: join(dir, `${id}.log`),
        }),
      );
    }
    const realFleet = await timed(() => post("/debug/execute/fleet", { selector: { name: "real-*" } }, REAL));
    const realOne = await timed(() => post("/debug/execute", { cluster_id: "real-0" }, 1));
    return {
      simulated_clusters: SIMULATED,
      simulated_fleet_p50_ms: round(simFleet),
      simulated_one_p50_ms: round(simOne),
      simulated_ratio: round(simFleet / simOne, 1),
      kubectl_clusters: REAL,
      kubectl_fleet_p50_ms: round(realFleet),
      kubectl_one_p50_ms: round(realOne),
      kubectl_ratio: round(realFleet / realOne, 1),
    };
  } finally {
    await Promise.all(real.map((executor) => executor.stop()));
    await sims.stop();
    await standin.stop();
    await server.stop();
  }
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-fleet-"));
  try {
    console.log(JSON.stringify(await fleetFanOut(20, dir), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
