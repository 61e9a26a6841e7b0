/**
 * Many executors on one API process (simulated at the wire, speaking the real SSE protocol from a few
 * processes, lib/wire.ts): the server's RSS with all of them connected and what each stream costs,
 * the time to connect them, to deliver one command to each and get every answer back, and on Redis
 * the connections the server holds before and after. Each stream is a descriptor: the server is given
 * a limit that fits them (prlimit, as an operator gives it LimitNOFILE; the product sets none). Where
 * the bench may not raise it (no CAP_SYS_RESOURCE), every cluster is still registered but only as many
 * streams connect as fit under the inherited hard limit, and the RSS at the asked-for count is
 * projected from what each measured stream added.
 */
import Redis from "ioredis";
import { hardNofile, withNofile } from "../lib/fd-limit";
import { closedLoop } from "../lib/load";
import { API_KEY, peakRssMb, registerClusters, rssMb, startServer } from "../lib/processes";
import { round } from "../lib/stats";
import { SERVER_FD_MARGIN, startWireFleet } from "../lib/wire";

export interface ScaleFigures {
  executors_requested: number;
  executors_connected: number;
  /** The server's descriptor limit: the requested count's, or the inherited hard limit it could not exceed. */
  server_fd_limit: number;
  server_rss_idle_mb: number;
  /** After registering the clusters, before any stream: what the streams add is measured from here. */
  server_rss_registered_mb: number;
  server_rss_connected_mb: number;
  server_rss_peak_mb: number;
  rss_per_stream_kb: number;
  /** RSS connected, plus what the streams that did not fit would have added at rss_per_stream_kb. */
  server_rss_projected_mb: number;
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

export async function scale(
  requested: number,
  store: string,
  dir: string,
  /** More of the server's environment: an operator's GC settings (BUN_JSC_forceRAMSize) to compare. */
  serverEnv: Record<string, string> = {},
): Promise<ScaleFigures> {
  const wanted = requested + SERVER_FD_MARGIN;
  const raised = withNofile([process.execPath, "src/index.ts"], wanted);
  const fdLimit = raised ? wanted : hardNofile();
  const executors = Math.min(requested, fdLimit - SERVER_FD_MARGIN);
  const server = await startServer(store, raised ?? [process.execPath, "src/index.ts"], serverEnv);
  const pid = server.process.proc.pid;
  const onRedis = store.startsWith("redis");
  try {
    const idle = await rssMb(pid);
    const redisBefore = onRedis ? await redisClients(store) : undefined;
    const clusterIds = Array.from({ length: requested }, (_, i) => `scale-${i}`);
    const clusters = (await registerClusters(server.url, clusterIds)).slice(0, executors);
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
        const cluster = clusters[next++]?.cluster_id;
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
    // A caller's answer may come back before the simulator has read the server's answer to its post.
    const delivered = await fleet.until((r) => r.answered === executors, 10_000);
    const peak = await peakRssMb(pid);
    const redisAfter = onRedis ? await redisClients(store) : undefined;
    await fleet.stop();
    if (run.errors > 0 || delivered.answered !== executors || delivered.connected !== executors) {
      throw new Error(`scale: ${run.errors} errors, ${JSON.stringify(delivered)} of ${executors}`);
    }
    const perStreamMb = (connected - registered) / executors;
    return {
      executors_requested: requested,
      executors_connected: executors,
      server_fd_limit: fdLimit,
      server_rss_idle_mb: round(idle, 1),
      server_rss_registered_mb: round(registered, 1),
      server_rss_connected_mb: round(connected, 1),
      server_rss_peak_mb: round(peak, 1),
      rss_per_stream_kb: round(perStreamMb * 1024, 1),
      server_rss_projected_mb: round(connected + (requested - executors) * perStreamMb, 1),
      connect_all_s: round(connectS, 2),
      deliver_one_to_each_s: round(run.seconds, 2),
      commands_per_s: Math.round(executors / run.seconds),
      ...(onRedis ? { redis_connections_before: redisBefore, redis_connections_after: redisAfter } : {}),
    };
  } finally {
    await server.stop();
  }
}
