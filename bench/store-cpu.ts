/**
 * `bun bench/store-cpu.ts [--store embedded|redis] [--callers N] [--commands N]`: what one command
 * costs the store itself, with no HTTP, WebSocket or executor process in the way, so a change to the
 * store shows on a shared machine whose hub figures move by 2× from run to run. On a throwaway
 * redis-server, or an embedded store in a fresh file: N callers each enqueue a command, record it in
 * the audit trail and wait for its result event; one claim loop, woken by command events, claims up
 * to 64 and stores each result, audited too (the hub's path, in one process). Prints this process's
 * CPU µs per command and the p50 of one command's cycle; on Redis also redis-server's CPU (`INFO
 * cpu`), Redis calls per command (`INFO commandstats`, a script's own calls included), Redis read
 * events per command (`INFO stats`: about one per round trip) and bytes each way; on the embedded
 * store the bytes written to its WAL per command. Writes nothing to bench/results. Never part of
 * `bun test`.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Redis from "ioredis";
import { openStore } from "../src/store";
import { makeAuditRecord, makeCommand, makeResult } from "../test/support/fixtures";
import { startRedisServer } from "../test/support/redis-server";
import { option } from "./lib/args";
import { quantile } from "./lib/stats";

const kind = option("--store") ?? "redis";
if (kind !== "redis" && kind !== "embedded") throw new Error("--store is embedded or redis");
const callers = Number(option("--callers") ?? 64);
const commands = Number(option("--commands") ?? 6_000);
const CLUSTER = "bench";

const redis = kind === "redis" ? await startRedisServer() : null;
const inspect = redis && new Redis(redis.url);
const folder = mkdtempSync(join(tmpdir(), "kubently-store-cpu-"));
const file = join(folder, "kubently.db");
const store = await openStore(redis ? redis.url : `sqlite://${file}`, { redisPrefix: "bench:" });
/** Bytes in the embedded store's WAL (it is checkpointed only past ~40 MB, so this only grows here). */
const walBytes = () => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
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
  // Time-ordered ids, as the server gives them: random ones would dirty a random index page each.
  const command = makeCommand(CLUSTER, { command_id: Bun.randomUUIDv7() });
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

const per = (value: number, digits = 1) => Number((value / commands).toFixed(digits));

/** What Redis did for the timed commands (its counters are reset before them). */
async function redisFigures(client: Redis, cpuBefore: number) {
  const info = async (section: string, field: string) =>
    Number((await client.info(section)).match(new RegExp(`^${field}:([\\d.]+)`, "m"))?.[1]);
  const calls = [...(await client.info("commandstats")).matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)]
    .filter(([, name]) => name !== "info" && name !== "config")
    .reduce((sum, [, , count]) => sum + Number(count), 0);
  return {
    redis_cpu_us_per_command: per((await redisCpuMicros(client)) - cpuBefore),
    redis_calls_per_command: per(calls, 2),
    redis_reads_per_command: per(await info("stats", "total_reads_processed"), 2),
    bytes_to_redis_per_command: per(await info("stats", "total_net_input_bytes"), 0),
    bytes_from_redis_per_command: per(await info("stats", "total_net_output_bytes"), 0),
  };
}
async function redisCpuMicros(client: Redis): Promise<number> {
  const cpu = await client.info("cpu");
  const field = (name: string) => Number(cpu.match(new RegExp(`^${name}:([\\d.]+)`, "m"))?.[1]);
  return (field("used_cpu_user") + field("used_cpu_sys")) * 1e6;
}

await load(500);
await inspect?.config("RESETSTAT");
const redisBefore = inspect ? await redisCpuMicros(inspect) : 0;
const walBefore = walBytes();
const cpuBefore = process.cpuUsage();
const latencies = await load(commands);
const cpu = process.cpuUsage(cpuBefore);
const walAfter = walBytes();
console.log(
  JSON.stringify({
    store: kind,
    callers,
    commands,
    store_cpu_us_per_command: per(cpu.user + cpu.system),
    cycle_p50_ms: Number(quantile(latencies, 0.5).toFixed(3)),
    ...(inspect
      ? await redisFigures(inspect, redisBefore)
      : { wal_bytes_per_command: per(walAfter - walBefore, 0) }),
  }),
);
running = false;
wake();
await claiming;
inspect?.disconnect();
await store.close();
await redis?.stop();
rmSync(folder, { recursive: true, force: true });
