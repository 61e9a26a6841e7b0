/**
 * A native read's path through the executor alone, in one process: the agent, the cluster gate and
 * native reads answering `get pods -n shop` against the Kubernetes API stand-in, back to back, with
 * no server, no network hop to it and no log output. What it reports is CPU and wall time per
 * command (the stand-in's share included, the same for any version of the executor), the figure to
 * compare across changes to the executor's per-command path: run old and new alternately, the
 * machine's other work moves it. `bun run bench/scenarios/native-path.ts [calls]` prints the JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "../../executor/agent";
import { resolveClusterAccess, startGate } from "../../executor/gate";
import { silentLog } from "../../executor/log";
import { createNativeReads } from "../../executor/native";
import { DEFAULT_POLICY } from "../../executor/policy";
import type { RunOutcome } from "../../executor/runner";
import { startKubeStandin } from "../../test/k8s/standin";
import { recordingSink } from "../../test/support/agent-doubles";
import { makeCommand } from "../../test/support/fixtures";
import { round } from "../lib/stats";

const WARM_CALLS = 1_000;
const MAX_MS = 60_000;

export async function nativePath(calls: number) {
  const standin = await startKubeStandin();
  const runtimeDir = mkdtempSync(join(tmpdir(), "kubently-native-path-"));
  const access = resolveClusterAccess({ KUBECONFIG: standin.kubeconfigPath }, { serviceAccountDir: "/none" });
  const gate = await startGate({ policy: DEFAULT_POLICY, access, version: "b", runtimeDir, log: silentLog });
  const { sink, posted, postedCount } = recordingSink();
  let fellBack = 0;
  const agent = new Agent({
    clusterId: "bench",
    version: "b",
    policy: DEFAULT_POLICY,
    // Every call is answered natively; one that was not would be counted and fail the run.
    runner: async (): Promise<RunOutcome> => {
      fellBack += 1;
      return { exitCode: 1, stdout: "", stderr: "", truncated: false, timedOut: false, durationMs: 0 };
    },
    gate,
    native: createNativeReads({ kubectl: "kubectl", env: { PATH: process.env.PATH ?? "" } }),
    sink,
    log: silentLog,
  });
  const one = async () => {
    agent.accept(makeCommand("bench", { command_type: "get", args: ["pods", "-n", "shop"] }));
    await postedCount(1);
    posted.length = 0;
  };
  const until = performance.now() + MAX_MS;
  for (let i = 0; i < WARM_CALLS && performance.now() < until; i++) await one();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let done = 0;
  while (done < calls && performance.now() < until) {
    await one();
    done += 1;
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await gate.stop();
  await standin.stop();
  rmSync(runtimeDir, { recursive: true, force: true });
  if (fellBack > 0) throw new Error(`${fellBack} calls were not answered natively`);
  return {
    calls: done,
    cpu_us_per_call: round((used.user + used.system) / done, 0),
    wall_us_per_call: round((wallMs * 1000) / done, 0),
  };
}

if (import.meta.main) {
  console.log(JSON.stringify(await nativePath(Number(process.argv[2] ?? 3_000)), null, 2));
  process.exit(0);
}
