/**
 * `get pods -n shop` through MCP, with the official SDK client, against the Kubernetes API stand-in:
 * Kubently's `execute_kubectl` over Streamable HTTP at /mcp (server, executor with the kubectl runner,
 * answered natively) beside the peer kubernetes-mcp-server (client-go in process, the npm package's
 * Linux binary, a dev-only bench dependency) and its `pods_list_in_namespace`, over stdio and over
 * its own Streamable HTTP, and bare kubectl. Every round calls each of them once, starting with a
 * different one each round, so drift on the machine hits all alike. Rounds start 210 ms apart: the
 * peer's client-go rate limiter (5 requests/s after a burst of 10) would otherwise hold each of its
 * calls to 200 ms, and what is measured is its latency, not its limiter. The same command through
 * POST /debug/execute is timed too, last in each round (so it never wakes Kubently's processes for
 * the MCP call, each peer process being idle since the round before), so what MCP itself adds shows.
 * Each round ends with two calls to a bare Bun echo server, idle since the round before and then
 * at once: what waking one process costs on the machine. The rounds run twice: fresh,
 * right after the processes start, and warm, after the same number of calls to every side back to
 * back (the figures the target is about; a server in use is warm).
 * `bun run bench/scenarios/mcp.ts [--native]` runs it alone (with --native, the native-read scenario
 * first, in the same run) and prints the JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startKubeStandin } from "../../test/k8s/standin";
import { freePort } from "../../test/support/ports";
import { startBareEcho } from "../lib/bare-echo";
import { API_KEY, cpuMicros, registerCluster, startExecutor, startServer } from "../lib/processes";
import { round, spread } from "../lib/stats";
import { nativeReads } from "./native";

export interface McpFigures {
  /** `execute_kubectl` `get pods -n shop` through Kubently's /mcp. */
  kubently_p50_ms: number;
  kubently_p99_ms: number;
  /** The same command through POST /debug/execute, same run: MCP's own share is the difference. */
  kubently_rest_p50_ms: number;
  /** What the executor reports the native read itself took (whole ms), p50 over the MCP calls. */
  kubently_executor_p50_ms: number;
  /** kubernetes-mcp-server's `pods_list_in_namespace` over stdio; null when it cannot run here. */
  peer_stdio_p50_ms: number | null;
  peer_stdio_p99_ms: number | null;
  /** The same over its Streamable HTTP (stateless), as Kubently is reached. */
  peer_http_p50_ms: number | null;
  peer_http_p99_ms: number | null;
  /** `kubectl get pods -n shop` run directly, same run (fewer samples: each is a process start). */
  kubectl_p50_ms: number;
  /** Kubently's p50 over the best peer p50 (or kubectl's, without a peer); target ≤ 1.5. */
  ratio_to_peer: number;
  compared_with: string;
  /** The same paced rounds right after the processes start, before the warm-up calls. */
  fresh: {
    kubently_p50_ms: number;
    kubently_rest_p50_ms: number;
    peer_stdio_p50_ms: number | null;
    peer_http_p50_ms: number | null;
    ratio_to_peer: number;
  };
  /**
   * One HTTP round trip to a bare Bun echo server process, p50 of the warm rounds: first while it
   * has been idle since the round before, as every side's process is when its call comes, then
   * again at once. The difference is what waking one process costs on this machine; Kubently's
   * call wakes one process more than the peer's (the client, the server, the executor and the API
   * server, against the client, the peer and the API server).
   */
  bare_round_trip_p50_ms: { idle: number; busy: number };
  /** Server and executor CPU per call (µs, from /proc) over the warm-up's back-to-back calls. */
  cpu_us_per_call: { mcp: ProcessCpu; rest: ProcessCpu };
  peer: string | null;
  calls: number;
  /** Calls each side made back to back between the fresh and the warm rounds. */
  warm_calls: number;
}

interface ProcessCpu {
  server: number;
  executor: number;
}

