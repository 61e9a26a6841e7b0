/**
 * The executor process alone, against a stand-in hub on one WebSocket: commands at a fixed rate (a
 * `commands` message of BATCH every TICK_MS, answered `outcomes` as the server answers), the echo
 * runner, its JSON log to a file. Reports the executor's CPU per command, read from /proc, and its
 * part of a round trip with one command at a time (message sent → its result back, p50). The hub
 * bench's executor figure moves with how many commands the server puts in each message, which its
 * load decides; here that is fixed, so old and new executors compare on the same terms (run them
 * alternately: the machine's other work still moves both).
 * `bun bench/scenarios/executor-ws.ts [seconds] [executor entry, default executor/index.ts]`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerWebSocket } from "bun";
import { cpuMicros } from "../lib/processes";
import { quantile, round } from "../lib/stats";

const BATCH = 8;
const TICK_MS = 2;
const WARM_MS = 1_500;
const SINGLE_MS = 3_000;

const command = () => ({
  command_id: crypto.randomUUID(),
  cluster_id: "bench",
  command_type: "get",
  args: ["pods"],
  timeout_seconds: 30,
  deadline_ms: Date.now() + 60_000,
  correlation_id: crypto.randomUUID(),
  service_identity: "bench",
  requested_by: "bench-client",
  created_at: new Date().toISOString(),
});

export async function executorOverWs(seconds: number, entry = "executor/index.ts") {
  // Its log goes to a file, as under a container runtime: writing it is part of what is measured.
  const dir = mkdtempSync(join(tmpdir(), "kubently-executor-ws-"));
  let counting = false;
  let answered = 0;
  let awaited: { id: string; done(): void } | null = null;
  let connected: (socket: ServerWebSocket<unknown>) => void = () => {};
  const socket = new Promise<ServerWebSocket<unknown>>((resolve) => {
    connected = resolve;
  });
  const hub = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req, server) => (server.upgrade(req) ? undefined : new Response(null, { status: 404 })),
    websocket: {
      open(ws) {
        ws.send(JSON.stringify({ type: "connected", batches: true, chunks: true }));
        connected(ws);
      },
      message(ws, data) {
        const message = JSON.parse(String(data)) as { type: string; results?: { command_id: string }[] };
        if (message.type !== "results" || !message.results) return;
        const ids = message.results.map((result) => result.command_id);
        ws.send(
          JSON.stringify({ type: "outcomes", outcomes: ids.map((id) => ({ command_id: id, stored: true })) }),
        );
        if (counting) answered += ids.length;
        if (awaited && ids.includes(awaited.id)) awaited.done();
      },
    },
  });
  const executor = Bun.spawn([process.execPath, entry], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      KUBENTLY_API_URL: `http://127.0.0.1:${hub.port}`,
      KUBENTLY_CLUSTER_ID: "bench",
      KUBENTLY_TOKEN: "bench-executor-token",
      KUBENTLY_TRANSPORT: "ws",
      KUBENTLY_RUNNER: "echo",
    },
    stdin: "ignore",
    stdout: Bun.file(join(dir, "executor.log")),
    stderr: "ignore",
  });
  try {
    const ws = await socket;
    const ticker = setInterval(
      () => ws.send(JSON.stringify({ type: "commands", commands: Array.from({ length: BATCH }, command) })),
      TICK_MS,
    );
    await Bun.sleep(WARM_MS);
    counting = true;
    const cpu = await cpuMicros(executor.pid);
    const started = performance.now();
    await Bun.sleep(seconds * 1000);
    const used = (await cpuMicros(executor.pid)) - cpu;
    const done = answered;
    const wallMs = performance.now() - started;
    counting = false;
    clearInterval(ticker);
    await Bun.sleep(200);
    const single: number[] = [];
    const until = performance.now() + SINGLE_MS;
    while (performance.now() < until) {
      const next = command();
      const sent = performance.now();
      await new Promise<void>((done) => {
        awaited = { id: next.command_id, done };
        ws.send(JSON.stringify({ type: "commands", commands: [next] }));
      });
      single.push(performance.now() - sent);
    }
    single.sort((a, b) => a - b);
    return {
      commands_per_s: Math.round((done * 1000) / wallMs),
      executor_cpu_us_per_command: round(used / done, 1),
      one_at_a_time_p50_us: Math.round(quantile(single, 0.5) * 1000),
    };
  } finally {
    executor.kill("SIGTERM");
    await executor.exited;
    hub.stop(true);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  console.log(JSON.stringify(await executorOverWs(Number(process.argv[2] ?? 6), process.argv[3]), null, 2));
  process.exit(0);
}
