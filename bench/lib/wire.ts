/**
 * Drives wire-executors.ts processes: registers the clusters, spreads them over processes of at most
 * PER_PROCESS streams, each from its own loopback source address (127.0.0.2, .3…: each has its own
 * ephemeral ports, so no process nears the range's ~28k) and with a file-descriptor limit raised for
 * that process alone (prlimit), and sums their reports.
 */
import { join } from "node:path";
import type { WireConfig, WireReport } from "../wire-executors";
import { readLines } from "./sim";

const PER_PROCESS = 12_500;
/** Descriptors for a process holding `streams` sockets, with room for result posts and files. */
export const nofileFor = (streams: number) => streams + 4_096;

export interface WireFleet {
  pids: number[];
  report(): Promise<WireReport>;
  stop(): Promise<void>;
}

/** Starts the processes and resolves once every stream is connected (or throws after `withinMs`). */
export async function startWireFleet(
  urls: string[],
  clusters: WireConfig["clusters"],
  dir: string,
  reconnect: boolean,
  withinMs = 600_000,
): Promise<WireFleet> {
  const procs = [];
  for (let i = 0; i * PER_PROCESS < clusters.length; i++) {
    const part = clusters.slice(i * PER_PROCESS, (i + 1) * PER_PROCESS);
    const config: WireConfig = { urls, local_address: `127.0.0.${2 + i}`, clusters: part, reconnect };
    const file = join(dir, `wire-${crypto.randomUUID()}.json`);
    await Bun.write(file, JSON.stringify(config));
    const limit = nofileFor(part.length);
    const proc = Bun.spawn(
      [
        "prlimit",
        `--nofile=${limit}:${limit}`,
        process.execPath,
        join(import.meta.dir, "..", "wire-executors.ts"),
        file,
      ],
      {
        env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "512" },
        stdin: "pipe",
        stdout: "pipe",
        stderr: "inherit",
      },
    );
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
  return {
    pids: procs.map(({ proc }) => proc.pid),
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
}

function sum(parts: WireReport[], key: keyof WireReport): number {
  return parts.reduce((total, part) => total + part[key], 0);
}