const PEER_PACKAGE = "kubernetes-mcp-server";
/** One call per peer process per this many ms: under client-go's default 5 requests/s. */
const PEER_PACE_MS = 210;
/** client-go's limiter refills its burst of 10 in 2 s at 5/s; a little more, before paced rounds. */
const PEER_REFILL_MS = 2_500;

/** The peer's binary from its npm platform package, or why there is none on this machine. */
function peerBinary(): { path: string; version: string } | { missing: string } {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  const os = { linux: "linux", darwin: "darwin" }[process.platform as string];
  if (!arch || !os) return { missing: `no ${PEER_PACKAGE} package for ${process.platform}/${process.arch}` };
  const name = `${PEER_PACKAGE}-${os}-${arch}`;
  try {
    const require = createRequire(import.meta.url);
    const path = require.resolve(`${name}/bin/${name}`);
    const { version } = require(`${name}/package.json`) as { version: string };
    return { path, version };
  } catch {
    return { missing: `${name} is not installed (npm install)` };
  }
}

const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");

async function connectHttpPeer(binary: string, kubeconfig: string, home: string) {
  const port = await freePort();
  const proc = Bun.spawn(
    [
      binary,
      "--port",
      String(port),
      "--bind-address",
      "127.0.0.1",
      "--stateless",
      "--kubeconfig",
      kubeconfig,
      "--read-only",
      "--disable-multi-cluster",
    ],
    {
      env: { PATH: process.env.PATH ?? "", HOME: home },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Client({ name: "kubently-bench", version: "1.0.0" });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
      return {
        client,
        async stop() {
          await client.close();
          proc.kill("SIGTERM");
          await proc.exited;
        },
      };
    } catch (error) {
      if (Date.now() > deadline || proc.exitCode !== null) {
        proc.kill("SIGKILL");
        throw new Error(`kubernetes-mcp-server --port did not start: ${error}`);
      }
      await Bun.sleep(50);
    }
  }
}

