/**
 * Following commands on real processes (server, executor running kubectl, the stand-in), per
 * executor transport: how long a streamed `logs -f` takes to its first chunk, how long from its
 * caller leaving to the command's stored result (cancelled in the cluster), and how long another
 * command (describe, which needs a kubectl slot) waits while four follows of the same caller hold
 * their slots (before windows: until their timeout). `bun run bench/scenarios/follow.ts` runs it
 * alone and prints the JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKubeStandin } from "../../test/k8s/standin";
import { API_KEY, registerCluster, startExecutor, startServer } from "../lib/processes";
import { round, spread } from "../lib/stats";

export interface FollowFigures {
  transport: string;
  first_chunk_p50_ms: number;
  leave_to_cancelled_p50_ms: number;
  describe_beside_4_follows_p50_ms: number;
}

const headers = { "x-api-key": API_KEY, "content-type": "application/json" };

export async function follows(runs: number, dir: string, transport: "ws" | "sse"): Promise<FollowFigures> {
  const standin = await startKubeStandin();
  const server = await startServer("memory://");
  const clusterId = `follow-${transport}`;
  const executor = await startExecutor(server.url, clusterId, await registerCluster(server.url, clusterId), {
    runner: "kubectl",
    transport,
    kubeconfig: standin.kubeconfigPath,
    logFile: join(dir, `executor-${transport}.log`),
  });
  const execute = (body: Record<string, unknown>, init: RequestInit = {}) =>
    fetch(`${server.url}/debug/execute`, {
      method: "POST",
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string>) },
      body: JSON.stringify({ cluster_id: clusterId, namespace: "shop", ...body }),
    });
  const firstChunk: number[] = [];
  const cancelled: number[] = [];
  const beside: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const leaving = new AbortController();
      const t0 = performance.now();
      const response = await execute(
        { command_type: "logs", args: ["-f", "deploy/frontend"], follow_seconds: 60 },
        { headers: { accept: "text/event-stream" }, signal: leaving.signal },
      );
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let seen = "";
      while (!seen.includes("event: chunk")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before a chunk: ${seen.slice(0, 200)}`);
        seen += new TextDecoder().decode(value);
      }
      firstChunk.push(performance.now() - t0);
      const commandId = /"command_id":"([0-9a-f-]{36})"/.exec(seen)?.[1];
      const t1 = performance.now();
      leaving.abort();
      // The output handle answers once the result is stored; bounded, as every loop here.
      for (let tries = 0; tries < 500; tries++) {
        const stored = await fetch(`${server.url}/debug/results/${commandId}/output?limit=1`, { headers });
        if (stored.status === 200) break;
        await Bun.sleep(5);
      }
      cancelled.push(performance.now() - t1);

      const held = Array.from({ length: 4 }, () =>
        execute({ command_type: "get", args: ["pods", "-w"], follow_seconds: 3 }),
      );
      const t2 = performance.now();
      // describe is never answered natively: it needs a kubectl slot of its own.
      const version = await execute({ command_type: "describe", args: ["deployment/frontend"] });
      if (version.status !== 200) throw new Error(`describe answered ${version.status}`);
      beside.push(performance.now() - t2);
      await Promise.all(held);
    }
    return {
      transport,
      first_chunk_p50_ms: round(spread(firstChunk).median),
      leave_to_cancelled_p50_ms: round(spread(cancelled).median),
      describe_beside_4_follows_p50_ms: round(spread(beside).median),
    };
  } finally {
    await executor.stop();
    await server.stop();
    await standin.stop();
  }
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-follow-"));
  try {
    const figures = [await follows(5, dir, "ws"), await follows(5, dir, "sse")];
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
