/** Drives a sim-executors.ts process: start it for a set of clusters, ask it for delivery figures. */
import { join } from "node:path";
import { registerClusters } from "./processes";

export interface SimExecutors {
  pid: number;
  /** Commands received since the last report, and each one's enqueue → receipt time. */
  report(): Promise<{ received: number; delivery_ms: number[] }>;
  stop(): Promise<void>;
}

export async function startSimExecutors(
  url: string,
  clusterIds: string[],
  dir: string,
): Promise<SimExecutors> {
  const clusters = await registerClusters(url, clusterIds);
  const file = join(dir, `clusters-${crypto.randomUUID()}.json`);
  await Bun.write(file, JSON.stringify(clusters));
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "..", "sim-executors.ts"), url, file], {
    // Bun's fetch runs at most 256 requests at once by default; every stream holds one for good.
    env: {
      ...process.env,
      BUN_CONFIG_MAX_HTTP_REQUESTS: String(Math.min(65_000, clusterIds.length + 1_024)),
    },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const lines = readLines(proc.stdout);
  const ready = JSON.parse((await lines.next()).value ?? "{}") as { ready?: number };
  if (ready.ready !== clusterIds.length) throw new Error(`simulated executors: ${JSON.stringify(ready)}`);
  return {
    pid: proc.pid,
    async report() {
      proc.stdin.write("report\n");
      proc.stdin.flush();
      return JSON.parse((await lines.next()).value ?? "{}") as { received: number; delivery_ms: number[] };
    },
    async stop() {
      // Nothing to clean up in a simulator; a plain SIGTERM was seen to leave it waiting on stdin.
      proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}

export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
    }
  }
}