export async function mcpReads(calls: number, warmCalls: number, dir: string): Promise<McpFigures> {
  const standin = await startKubeStandin();
  const server = await startServer("memory://");
  const executor = await startExecutor(server.url, "mcp", await registerCluster(server.url, "mcp"), {
    runner: "kubectl",
    kubeconfig: standin.kubeconfigPath,
    logFile: join(dir, "mcp-executor.log"),
  });
  const bare = await startBareEcho();
  const stops: (() => Promise<void>)[] = [
    () => standin.stop(),
    () => server.stop(),
    () => executor.stop(),
    () => bare.stop(),
  ];
  try {
    const executorMs: number[] = [];
    const kubently = new Client({ name: "kubently-bench", version: "1.0.0" });
    await kubently.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { "x-api-key": API_KEY } },
      }),
    );
    stops.push(() => kubently.close());
    const viaKubently = async () => {
      const result = (await kubently.callTool({
        name: "execute_kubectl",
        arguments: { cluster_id: "mcp", command: "get pods -n shop" },
      })) as CallToolResult;
      if (
        result.isError ||
        result.structuredContent?.exit_code !== 0 ||
        !textOf(result).includes("checkout-")
      )
        throw new Error(`execute_kubectl failed: ${textOf(result)}`);
      executorMs.push(Number(result.structuredContent.execution_time_ms));
    };
    const viaRest = async () => {
      const response = await fetch(`${server.url}/debug/execute`, {
        method: "POST",
        headers: { "x-api-key": API_KEY, "content-type": "application/json" },
        body: JSON.stringify({ cluster_id: "mcp", command_type: "get", args: ["pods", "-n", "shop"] }),
      });
      const body = (await response.json()) as { exit_code?: number };
      if (response.status !== 200 || body.exit_code !== 0) throw new Error("POST /debug/execute failed");
    };
    const kubectlEnv = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      KUBECONFIG: standin.kubeconfigPath,
      KUBECACHEDIR: join(dir, "kcache"),
    };
    const viaKubectl = async () => {
      const proc = Bun.spawn(["kubectl", "get", "pods", "-n", "shop"], {
        env: kubectlEnv,
        stdout: "ignore",
        stderr: "ignore",
      });
      if ((await proc.exited) !== 0) throw new Error("kubectl get pods failed");
    };

    const binary = peerBinary();
    const peers: { name: string; call: () => Promise<void>; warm: () => Promise<void> }[] = [];
    if ("path" in binary) {
      const peerArgs = ["--kubeconfig", standin.kubeconfigPath, "--read-only", "--disable-multi-cluster"];
      const stdio = new Client({ name: "kubently-bench", version: "1.0.0" });
      await stdio.connect(
        new StdioClientTransport({
          command: binary.path,
          args: peerArgs,
          env: { PATH: process.env.PATH ?? "", HOME: dir },
          stderr: "ignore",
        }),
      );
      stops.push(() => stdio.close());
      const http = await connectHttpPeer(binary.path, standin.kubeconfigPath, dir);
      stops.push(() => http.stop());
      const configurationView = (client: Client) => async () => {
        const result = (await client.callTool({
          name: "configuration_view",
          arguments: {},
        })) as CallToolResult;
        if (result.isError) throw new Error(`configuration_view failed: ${textOf(result)}`);
      };
      const listPods = (client: Client) => async () => {
        const result = (await client.callTool({
          name: "pods_list_in_namespace",
          arguments: { namespace: "shop" },
        })) as CallToolResult;
        if (result.isError || !textOf(result).includes("checkout-"))
          throw new Error(`pods_list_in_namespace failed: ${textOf(result)}`);
      };
      peers.push(
        { name: "stdio", call: listPods(stdio), warm: configurationView(stdio) },
        { name: "http", call: listPods(http.client), warm: configurationView(http.client) },
      );
    }

    const order = [{ name: "kubently", call: viaKubently }, ...peers];
    const warmUpRounds = 10;
    // kubectl is a process start per sample (~50-150 ms), so it is sampled about 30 times a phase.
    const kubectlEvery = Math.max(1, Math.floor(calls / 30));
    /** `calls` rounds, each calling every one of them once, paced for the peer's limiter. */
    const pacedRounds = async () => {
      const samples = new Map<string, number[]>();
      const timed = async (name: string, call: () => Promise<void>, keep: boolean) => {
        const t0 = performance.now();
        await call();
        if (keep) samples.set(name, [...(samples.get(name) ?? []), performance.now() - t0]);
      };
      executorMs.length = 0;
      for (let i = 0; i < warmUpRounds + calls; i++) {
        const round0 = performance.now();
        const keep = i >= warmUpRounds;
        // Each round starts with a different one: the first call after the pause wakes its processes.
        for (let j = 0; j < order.length; j++) {
          const next = order[(i + j) % order.length];
          if (next) await timed(next.name, next.call, keep);
        }
        // REST last: just before the MCP call it would wake Kubently's server and executor for it,
        // while each peer process has been idle since its call of the round before.
        await timed("rest", viaRest, keep);
        if (i < warmUpRounds ? i === 0 : (i - warmUpRounds) % kubectlEvery === 0)
          await timed("kubectl", viaKubectl, keep);
        // Last, so no other side's call comes right after a process this one woke.
        await timed("bare idle", bare.call, keep);
        await timed("bare busy", bare.call, keep);
        // The peer's client-go limiter (its default 5 requests/s after a burst of 10, not configurable)
        // would hold back-to-back calls to 200 ms each; an agent's calls are further apart than that.
        if (peers.length > 0) await Bun.sleep(Math.max(0, round0 + PEER_PACE_MS - performance.now()));
      }
      return { samples, executorMs: executorMs.slice(warmUpRounds) };
    };

    // Fresh: right after the processes start, as the bench measured before warm-up rounds were added.
    const fresh = await pacedRounds();
    // Warm: a server in use has run its request path many times, and Bun's JIT optimises a function
    // only after it has run hundreds to thousands of times (the peer is compiled Go, warm from its
    // first call). So every side gets the same `warmCalls` calls back to back through the same client
    // and transport: Kubently's execute_kubectl and REST command, and the peer's configuration_view
    // (which reads its kubeconfig and sends no API request, so its limiter keeps its tokens). Then
    // the limiter's burst refills and the paced rounds run again.
    // Kubently's calls go in blocks, one kind at a time, so each block's CPU is that kind's.
    const cpuPerCall = async (call: () => Promise<void>) => {
      const [server0, executor0] = await Promise.all([
        cpuMicros(server.process.proc.pid),
        cpuMicros(executor.pid),
      ]);
      for (let i = 0; i < warmCalls; i++) await call();
      const [server1, executor1] = await Promise.all([
        cpuMicros(server.process.proc.pid),
        cpuMicros(executor.pid),
      ]);
      return {
        server: Math.round((server1 - server0) / warmCalls),
        executor: Math.round((executor1 - executor0) / warmCalls),
      };
    };
    const mcpCpu = await cpuPerCall(viaKubently);
    const restCpu = await cpuPerCall(viaRest);
    for (let i = 0; i < warmCalls; i++) for (const peer of peers) await peer.warm();
    if (peers.length > 0) await Bun.sleep(PEER_REFILL_MS);
    const warm = await pacedRounds();

    const figures = (phase: typeof warm) => {
      const of = (name: string) => (phase.samples.has(name) ? spread(phase.samples.get(name) ?? []) : null);
      const k = of("kubently");
      const stdio = of("stdio");
      const http = of("http");
      const kubectl = of("kubectl");
      if (!k || !kubectl) throw new Error("no samples");
      const bestPeer = [stdio, http].reduce<number | null>(
        (best, x) => (x && (best === null || x.median < best) ? x.median : best),
        null,
      );
      return { k, stdio, http, kubectl, rest: of("rest"), bestPeer };
    };
    const w = figures(warm);
    const f = figures(fresh);
    const comparedWith =
      w.bestPeer === null
        ? `kubectl (${"missing" in binary ? binary.missing : "no peer"})`
        : `${PEER_PACKAGE} ${w.stdio && w.stdio.median === w.bestPeer ? "stdio" : "Streamable HTTP"}`;
    return {
      kubently_p50_ms: round(w.k.median),
      kubently_p99_ms: round(w.k.p99),
      kubently_rest_p50_ms: round(w.rest?.median ?? Number.NaN),
      kubently_executor_p50_ms: spread(warm.executorMs).median,
      peer_stdio_p50_ms: w.stdio ? round(w.stdio.median) : null,
      peer_stdio_p99_ms: w.stdio ? round(w.stdio.p99) : null,
      peer_http_p50_ms: w.http ? round(w.http.median) : null,
      peer_http_p99_ms: w.http ? round(w.http.p99) : null,
      kubectl_p50_ms: round(w.kubectl.median),
      ratio_to_peer: round(w.k.median / (w.bestPeer ?? w.kubectl.median)),
      compared_with: comparedWith,
      fresh: {
        kubently_p50_ms: round(f.k.median),
        kubently_rest_p50_ms: round(f.rest?.median ?? Number.NaN),
        peer_stdio_p50_ms: f.stdio ? round(f.stdio.median) : null,
        peer_http_p50_ms: f.http ? round(f.http.median) : null,
        ratio_to_peer: round(f.k.median / (f.bestPeer ?? f.kubectl.median)),
      },
      bare_round_trip_p50_ms: {
        idle: round(spread(warm.samples.get("bare idle") ?? []).median),
        busy: round(spread(warm.samples.get("bare busy") ?? []).median),
      },
      cpu_us_per_call: { mcp: mcpCpu, rest: restCpu },
      peer: "path" in binary ? `${PEER_PACKAGE} ${binary.version}` : null,
      calls,
      warm_calls: warmCalls,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-mcp-"));
  try {
    const native = process.argv.includes("--native") ? await nativeReads(300, 5_000, dir) : undefined;
    const mcp = await mcpReads(300, 2_000, dir);
    console.log(
      JSON.stringify({ date: new Date().toISOString(), ...(native ? { native } : {}), mcp }, null, 2),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
