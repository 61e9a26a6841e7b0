/**
 * Drives wire-executors.ts processes: registers the clusters, spreads them over processes of at most
 * PER_PROCESS streams, each process from loopback source addresses of its own (127.1.P.1–50: each
 * address has its own ephemeral ports, so none nears the range's ~28k) and under the descriptor limit they inherit,
 * and sums their reports.
 */
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { WireConfig, WireReport } from "../wire-executors";
import { withNofile } from "./fd-limit";
import { readLines } from "./sim";

const PER_PROCESS = 12_500;
/** About 250 streams per source address at the most. */
const ADDRESSES_PER_PROCESS = 50;
/** Result posts at once per process: each is a keep-alive connection the server holds a descriptor for. */
const POSTS_AT_ONCE = 64;
/** Descriptors a server needs beyond its streams: these processes' posts, callers, its own files. */
export const SERVER_FD_MARGIN = 1_000;

export interface WireFleet {
  pids: number[];
  report(): Promise<WireReport>;
  /** Reports every ~100 ms until `done` holds or `withinMs` passed; the last report either way. */
  until(done: (report: WireReport) => boolean, withinMs: number): Promise<WireReport>;
  stop(): Promise<void>;
}

/** Starts the processes and resolves once every stream is connected (or throws after `withinMs`). */
export async function startWireFleet(
  urls: string[],
  clusters: WireConfig["clusters"],
  dir: string,
  reconnect: boolean,
  backoffBaseMs?: number,
  withinMs = 600_000,
): Promise<WireFleet> {
  const procs: {
    proc: Subprocess<"pipe", "pipe", "inherit">;
    lines: AsyncGenerator<string>;
    count: number;
  }[] = [];
  for (let i = 0; i * PER_PROCESS < clusters.length; i++) {
    const part = clusters.slice(i * PER_PROCESS, (i + 1) * PER_PROCESS);
    const config: WireConfig = {
      urls,
      local_addresses: Array.from({ length: ADDRESSES_PER_PROCESS }, (_, k) => `127.1.${i}.${1 + k}`),
      clusters: part,
      reconnect,
      backoff_base_ms: backoffBaseMs,
    };
    const file = join(dir, `wire-${crypto.randomUUID()}.json`);
    await Bun.write(file, JSON.stringify(config));
    const argv = withNofile(
      [process.execPath, join(import.meta.dir, "..", "wire-executors.ts"), file],
      part.length + 2 * POSTS_AT_ONCE + 256,
    );
    if (!argv) throw new Error(`wire executors: ${part.length} streams do not fit the descriptor limit`);
    const proc = Bun.spawn(argv, {
      env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: String(POSTS_AT_ONCE) },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    procs.push({ proc, lines: readLines(proc.stdout), count: part.length });
  }
  const stop = async () => {
    for (const { proc } of procs) proc.kill("SIGKILL");
    await Promise.all(procs.map(({ proc }) => proc.exited));
  };
  const timeout = setTimeout(() => void stop(), withinMs);
  try {
    for (const { lines, count } of procs) {
      const ready = JSON.parse((await lines.next()).value ?? "{}") as { ready?: number };
      if (ready.ready !== count) throw new Error(`wire executors: ${JSON.stringify(ready)} of ${count}`);
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timeout);
  }
  const fleet: WireFleet = {
    pids: procs.map(({ proc }) => proc.pid),
    async until(done, withinMs) {
      const deadline = Date.now() + withinMs;
      let report = await fleet.report();
      while (!done(report) && Date.now() < deadline) {
        await Bun.sleep(100);
        report = await fleet.report();
      }
      return report;
    },
    async report() {
      const parts = await Promise.all(
        procs.map(async ({ proc, lines }) => {
          proc.stdin.write("report\n");
          proc.stdin.flush();
          return JSON.parse((await lines.next()).value ?? "{}") as WireReport;
        }),
      );
      return {
        connected: sum(parts, "connected"),
        connects: sum(parts, "connects"),
        failed_dials: sum(parts, "failed_dials"),
        received: sum(parts, "received"),
        answered: sum(parts, "answered"),
        post_failures: sum(parts, "post_failures"),
        last_connected_at: Math.max(...parts.map((p) => p.last_connected_at)),
        last_answered_at: Math.max(...parts.map((p) => p.last_answered_at)),
      };
    },
    stop,
  };
  return fleet;
}

function sum(parts: WireReport[], key: keyof WireReport): number {
  return parts.reduce((total, part) => total + part[key], 0);
}
