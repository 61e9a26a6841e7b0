/**
 * Simulated executors for benchmarks: one process holding many executor connections that speak the
 * real protocol over SSE (test/support/protocol-executor.ts) and answer every command with its argv.
 * Usage: bun bench/sim-executors.ts API_URL CLUSTERS_JSON  (a file of [{cluster_id, token}]).
 * Prints {"ready": n} once all are connected; on a `report` line from stdin prints
 * {"received": n, "delivery_ms": [...]} (enqueue → receipt, per command) and starts afresh.
 */
import { connectSse, type ProtocolExecutor } from "../test/support/protocol-executor";

const [url, clustersFile] = process.argv.slice(2);
if (!url || !clustersFile) throw new Error("usage: sim-executors.ts API_URL CLUSTERS_JSON");
const clusters = (await Bun.file(clustersFile).json()) as { cluster_id: string; token: string }[];

let delivery: number[] = [];
const connections: ProtocolExecutor[] = [];
const CONNECT_BATCH = 500;
for (let i = 0; i < clusters.length; i += CONNECT_BATCH) {
  const batch = clusters.slice(i, i + CONNECT_BATCH);
  connections.push(
    ...(await Promise.all(
      batch.map(({ cluster_id, token }) =>
        connectSse(url, cluster_id, token, (command) => {
          delivery.push(Date.now() - Date.parse(command.created_at));
          return { stdout: `${command.command_type} ${command.args.join(" ")}\n` };
        }),
      ),
    )),
  );
}
console.log(JSON.stringify({ ready: connections.length }));

for await (const line of console) {
  if (line.trim() !== "report") continue;
  console.log(JSON.stringify({ received: delivery.length, delivery_ms: delivery }));
  delivery = [];
}
