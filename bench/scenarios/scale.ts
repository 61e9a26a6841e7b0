/**
 * Many executors on one API process (simulated, speaking the real SSE protocol from one process):
 * the server's RSS with all of them connected, the time to deliver one command to each and get
 * every answer back, and the Redis connections the server holds before and after.
 */
import Redis from "ioredis";
import { closedLoop } from "../lib/load";
import { API_KEY, rssMb, startServer } from "../lib/processes";
import { startSimExecutors } from "../lib/sim";
import { round } from "../lib/stats";

export interface ScaleFigures {
  executors_connected: number;
  executors_rss_mb: number;
  server_rss_before_mb: number;
  deliver_one_to_each_s: number;
  redis_connections_before: number;
  redis_connections_after: number;
}

async function redisClients(redisUrl: string): Promise<number> {
  const admin = new Redis(redisUrl);
  const list = (await admin.client("LIST")) as string;
  await admin.quit();
  // Not counting this very connection.
  return list.trim().split("\n").length - 1;
}

export async function scale(executors: number, redisUrl: string, dir: string): Promise<ScaleFigures> {
  const server = await startServer(redisUrl);
  const before = await rssMb(server.process.proc.pid);
  const redisBefore = await redisClients(redisUrl);
  const clusterIds = Array.from({ length: executors }, (_, i) => `scale-${i}`);
  const fleet = await startSimExecutors(server.url, clusterIds, dir);
  const connectedRss = await rssMb(server.process.proc.pid);
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
  const redisAfter = await redisClients(redisUrl);
  await fleet.stop();
  await server.stop();
  if (run.errors > 0 || delivered.received !== executors) {
    throw new Error(`scale: ${run.errors} errors, ${delivered.received} of ${executors} delivered`);
  }
  return {
    executors_connected: executors,
    executors_rss_mb: round(connectedRss, 1),
    server_rss_before_mb: round(before, 1),
    deliver_one_to_each_s: round(run.seconds, 2),
    redis_connections_before: redisBefore,
    redis_connections_after: redisAfter,
  };
}
