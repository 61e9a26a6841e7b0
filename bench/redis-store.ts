/**
 * `bun bench/redis-store.ts [--callers N] [--commands N]`: what one command costs the Redis store
 * itself, with no HTTP, WebSocket or executor process in the way, so a change to the store shows on a
 * shared machine whose hub figures move by 2× from run to run. On a throwaway redis-server: N callers
 * each enqueue a command, record it in the audit trail and wait for its result event; one claim loop,
 * woken by command events, claims up to 64 and stores each result, audited too (the hub's path, in
 * one process). Prints this process's CPU µs per command, redis-server's (`INFO cpu`), Redis calls
 * per command (`INFO commandstats`, a script's own calls included), Redis read events per command
 * (`INFO stats`: about one per round trip), bytes each way and the p50 of one command's cycle.
 * Writes nothing to bench/results. Never part of `bun test`.
 */
import Redis from "ioredis";
import { openStore } from "../src/store";
import { makeAuditRecord, makeCommand, makeResult } from "../test/support/fixtures";
import { startRedisServer } from "../test/support/redis-server";
import { option } from "./lib/args";
import { quantile } from "./lib/stats";

const callers = Number(option("--callers") ?? 64);
const commands = Number(option("--commands") ?? 6_000);
const CLUSTER = "bench";

const redis = await startRedisServer();
const inspect = new Redis(redis.url);
const store = await openStore(redis.url, { redisPrefix: "bench:" });
const waiting = new Map<string, () => void>();
// A command event heard while a claim was on its way may be for a command that claim missed.
let heard = false;
let wake = () => {};
store.subscribe((event) => {
  if (event.type === "result") waiting.get(event.command_id)?.();
  if (event.type === "command") {
    heard = true;
    wake();
  }
});

let running = true;
const claiming = (async () => {
  while (running) {
    heard = false;
    const claimed = await store.claim(CLUSTER, "bench-connection", 64, 45_000, Date.now());
    if (claimed.length === 0) {
      if (!heard) await new Promise<void>((resolve) => (wake = resolve));
      continue;
    }
    await Promise.all(
      claimed.map(async (command) => {
        const outcome = await store.putResult(CLUSTER, makeResult(command), 300_000);
        if (outcome.status === "stored") void store.appendAudit([makeAuditRecord()]);
      }),
    );
  }
})();

async function cycle(): Promise<number> {
  const command = makeCommand(CLUSTER);
  const answered = new Promise<void>((resolve) => waiting.set(command.command_id, resolve));
  const started = performance.now();
  await store.enqueue(command);
  void store.appendAudit([makeAuditRecord()]);
  await answered;
  waiting.delete(command.command_id);
  return performance.now() - started;
}

async function load(count: number): Promise<number[]> {
  const latencies: number[] = [];
  let issued = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (issued++ < count) latencies.push(await cycle());
    }),
  );
  return latencies.sort((a, b) => a - b);
}

const info = async (section: string, field: string) =>
  Number((await inspect.info(section)).match(new RegExp(`^${field}:([\\d.]+)`, "m"))?.[1]);
const redisCpuMicros = async () =>
  ((await info("cpu", "used_cpu_user")) + (await info("cpu", "used_cpu_sys"))) * 1e6;

await load(500);
await inspect.config("RESETSTAT");
const redisBefore = await redisCpuMicros();
const cpuBefore = process.cpuUsage();
const latencies = await load(commands);
const cpu = process.cpuUsage(cpuBefore);
const redisCpu = (await redisCpuMicros()) - redisBefore;
const calls = [...(await inspect.info("commandstats")).matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)]
  .filter(([, name]) => name !== "info" && name !== "config")
  .reduce((sum, [, , count]) => sum + Number(count), 0);
const per = (value: number, digits = 1) => Number((value / commands).toFixed(digits));
console.log(
  JSON.stringify({
    callers,
    commands,
    store_cpu_us_per_command: per(cpu.user + cpu.system),
    redis_cpu_us_per_command: per(redisCpu),
    redis_calls_per_command: per(calls, 2),
    redis_reads_per_command: per(await info("stats", "total_reads_processed"), 2),
    bytes_to_redis_per_command: per(await info("stats", "total_net_input_bytes"), 0),
    bytes_from_redis_per_command: per(await info("stats", "total_net_output_bytes"), 0),
    cycle_p50_ms: Number(quantile(latencies, 0.5).toFixed(3)),
  }),
);
running = false;
wake();
await claiming;
inspect.disconnect();
await store.close();
await redis.stop();
