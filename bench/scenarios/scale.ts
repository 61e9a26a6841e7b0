/**
 * Many executors on one API process (simulated at the wire, speaking the real SSE protocol from a few
 * processes, lib/wire.ts): the server's RSS with all of them connected and what each stream costs,
 * the time to connect them, to deliver one command to each and get every answer back, and on Redis
 * the connections the server holds before and after. The server alone gets a file-descriptor limit
 * that fits the streams (prlimit), as an operator would give it; the product sets none itself.
 */
import Redis from "ioredis";
import { closedLoop } from "../lib/load";
import { API_KEY, registerClusters, rssMb, startServer } from "../lib/processes";
import { round } from "../lib/stats";
import { nofileFor, startWireFleet } from "../lib/wire";

export interface ScaleFigures {
  executors_connected: number;
  server_rss_idle_mb: number;
  /** After registering the clusters, before any stream: what the streams add is measured from here. */
  server_rss_registered_mb: number;
  server_rss_connected_mb: number;
  server_rss_peak_mb: number;
  rss_per_stream_kb: number;
  connect_all_s: number;
  deliver_one_to_each_s: number;
  commands_per_s: number;
  redis_connections_before?: number;
  redis_connections_after?: number;
}

async function redisClients(redisUrl: string): Promise<number> {
  const admin = new Redis(redisUrl);
  const list = (await admin.client("LIST")) as string;
  await admin.quit();
  // Not counting this very connection.
  return list.trim().split("\n").length - 1;
}

/** Peak resident set size so far (VmHWM), in MiB. */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await Bun.file(`/proc/${pid}/status`).text();
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

export async function scale(executors: number, store: string, dir: string): Promise<ScaleFigures> {
  const limit = nofileFor(executors);
  const server = await startServer(store, [
    "prlimit",
    `--nofile=${limit}:${limit}`,
    process.execPath,
    "src/index.ts",
  ]);
  const pid = server.process.proc.pid;
  const onRedis = store.startsWith("redis");
  try {
    const idle = await rssMb(pid);
    const redisBefore = onRedis ? await redisClients(store) : undefined;
    const clusterIds = Array.from({ length: executors }, (_, i) => `scale-${i}`);
    const clusters = await registerClusters(server.url, clusterIds);
    const registered = await rssMb(pid);
    const t0 = performance.now();
    const fleet = await startWireFleet([server.url], clusters, dir, false);
    const connectS = (performance.now() - t0) / 1000;
    const connected = await rssMb(pid);
    let next = 0;
    const run = await closedLoop(
      64,
      600_000,
      async () => {
        const cluster = clusterIds[next++];
        if (!cluster) return true;
        const response = await fetch(`${server.url}/debug/execute`, {
          method: "POST",
          headers: { "x-api-key": API_KEY, "content-type": "application/json" },
          body: JSON.stringify({ cluster_id: cluster, command_type: "get", args: ["pods"] }),
        });
        await response.arrayBuffer();
        return response.status === 200;
      },
      executors,
    );
    const delivered = await fleet.report();
    const peak = await peakRssMb(pid);
    const redisAfter = onRedis ? await redisClients(store) : undefined;
    await fleet.stop();
    if (run.errors > 0 || delivered.answered !== executors || delivered.connected !== executors) {
      throw new Error(`scale: ${run.errors} errors, ${JSON.stringify(delivered)} of ${executors}`);
    }
    return {
      executors_connected: executors,
      server_rss_idle_mb: round(idle, 1),
      server_rss_registered_mb: round(registered, 1),
      server_rss_connected_mb: round(connected, 1),
      server_rss_peak_mb: round(peak, 1),
      rss_per_stream_kb: round(((connected - registered) * 1024) / executors, 1),
      connect_all_s: round(connectS, 2),
      deliver_one_to_each_s: round(run.seconds, 2),
      commands_per_s: Math.round(executors / run.seconds),
      ...(onRedis ? { redis_connections_before: redisBefore, redis_connections_after: redisAfter } : {}),
    };
  } finally {
    await server.stop();
  }
}
