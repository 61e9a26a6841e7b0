/**
 * `bun bench/hub.ts [--store embedded|redis|both] [--rounds N] [--round-ms MS] [--fast] [--profile DIR
 * [--interval US]]`: the hub's figures alone (the store scenario of bench/index.ts), to iterate on the
 * hub faster than a whole `bun run bench`. `--fast` measures only /health, the 1-client round trip
 * and the 64-client commands/s, alternating, each round. With `--profile DIR` it instead runs only
 * the 64-client, one-cluster load against a server started under `bun --cpu-prof --cpu-prof-md`
 * (sampling every `--interval` µs, 200 unless given), and leaves both profiles in DIR/<store>/: the
 * markdown to read, the .cpuprofile for `bun bench/profile-tree.ts` (each function's share inclusive).
 * Writes nothing to bench/results. Never part of `bun test`.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startRedisServer } from "../test/support/redis-server";
import { option } from "./lib/args";
import { closedLoop } from "./lib/load";
import { API_KEY, cpuMicros, registerCluster, startExecutor, startServer } from "./lib/processes";
import { quantile, spread } from "./lib/stats";
import { benchStore } from "./scenarios/store";

const which = option("--store") ?? "both";
const rounds = Number(option("--rounds") ?? "3");
const roundMs = Number(option("--round-ms") ?? "2000");
const profileDir = process.argv.includes("--profile") ? resolve(option("--profile") ?? "profile") : null;
const dir = mkdtempSync(join(tmpdir(), "kubently-hub-"));

const redis = which === "embedded" ? null : await startRedisServer();
const stores: [string, string][] = [];
if (which !== "redis") stores.push(["embedded", `sqlite://${join(dir, "bench.db")}`]);
if (redis) stores.push(["redis", redis.url]);
try {
  for (const [name, url] of stores) {
    if (profileDir) await profile(name, url, profileDir);
    else if (process.argv.includes("--fast")) await fast(name, url);
    else {
      const figures = await benchStore(name, url, { rounds, roundMs, clients: 64, dir });
      const { spreads: _, ...shown } = figures;
      console.log(
        JSON.stringify({
          store: name,
          ...shown,
          of_health: Number((figures.commands_per_s / figures.health_req_per_s).toFixed(3)),
        }),
      );
    }
  }
} finally {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** Per round: /health, 1 client, 64 clients; each figure's median over rounds, and each round's ratio. */
async function fast(name: string, storeUrl: string) {
  const server = await startServer(storeUrl);
  const token = await registerCluster(server.url, "bench");
  const executor = await startExecutor(server.url, "bench", token, {
    runner: "echo",
    logFile: join(dir, `${name}-executor.log`),
  });
  const execute = executeOn(server.url);
  await closedLoop(64, 1_000, execute);
  const health: number[] = [];
  const p50: number[] = [];
  const commands: number[] = [];
  const cpu: Record<"health" | "server" | "executor", number[]> = { health: [], server: [], executor: [] };
  const serverPid = server.process.proc.pid;
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  for (let r = 0; r < rounds; r++) {
    let ticks = await cpuMicros(serverPid);
    const h = await closedLoop(64, roundMs, async () => {
      const response = await fetch(`${server.url}/health`);
      await response.arrayBuffer();
      return response.status === 200;
    });
    cpu.health.push(((await cpuMicros(serverPid)) - ticks) / h.requests);
    const single = await closedLoop(1, roundMs, execute);
    ticks = await cpuMicros(serverPid);
    const executorTicks = await cpuMicros(executor.pid);
    const many = await closedLoop(64, roundMs, execute);
    cpu.server.push(((await cpuMicros(serverPid)) - ticks) / many.requests);
    cpu.executor.push(((await cpuMicros(executor.pid)) - executorTicks) / many.requests);
    if (h.errors + single.errors + many.errors > 0) throw new Error(`${name}: failed requests`);
    health.push(h.perSecond);
    p50.push(quantile(sorted(single.latenciesMs), 0.5));
    commands.push(many.perSecond);
    const [ratio, p, hc, sc, ec] = [
      many.perSecond / h.perSecond,
      p50.at(-1) ?? 0,
      cpu.health.at(-1) ?? 0,
      cpu.server.at(-1) ?? 0,
      cpu.executor.at(-1) ?? 0,
    ];
    console.error(
      `${name} ${r + 1}/${rounds}: health ${Math.round(h.perSecond)}/s, p50 ${p.toFixed(3)} ms, ` +
        `${Math.round(many.perSecond)} commands/s (${ratio.toFixed(3)}); server CPU ${hc.toFixed(1)} µs/health, ` +
        `${sc.toFixed(1)} µs/command; executor ${ec.toFixed(1)} µs/command`,
    );
  }
  await executor.stop();
  await server.stop();
  const median = (values: number[]) => spread(values).median;
  const ratios = commands.map((c, i) => c / (health[i] as number));
  console.log(
    JSON.stringify({
      store: name,
      health_req_per_s: Math.round(median(health)),
      round_trip_p50_ms: Number(median(p50).toFixed(3)),
      commands_per_s: Math.round(median(commands)),
      of_health: Number(median(ratios).toFixed(3)),
      server_cpu_us_per_health: Number(median(cpu.health ?? []).toFixed(1)),
      server_cpu_us_per_command: Number(median(cpu.server ?? []).toFixed(1)),
      executor_cpu_us_per_command: Number(median(cpu.executor ?? []).toFixed(1)),
    }),
  );
}

function executeOn(url: string) {
  const headers = { "x-api-key": API_KEY, "content-type": "application/json" };
  const body = JSON.stringify({ cluster_id: "bench", command_type: "get", args: ["pods"] });
  return async () => {
    const response = await fetch(`${url}/debug/execute`, { method: "POST", headers, body });
    await response.arrayBuffer();
    return response.status === 200;
  };
}

/** The one-cluster load alone, on a server writing its CPU profiles (markdown and JSON) at exit. */
async function profile(name: string, storeUrl: string, into: string) {
  const dir = join(into, name);
  mkdirSync(dir, { recursive: true });
  const server = await startServer(storeUrl, [
    process.execPath,
    "--cpu-prof",
    "--cpu-prof-md",
    `--cpu-prof-interval=${option("--interval") ?? "200"}`,
    `--cpu-prof-dir=${dir}`,
    "src/index.ts",
  ]);
  const token = await registerCluster(server.url, "bench");
  const executor = await startExecutor(server.url, "bench", token, {
    runner: "echo",
    logFile: join(dir, `${name}-executor.log`),
  });
  const run = await closedLoop(64, rounds * roundMs, executeOn(server.url));
  console.log(JSON.stringify({ store: name, commands_per_s: Math.round(run.perSecond), errors: run.errors }));
  await executor.stop();
  await server.stop();
}
