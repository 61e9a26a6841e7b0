/**
 * Per-store figures: the /health ceiling, command round trip at 1 client, commands/s for one
 * cluster at 64 clients and for 100 clusters, sessions/s, and SSE delivery latency (enqueue →
 * executor receipt). Real server and executor processes; the executor answers with the echo runner.
 */
import { join } from "node:path";
import { closedLoop } from "../lib/load";
import { API_KEY, registerCluster, startExecutor, startServer } from "../lib/processes";
import { startSimExecutors } from "../lib/sim";
import { quantile, round, type Spread, spread } from "../lib/stats";

export interface StoreFigures {
  round_trip_p50_ms: number;
  round_trip_p99_ms: number;
  commands_per_s: number;
  commands_per_s_100_clusters: number;
  sessions_per_s: number;
  delivery_p50_ms: number;
  health_req_per_s: number;
  spreads: Record<string, Spread>;
}

export interface RunShape {
  rounds: number;
  roundMs: number;
  clients: number;
  dir: string;
}

const headers = { "x-api-key": API_KEY, "content-type": "application/json" };
const post = async (url: string, body: unknown, expected: number) => {
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status === expected;
};

export async function benchStore(name: string, storeUrl: string, shape: RunShape): Promise<StoreFigures> {
  const { rounds, roundMs, clients, dir } = shape;
  const server = await startServer(storeUrl);
  const token = await registerCluster(server.url, "bench");
  const executor = await startExecutor(server.url, "bench", token, {
    runner: "echo",
    logFile: join(dir, `${name}-executor.log`),
  });
  const clusterIds = Array.from({ length: 100 }, (_, i) => `fleet-${i}`);
  const fleet = await startSimExecutors(server.url, clusterIds, dir);
  const execute = (cluster: string) => () =>
    post(`${server.url}/debug/execute`, { cluster_id: cluster, command_type: "get", args: ["pods"] }, 200);
  // Warm up JIT, connections and the store before anything is measured.
  await closedLoop(clients, 1_000, execute("bench"));

  const samples: Record<string, number[]> = {
    health_req_per_s: [],
    round_trip_p50_ms: [],
    round_trip_p99_ms: [],
    commands_per_s: [],
    commands_per_s_100_clusters: [],
    sessions_per_s: [],
    delivery_p50_ms: [],
  };
  const record = (key: string, value: number) => samples[key]?.push(value);
  for (let r = 0; r < rounds; r++) {
    const health = await closedLoop(clients, roundMs, async () => {
      const response = await fetch(`${server.url}/health`);
      await response.arrayBuffer();
      return response.status === 200;
    });
    const single = await closedLoop(1, roundMs, execute("bench"));
    const sorted = [...single.latenciesMs].sort((a, b) => a - b);
    const oneCluster = await closedLoop(clients, roundMs, execute("bench"));
    await fleet.report();
    const fleetRun = await closedLoop(clients, roundMs, (worker, i) =>
      execute(clusterIds[(worker + i) % 100] as string)(),
    );
    const delivered = await fleet.report();
    const sessions = await closedLoop(clients, roundMs, () =>
      post(`${server.url}/debug/session`, { cluster_id: "bench" }, 201),
    );
    for (const run of [health, single, oneCluster, fleetRun, sessions]) {
      if (run.errors > 0) throw new Error(`${name}: ${run.errors} failed requests in round ${r + 1}`);
    }
    record("health_req_per_s", health.perSecond);
    record("round_trip_p50_ms", quantile(sorted, 0.5));
    record("round_trip_p99_ms", quantile(sorted, 0.99));
    record("commands_per_s", oneCluster.perSecond);
    record("commands_per_s_100_clusters", fleetRun.perSecond);
    record("sessions_per_s", sessions.perSecond);
    record(
      "delivery_p50_ms",
      quantile(
        [...delivered.delivery_ms].sort((a, b) => a - b),
        0.5,
      ),
    );
    console.error(
      `${name} round ${r + 1}/${rounds}: health ${Math.round(health.perSecond)}/s, round trip p50 ` +
        `${round(quantile(sorted, 0.5))} ms, ${Math.round(oneCluster.perSecond)} commands/s (1 cluster), ` +
        `${Math.round(fleetRun.perSecond)} (100 clusters), ${Math.round(sessions.perSecond)} sessions/s`,
    );
  }
  await fleet.stop();
  await executor.stop();
  await server.stop();

  const spreads = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, spread(values)]));
  const median = (key: string) => spreads[key]?.median ?? Number.NaN;
  return {
    round_trip_p50_ms: round(median("round_trip_p50_ms"), 3),
    round_trip_p99_ms: round(median("round_trip_p99_ms"), 3),
    commands_per_s: Math.round(median("commands_per_s")),
    commands_per_s_100_clusters: Math.round(median("commands_per_s_100_clusters")),
    sessions_per_s: Math.round(median("sessions_per_s")),
    delivery_p50_ms: round(median("delivery_p50_ms"), 3),
    health_req_per_s: Math.round(median("health_req_per_s")),
    spreads,
  };
}
