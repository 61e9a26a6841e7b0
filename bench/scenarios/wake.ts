/**
 * What a pause costs a command: the 1-client round trip through `POST /debug/execute` (memory://
 * store, echo runner) after the server and the executor sat idle for N ms, beside one HTTP round trip
 * to a bare Bun echo server in its own process, idle as long. Before each timed pair the bench wakes
 * itself with an untimed call to a second bare server, so what is measured is the idleness of the
 * processes called, not of the caller. A paced bench (mcp.ts calls every 210 ms) sees these figures,
 * not the back-to-back ones. `bun run bench/scenarios/wake.ts [--calls N] [--pauses MS,MS…]` prints the JSON;
 * never part of `bun test`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { option } from "../lib/args";
import { startBareEcho } from "../lib/bare-echo";
import { API_KEY, registerCluster, startExecutor, startServer } from "../lib/processes";
import { round, spread } from "../lib/stats";

const PAUSES_MS = [0, 5, 20, 50, 100, 200, 500];
const WARM_CALLS = 2_000;

export async function wakeCosts(callsPerPause: number, dir: string, pausesMs = PAUSES_MS) {
  const server = await startServer("memory://");
  const executor = await startExecutor(server.url, "wake", await registerCluster(server.url, "wake"), {
    runner: "echo",
    logFile: join(dir, "wake-executor.log"),
  });
  const bare = await startBareEcho();
  const alarm = await startBareEcho();
  try {
    const kubently = async () => {
      const response = await fetch(`${server.url}/debug/execute`, {
        method: "POST",
        headers: { "x-api-key": API_KEY, "content-type": "application/json" },
        body: JSON.stringify({ cluster_id: "wake", command_type: "get", args: ["pods", "-n", "shop"] }),
      });
      if (response.status !== 200) throw new Error(`POST /debug/execute answered ${response.status}`);
      await response.json();
    };
    for (let i = 0; i < WARM_CALLS; i++) await Promise.all([kubently(), bare.call()]);
    const timed = async (call: () => Promise<void>) => {
      const t0 = performance.now();
      await call();
      return performance.now() - t0;
    };
    const pauses = [];
    for (const pauseMs of pausesMs) {
      const samples = { kubently: [] as number[], bare: [] as number[] };
      for (let i = 0; i < callsPerPause; i++) {
        await Bun.sleep(pauseMs);
        await alarm.call();
        // Alternate which goes first, so neither always runs on what the other woke.
        const order = i % 2 === 0 ? (["kubently", "bare"] as const) : (["bare", "kubently"] as const);
        for (const name of order) samples[name].push(await timed(name === "kubently" ? kubently : bare.call));
      }
      pauses.push({
        pause_ms: pauseMs,
        kubently_p50_ms: round(spread(samples.kubently).median, 3),
        bare_p50_ms: round(spread(samples.bare).median, 3),
      });
    }
    return { calls_per_pause: callsPerPause, pauses };
  } finally {
    await alarm.stop();
    await bare.stop();
    await executor.stop();
    await server.stop();
  }
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-wake-"));
  try {
    const pauses = option("--pauses")?.split(",").map(Number);
    const figures = await wakeCosts(Number(option("--calls") ?? 60), dir, pauses);
    console.log(JSON.stringify({ date: new Date().toISOString(), ...figures }, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
