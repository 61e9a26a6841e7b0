/**
 * The floor under the hub's targets on this machine: a bare relay (bench/relay/: a Bun server that
 * hands each `POST /execute` body over a WebSocket to one executor process and answers with its
 * reply; no store, no auth, no validation, no audit trail), loaded as `bench/hub.ts --fast` loads
 * Kubently: per round /health, then 1 client, then 64 clients, each for `--round-ms`. The commands/s
 * of the relay as a share of its /health is what a hub could reach if its own work per command were
 * free. `bun run bench/scenarios/relay.ts [--rounds N] [--round-ms MS]` prints each round and a JSON
 * line; never part of `bun test`.
 */
import { join } from "node:path";
import { option } from "../lib/args";
import { closedLoop } from "../lib/load";
import { cpuMicros } from "../lib/processes";
import { spread } from "../lib/stats";

const rounds = Number(option("--rounds") ?? "3");
const roundMs = Number(option("--round-ms") ?? "2000");
const here = join(import.meta.dir, "..", "relay");

const server = Bun.spawn([process.execPath, join(here, "server.ts")], { stdout: "pipe", stderr: "inherit" });
const first = await server.stdout.getReader().read();
const port = Number(new TextDecoder().decode(first.value).trim());
const executor = Bun.spawn([process.execPath, join(here, "executor.ts"), String(port)], {
  stdout: "ignore",
  stderr: "inherit",
});
const url = `http://127.0.0.1:${port}`;
const body = JSON.stringify({ cluster_id: "bench", command_type: "get", args: ["pods"] });
const execute = async () => {
  const response = await fetch(`${url}/execute`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  await response.arrayBuffer();
  return response.status === 200;
};
const health = async () => {
  const response = await fetch(`${url}/health`);
  await response.arrayBuffer();
  return response.status === 200;
};

try {
  const deadline = Date.now() + 10_000;
  while (!(await execute().catch(() => false))) {
    if (Date.now() > deadline) throw new Error("the relay's executor did not connect");
    await Bun.sleep(50);
  }
  await closedLoop(64, 1_000, execute);
  const ratios: number[] = [];
  const p50s: number[] = [];
  const cpuPerCommand: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const h = await closedLoop(64, roundMs, health);
    const single = await closedLoop(1, roundMs, execute);
    const ticks = await cpuMicros(server.pid);
    const many = await closedLoop(64, roundMs, execute);
    const cpu = ((await cpuMicros(server.pid)) - ticks) / many.requests;
    if (h.errors + single.errors + many.errors > 0) throw new Error("failed requests");
    const p50 = spread(single.latenciesMs).median;
    ratios.push(many.perSecond / h.perSecond);
    p50s.push(p50);
    cpuPerCommand.push(cpu);
    console.error(
      `relay ${r + 1}/${rounds}: health ${Math.round(h.perSecond)}/s, p50 ${p50.toFixed(3)} ms, ` +
        `${Math.round(many.perSecond)} commands/s (${(ratios.at(-1) ?? 0).toFixed(3)}); ` +
        `server CPU ${cpu.toFixed(1)} µs/command`,
    );
  }
  const median = (values: number[]) => spread(values).median;
  console.log(
    JSON.stringify({
      relay_of_health: Number(median(ratios).toFixed(3)),
      round_trip_p50_ms: Number(median(p50s).toFixed(3)),
      server_cpu_us_per_command: Number(median(cpuPerCommand).toFixed(1)),
    }),
  );
} finally {
  executor.kill();
  server.kill();
  await Promise.all([executor.exited, server.exited]);
}
