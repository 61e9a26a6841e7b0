/**
 * Large outputs: `logs` of a 3 MB container log through POST /debug/execute, with native reads, on
 * compiled-free real processes (server, executor, the stand-in). How big the answer is, how many of
 * the log's lines a caller can reach, and how long the command, a page, a tail and a grep take.
 * `bun run bench/scenarios/output.ts` runs it alone and prints the JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LARGE_LOG_ERROR, largeLogScenario } from "../../test/k8s/large-log";
import { HEALTHY_POD, SHOP_NAMESPACE } from "../../test/k8s/scenario";
import { startKubeStandin } from "../../test/k8s/standin";
import { API_KEY, registerCluster, startExecutor, startServer } from "../lib/processes";
import { round, spread } from "../lib/stats";

export interface OutputFigures {
  log_bytes: number;
  log_lines: number;
  answer_bytes: number;
  answer_truncated: boolean;
  lines_reachable: number;
  execute_p50_ms: number;
  page_200_lines_p50_ms: number;
  tail_100_p50_ms: number;
  grep_p50_ms: number;
  read_all_by_pages_ms: number;
}

const LOG_LINES = 30_000;

export async function largeOutputs(runs: number, dir: string): Promise<OutputFigures> {
  const standin = await startKubeStandin({ scenario: largeLogScenario(LOG_LINES) });
  const server = await startServer("memory://");
  const executor = await startExecutor(server.url, "big", await registerCluster(server.url, "big"), {
    runner: "kubectl",
    kubeconfig: standin.kubeconfigPath,
    logFile: join(dir, "executor.log"),
  });
  const headers = { "x-api-key": API_KEY, "content-type": "application/json" };
  const execute = async () => {
    const response = await fetch(`${server.url}/debug/execute`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        cluster_id: "big",
        command_type: "logs",
        args: [HEALTHY_POD, "-n", SHOP_NAMESPACE],
      }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`logs answered ${response.status}: ${text.slice(0, 200)}`);
    return { text, body: JSON.parse(text) as Answer };
  };
  const read = async (id: string, query: string) => {
    const response = await fetch(`${server.url}/debug/results/${id}/output?${query}`, { headers });
    if (response.status !== 200) throw new Error(`output answered ${response.status}`);
    return (await response.json()) as { lines: unknown[]; next_offset: number | null; total_lines: number };
  };
  const timed = async (work: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      await work();
      if (i >= 2) samples.push(performance.now() - t0);
    }
    return round(spread(samples).median);
  };
  try {
    const first = await execute();
    const id = first.body.command_id;
    const handled = first.body.output !== undefined;
    const grep = `grep=${encodeURIComponent(LARGE_LOG_ERROR)}`;
    const t0 = performance.now();
    let reachable = 0;
    for (let offset: number | null = 0; handled && offset !== null; ) {
      const page = await read(id, `offset=${offset}&limit=5000`);
      reachable += page.lines.length;
      offset = page.next_offset;
    }
    const readAllMs = performance.now() - t0;
    return {
      log_bytes: first.body.output?.stdout.bytes ?? 0,
      log_lines: first.body.output?.stdout.lines ?? 0,
      answer_bytes: Buffer.byteLength(first.text),
      answer_truncated: first.body.truncated,
      lines_reachable: handled ? reachable : first.body.stdout.split("\n").length - 1,
      execute_p50_ms: await timed(execute),
      page_200_lines_p50_ms: handled ? await timed(() => read(id, "offset=10000&limit=200")) : 0,
      tail_100_p50_ms: handled ? await timed(() => read(id, "tail=100")) : 0,
      grep_p50_ms: handled ? await timed(() => read(id, grep)) : 0,
      read_all_by_pages_ms: round(readAllMs),
    };
  } finally {
    await executor.stop();
    await server.stop();
    await standin.stop();
  }
}

interface Answer {
  command_id: string;
  stdout: string;
  truncated: boolean;
  output?: { stdout: { bytes: number; lines: number } };
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-output-"));
  try {
    console.log(JSON.stringify(await largeOutputs(20, dir), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
