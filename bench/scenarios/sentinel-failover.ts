/**
 * Redis with Sentinel: what a failover costs, and what `wait_replicas=1` costs when nothing fails.
 * `bun run bench/scenarios/sentinel-failover.ts` runs it alone (writes bench/results/sentinel-failover.json).
 *
 * Failover (test/support/sentinel-failover.ts): the primary SIGKILLed under 8 callers through two
 * replicas, sentinels with down-after-milliseconds 1000; times from the kill, per setting:
 * - async: Redis' defaults (no min-replicas-to-write), no wait_replicas, one replica;
 * - durable, one replica: min-replicas-to-write 1 and wait_replicas=1, so writes wait until the
 *   killed server is back as a replica (the run restarts it at once);
 * - durable, two replicas: the same settings, with a second replica left after the failover.
 * Steady state: commands/s and round trip, 16 callers, one replica and one executor, without and
 * with wait_replicas=1 (a WAIT per group of writes).
 *
 * Figures on the 2-core development machine, shared (two runs, 2026-12-06; README "what survives
 * what" has them as a table), from the kill: promoted; refused (503) from → to; first answer to a
 * command sent after the kill; answered commands lost.
 *   async:                promoted 2.2–2.3 s; 503s 2.2–2.3 → 2.8–2.9 s; answer 3.0–3.1 s; lost 0
 *   durable, 1 replica:   promoted 2.3 s; 503s 2.3 → 16.6–17.8 s (replica back 17.7–17.9 s);
 *                         answer 17.9–18.6 s; lost 0
 *   durable, 2 replicas:  promoted 2.2–2.4 s; 503s 2.2–2.4 → 2.8–3.0 s; answer 4.1–4.6 s; lost 0
 *   steady, no wait → wait_replicas=1: 2,121 → 2,559 and 1,502 → 1,411 commands/s;
 *                         round trip p50 5.8 → 4.9 and 5.7 → 6.5 ms (noise larger than the cost)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SentinelSettings, startSentinelTopology } from "../../test/support/redis-sentinel";
import { type FailoverOutcome, runFailover } from "../../test/support/sentinel-failover";
import { closedLoop } from "../lib/load";
import { API_KEY, registerCluster, startExecutor, startServer } from "../lib/processes";
import { quantile, round } from "../lib/stats";

export interface SteadyFigures {
  commands_per_s: number;
  round_trip_p50_ms: number;
  round_trip_p99_ms: number;
}

export interface SentinelFigures {
  failover: Record<string, FailoverOutcome>;
  steady: { no_wait: SteadyFigures; wait_replicas_1: SteadyFigures };
}

const LOAD = { callers: 8, before: 200, after: 200, maxRequests: 20_000, maxMs: 90_000 };

const SETTINGS: Record<string, { settings: SentinelSettings; waitReplicas: number }> = {
  async: { settings: { replicas: 1, minReplicasToWrite: 0, minReplicasMaxLag: 10 }, waitReplicas: 0 },
  durable_one_replica: {
    settings: { replicas: 1, minReplicasToWrite: 1, minReplicasMaxLag: 10 },
    waitReplicas: 1,
  },
  durable_two_replicas: {
    settings: { replicas: 2, minReplicasToWrite: 1, minReplicasMaxLag: 10 },
    waitReplicas: 1,
  },
};

async function steady(storeUrl: string, dir: string, name: string, ms: number): Promise<SteadyFigures> {
  const server = await startServer(storeUrl);
  try {
    const token = await registerCluster(server.url, "steady");
    const executor = await startExecutor(server.url, "steady", token, {
      runner: "echo",
      logFile: join(dir, `${name}-executor.log`),
    });
    try {
      const execute = async () => {
        const response = await fetch(`${server.url}/debug/execute`, {
          method: "POST",
          headers: { "x-api-key": API_KEY, "content-type": "application/json" },
          body: JSON.stringify({ cluster_id: "steady", command_type: "get", args: ["pods"] }),
        });
        await response.arrayBuffer();
        return response.status === 200;
      };
      await closedLoop(16, 1_000, execute);
      const run = await closedLoop(16, ms, execute);
      if (run.errors > 0) throw new Error(`${run.errors} of ${run.requests} commands failed`);
      const sorted = [...run.latenciesMs].sort((a, b) => a - b);
      return {
        commands_per_s: round(run.perSecond, 0),
        round_trip_p50_ms: round(quantile(sorted, 0.5), 2),
        round_trip_p99_ms: round(quantile(sorted, 0.99), 2),
      };
    } finally {
      await executor.stop();
    }
  } finally {
    await server.stop();
  }
}

export async function sentinelFailover(steadyMs: number, dir: string): Promise<SentinelFigures> {
  const failover: Record<string, FailoverOutcome> = {};
  for (const [name, { settings, waitReplicas }] of Object.entries(SETTINGS)) {
    failover[name] = await runFailover({ settings, waitReplicas, ...LOAD });
  }
  const topology = await startSentinelTopology({ replicas: 1, minReplicasToWrite: 0, minReplicasMaxLag: 10 });
  try {
    return {
      failover,
      steady: {
        no_wait: await steady(topology.url, dir, "no-wait", steadyMs),
        wait_replicas_1: await steady(`${topology.url}?wait_replicas=1`, dir, "wait-1", steadyMs),
      },
    };
  } finally {
    await topology.stop();
  }
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-sentinel-"));
  try {
    const figures = await sentinelFailover(10_000, dir);
    const text = JSON.stringify(figures, null, 2);
    writeFileSync(join(import.meta.dir, "..", "results", "sentinel-failover.json"), `${text}\n`);
    console.log(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
