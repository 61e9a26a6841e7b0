/**
 * Light simulated executors for the scale and storm benchmarks: one process holding many executor
 * SSE streams at the wire (lib/sse-wire.ts), from loopback source addresses of its own, each answering
 * every command by posting a result. With `reconnect`, each stream that ends is redialled the way the
 * real executor does it (executor/connection.ts): after the executor's own Backoff (reset on every
 * `connected`), through the API URLs in order, the first that accepts the connection taking it, as a
 * load balancer in front of the replicas would.
 * Usage: bun bench/wire-executors.ts CONFIG_JSON (see WireConfig). Prints {"ready": n} once every
 * stream is connected; on a `report` line from stdin prints a WireReport.
 */
import { Backoff } from "../executor/backoff";
import type { Command } from "../src/models";
import { postResult } from "../test/support/protocol-executor";
import { openWireStream } from "./lib/sse-wire";

export interface WireConfig {
  urls: string[];
  /** Loopback source addresses, taken in turn: the kernel finds a free port for each bind faster
   * among a few hundred in use than among thousands (that search once stalled a process for seconds). */
  local_addresses: string[];
  clusters: { cluster_id: string; token: string }[];
  reconnect: boolean;
  /** The Backoff's base, to measure others than the executor's default (absent: the default). */
  backoff_base_ms?: number;
}

export interface WireReport {
  /** Streams up now. */
  connected: number;
  /** `connected` events since start (a reconnect counts again). */
  connects: number;
  /** Dials refused or failed before a `connected` event. */
  failed_dials: number;
  received: number;
  /** Distinct commands whose result the server stored. */
  answered: number;
  /** Result posts the server did not store (each retried). */
  post_failures: number;
  last_connected_at: number;
  last_answered_at: number;
}

const config = (await Bun.file(process.argv[2] ?? "").json()) as WireConfig;
const report: WireReport = {
  connected: 0,
  connects: 0,
  failed_dials: 0,
  received: 0,
  answered: 0,
  post_failures: 0,
  last_connected_at: 0,
  last_answered_at: 0,
};
const answered = new Set<string>();
const POST_ATTEMPTS = 10;
let onConnect = () => {};

/** One stream's life: resolves when it ends; `url` is the API it connected to (for results). */
function streamOnce(
  cluster: { cluster_id: string; token: string },
  localAddress: string,
  backoff: Backoff,
): Promise<void> {
  return new Promise((resolve) => {
    const dial = async (index: number): Promise<void> => {
      const url = config.urls[index];
      if (!url) {
        report.failed_dials++;
        return resolve();
      }
      const { hostname, port } = new URL(url);
      let up = false;
      try {
        await openWireStream(
          { hostname, port: Number(port), localAddress },
          cluster.cluster_id,
          cluster.token,
          {
            connected() {
              up = true;
              backoff.reset();
              report.connected++;
              report.connects++;
              report.last_connected_at = Date.now();
              onConnect();
            },
            command(command) {
              report.received++;
              void answer(url, cluster, command);
            },
            ended() {
              if (up) report.connected--;
              else report.failed_dials++;
              resolve();
            },
          },
        );
      } catch {
        // Refused: the next URL, as a balancer dials the next backend.
        await dial(index + 1);
      }
    };
    void dial(0);
  });
}

async function answer(url: string, cluster: { cluster_id: string; token: string }, command: Command) {
  for (let attempt = 0; attempt < POST_ATTEMPTS; attempt++) {
    const stored = await postResult(url, cluster.cluster_id, cluster.token, command, {
      stdout: `${command.command_type} ${command.args.join(" ")}\n`,
    })
      .then(async (response) => (await response.text()) === '{"stored":true}')
      .catch(() => false);
    if (stored) {
      answered.add(command.command_id);
      report.answered = answered.size;
      report.last_answered_at = Date.now();
      return;
    }
    report.post_failures++;
    await Bun.sleep(500);
  }
}

async function stayConnected(cluster: { cluster_id: string; token: string }, index: number): Promise<void> {
  const backoff = new Backoff(config.backoff_base_ms);
  const localAddress = config.local_addresses[index % config.local_addresses.length] as string;
  do {
    await streamOnce(cluster, localAddress, backoff);
    if (!config.reconnect) return;
    await Bun.sleep(backoff.next());
  } while (config.reconnect);
}

// Connect in batches, each waiting for its streams' `connected` events, so the server is not asked
// for tens of thousands of streams in one instant (the storm scenario measures that on purpose).
const BATCH = 500;
for (let i = 0; i < config.clusters.length; i += BATCH) {
  const batch = config.clusters.slice(i, i + BATCH);
  const target = report.connects + batch.length;
  const reached = new Promise<void>((resolve) => {
    onConnect = () => {
      if (report.connects >= target) resolve();
    };
  });
  batch.forEach((cluster, j) => void stayConnected(cluster, i + j));
  await reached;
}
onConnect = () => {};
console.log(JSON.stringify({ ready: report.connected }));

for await (const line of console) {
  if (line.trim() === "report") console.log(JSON.stringify(report));
}
