/**
 * Fair shares of an executor's kubectl slots: one principal runs four following commands
 * (`get pods -w`, each holding a kubectl process until its timeout), and then another principal
 * runs `kubectl version -o json`. Measures how long the second principal's command takes, end to
 * end through POST /debug/execute, with the executor's default maxConcurrency of 4. The executor
 * runs with `nativeReads: false`: native reads answer both commands without a process slot, and
 * the slots are what this measures. `bun run bench/scenarios/fair-shares.ts` runs it alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKubeStandin } from "../../test/k8s/standin";
import { registerCluster, startExecutor, startServer } from "../lib/processes";
import { round } from "../lib/stats";

const FOLLOWER_KEY = "bench-follower-key-0123456789abcdef";
const OTHER_KEY = "bench-other-key-0123456789abcdef";
const FOLLOW_SECONDS = 10;

export interface FairShareFigures {
  /** Each round's time for the other principal's `version -o json`, in ms. */
  other_version_ms: number[];
  follow_timeout_s: number;
}

async function execute(url: string, key: string, args: string[], timeoutSeconds: number) {
  const response = await fetch(`${url}/debug/execute`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: JSON.stringify({
      cluster_id: "fair",
      command_type: args[0],
      args: args.slice(1),
      timeout_seconds: timeoutSeconds,
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { exit_code?: number; stdout?: string },
  };
}

export async function fairShares(rounds: number, dir: string): Promise<FairShareFigures> {
  const keysFile = join(dir, "keys.yaml");
  writeFileSync(
    keysFile,
    `principals:\n  follower:\n    keys: ["${FOLLOWER_KEY}"]\n  other:\n    keys: ["${OTHER_KEY}"]\n`,
  );
  const standin = await startKubeStandin();
  const server = await startServer("memory://", undefined, { KUBENTLY_KEYS_FILE: keysFile });
  const kubectlOnly = join(dir, "kubectl-only.yaml");
  writeFileSync(kubectlOnly, "nativeReads: false\n");
  const executor = await startExecutor(server.url, "fair", await registerCluster(server.url, "fair"), {
    runner: "kubectl",
    kubeconfig: standin.kubeconfigPath,
    policyFile: kubectlOnly,
    logFile: join(dir, "executor.log"),
  });
  const samples: number[] = [];
  try {
    // Warm kubectl's discovery cache, so no round pays for it.
    await execute(server.url, OTHER_KEY, ["version", "-o", "json"], 30);
    for (let i = 0; i < rounds; i++) {
      const follows = Array.from({ length: 4 }, () =>
        execute(server.url, FOLLOWER_KEY, ["get", "pods", "-n", "shop", "-w"], FOLLOW_SECONDS),
      );
      // Let the four start their kubectl processes (a bench may wait; a test may not).
      await Bun.sleep(1_500);
      const t0 = performance.now();
      const version = await execute(server.url, OTHER_KEY, ["version", "-o", "json"], 30);
      samples.push(round(performance.now() - t0));
      if (version.status !== 200 || version.body.exit_code !== 0)
        throw new Error(`version failed: ${version.status} ${JSON.stringify(version.body)}`);
      await Promise.all(follows);
    }
  } finally {
    await executor.stop();
    await server.stop();
    await standin.stop();
  }
  return { other_version_ms: samples, follow_timeout_s: FOLLOW_SECONDS };
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-fair-"));
  try {
    console.log(JSON.stringify(await fairShares(Number(process.argv[2] ?? 2), dir), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
