/**
 * `bun run bench [--quick]`: Kubently's figures beside the architecture guide's, per store, on this
 * machine. Real server and executor processes on loopback; the executor uses the echo runner so the
 * figures are Kubently's own, and kubectl's cost is measured separately as overhead over bare kubectl.
 * Each figure is min / median / p99 over rounds; /health's rate in the same run is the ceiling that
 * every throughput is also given as a fraction of. Writes bench/results/latest.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { startKubeStandin } from "../test/k8s/standin";
import { startRedisServer } from "../test/support/redis-server";
import { closedLoop } from "./lib/load";
import { API_KEY, registerCluster, startExecutor, startServer } from "./lib/processes";
import { quantile, round, type Spread, spread } from "./lib/stats";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 3 : 5;
const ROUND_MS = quick ? 2_500 : 6_000;
const CLIENTS = 64;
const dir = mkdtempSync(join(tmpdir(), "kubently-bench-"));

const headers = { "x-api-key": API_KEY, "content-type": "application/json" };
const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers, body: JSON.stringify(body) });

interface StoreFigures {
  round_trip_p50_ms: number;
  round_trip_p99_ms: number;
  commands_per_s: number;
  sessions_per_s: number;
  health_req_per_s: number;
  spreads: Record<string, Spread>;
}

async function benchStore(name: string, storeUrl: string): Promise<StoreFigures> {
  const server = await startServer(storeUrl);
  const token = await registerCluster(server.url, "bench");
  const executor = await startExecutor(server.url, "bench", token, {
    runner: "echo",
    logFile: join(dir, `${name}-executor.log`),
  });
  const execute = async () => {
    const response = await post(`${server.url}/debug/execute`, {
      cluster_id: "bench",
      command_type: "get",
      args: ["pods"],
    });
    await response.arrayBuffer();
    return response.status === 200;
  };
  // Warm up JIT, connections and the store before anything is measured.
  await closedLoop(CLIENTS, 1_000, execute);

  const rounds = {
    health: [] as number[],
    p50: [] as number[],
    p99: [] as number[],
    commands: [] as number[],
    sessions: [] as number[],
  };
  for (let r = 0; r < ROUNDS; r++) {
    const health = await closedLoop(CLIENTS, ROUND_MS, async () => {
      const response = await fetch(`${server.url}/health`);
      await response.arrayBuffer();
      return response.status === 200;
    });
    const single = await closedLoop(1, ROUND_MS, execute);
    const sorted = [...single.latenciesMs].sort((a, b) => a - b);
    const many = await closedLoop(CLIENTS, ROUND_MS, execute);
    const sessions = await closedLoop(CLIENTS, ROUND_MS, async () => {
      const response = await post(`${server.url}/debug/session`, { cluster_id: "bench" });
      await response.arrayBuffer();
      return response.status === 201;
    });
    for (const run of [health, single, many, sessions]) {
      if (run.errors > 0) throw new Error(`${name}: ${run.errors} failed requests in round ${r}`);
    }
    rounds.health.push(health.perSecond);
    rounds.p50.push(quantile(sorted, 0.5));
    rounds.p99.push(quantile(sorted, 0.99));
    rounds.commands.push(many.perSecond);
    rounds.sessions.push(sessions.perSecond);
    console.error(
      `${name} round ${r + 1}/${ROUNDS}: health ${Math.round(health.perSecond)}/s, round trip p50 ${round(quantile(sorted, 0.5))} ms, ` +
        `${Math.round(many.perSecond)} commands/s, ${Math.round(sessions.perSecond)} sessions/s`,
    );
  }
  await executor.stop();
  await server.stop();
  const spreads = {
    health_req_per_s: spread(rounds.health),
    round_trip_p50_ms: spread(rounds.p50),
    round_trip_p99_ms: spread(rounds.p99),
    commands_per_s: spread(rounds.commands),
    sessions_per_s: spread(rounds.sessions),
  };
  return {
    round_trip_p50_ms: round(spreads.round_trip_p50_ms.median, 3),
    round_trip_p99_ms: round(spreads.round_trip_p99_ms.median, 3),
    commands_per_s: Math.round(spreads.commands_per_s.median),
    sessions_per_s: Math.round(spreads.sessions_per_s.median),
    health_req_per_s: Math.round(spreads.health_req_per_s.median),
    spreads,
  };
}

/** Median time of the same kubectl call through Kubently and run directly, against the stand-in. */
async function kubectlOverhead(): Promise<{ overhead_ms: number; direct_ms: number; through_ms: number }> {
  const standin = await startKubeStandin();
  const server = await startServer("memory://");
  const token = await registerCluster(server.url, "kubectl");
  const executor = await startExecutor(server.url, "kubectl", token, {
    runner: "kubectl",
    kubeconfig: standin.kubeconfigPath,
    logFile: join(dir, "kubectl-executor.log"),
  });
  const argv = ["get", "pods", "-n", "shop"];
  const runs = quick ? 15 : 40;
  const direct: number[] = [];
  const through: number[] = [];
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    KUBECONFIG: standin.kubeconfigPath,
    KUBECACHEDIR: join(dir, "kcache"),
  };
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    const proc = Bun.spawn(["kubectl", ...argv], { env, stdout: "ignore", stderr: "ignore" });
    await proc.exited;
    const t1 = performance.now();
    const response = await post(`${server.url}/debug/execute`, {
      cluster_id: "kubectl",
      command_type: "get",
      args: argv.slice(1),
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

const redis = await startRedisServer();
try {
  const embedded = await benchStore("embedded", `sqlite://${join(dir, "bench.db")}`);
  const onRedis = await benchStore("redis", redis.url);
  const kubectl = await kubectlOverhead();
  const summary = {
    date: new Date().toISOString(),
    quick,
    machine: { cores: cpus().length, model: cpus()[0]?.model ?? "unknown" },
    embedded,
    redis: onRedis,
    kubectl_overhead_ms: kubectl.overhead_ms,
    kubectl_direct_ms: kubectl.direct_ms,
    kubectl_through_kubently_ms: kubectl.through_ms,
  };
  writeFileSync(join(import.meta.dir, "results", "latest.json"), `${JSON.stringify(summary, null, 2)}\n`);
  printTable(summary.embedded, summary.redis, kubectl);
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}

function printTable(
  e: StoreFigures,
  r: StoreFigures,
  kubectl: { overhead_ms: number; direct_ms: number; through_ms: number },
) {
  const ratio = (value: number, ceiling: number) => `${Math.round((100 * value) / ceiling)}% of /health`;
  const rows: [string, string, string, string][] = [
    ["figure", "seed target", "embedded (SQLite)", "redis"],
    [
      "round trip, 1 client, p50",
      "< 300 ms (execution)",
      `${e.round_trip_p50_ms} ms`,
      `${r.round_trip_p50_ms} ms`,
    ],
    ["round trip, 1 client, p99", "", `${e.round_trip_p99_ms} ms`, `${r.round_trip_p99_ms} ms`],
    [
      "commands/s, 1 cluster, 64 clients",
      "100/s per cluster",
      `${e.commands_per_s} (${ratio(e.commands_per_s, e.health_req_per_s)})`,
      `${r.commands_per_s} (${ratio(r.commands_per_s, r.health_req_per_s)})`,
    ],
    [
      "sessions/s, 64 clients",
      "1000/s",
      `${e.sessions_per_s} (${ratio(e.sessions_per_s, e.health_req_per_s)})`,
      `${r.sessions_per_s} (${ratio(r.sessions_per_s, r.health_req_per_s)})`,
    ],
    ["/health req/s (same run)", "", `${e.health_req_per_s}`, `${r.health_req_per_s}`],
    [
      "kubectl overhead over bare kubectl",
      "",
      `${kubectl.overhead_ms} ms (${kubectl.through_ms} vs ${kubectl.direct_ms} ms)`,
      "",
    ],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  "));
}
