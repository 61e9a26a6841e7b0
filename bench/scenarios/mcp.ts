/**
 * `get pods -n shop` through MCP, with the official SDK client, against the Kubernetes API stand-in:
 * Kubently's `execute_kubectl` over Streamable HTTP at /mcp (server, executor with the kubectl runner,
 * answered natively) beside the peer kubernetes-mcp-server (client-go in process, the npm package's
 * Linux binary, a dev-only bench dependency) and its `pods_list_in_namespace`, over stdio and over
 * its own Streamable HTTP, and bare kubectl. Every round calls each of them once, starting with a
 * different one each round, so drift on the machine hits all alike. Rounds start 210 ms apart: the
 * peer's client-go rate limiter (5 requests/s after a burst of 10) would otherwise hold each of its
 * calls to 200 ms, and what is measured is its latency, not its limiter. The same command through
 * POST /debug/execute is timed too, so what MCP itself adds shows.
 * `bun run bench/scenarios/mcp.ts` runs it alone and prints the JSON.
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
import { API_KEY, registerCluster, startExecutor, startServer } from "../lib/processes";
import { round, spread } from "../lib/stats";

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
  peer: string | null;
  calls: number;
}

const PEER_PACKAGE = "kubernetes-mcp-server";
/** One call per peer process per this many ms: under client-go's default 5 requests/s. */
const PEER_PACE_MS = 210;

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

export async function mcpReads(calls: number, dir: string): Promise<McpFigures> {
  const standin = await startKubeStandin();
  const server = await startServer("memory://");
  const executor = await startExecutor(server.url, "mcp", await registerCluster(server.url, "mcp"), {
    runner: "kubectl",
    kubeconfig: standin.kubeconfigPath,
    logFile: join(dir, "mcp-executor.log"),
  });
  const stops: (() => Promise<void>)[] = [() => standin.stop(), () => server.stop(), () => executor.stop()];
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
    const peers: { name: string; call: () => Promise<void> }[] = [];
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
      const listPods = (client: Client) => async () => {
        const result = (await client.callTool({
          name: "pods_list_in_namespace",
          arguments: { namespace: "shop" },
        })) as CallToolResult;
        if (result.isError || !textOf(result).includes("checkout-"))
          throw new Error(`pods_list_in_namespace failed: ${textOf(result)}`);
      };
      peers.push({ name: "stdio", call: listPods(stdio) }, { name: "http", call: listPods(http.client) });
    }

    const order = [{ name: "kubently", call: viaKubently }, ...peers, { name: "rest", call: viaRest }];
    const samples = new Map<string, number[]>();
    const timed = async (name: string, call: () => Promise<void>, keep: boolean) => {
      const t0 = performance.now();
      await call();
      if (keep) samples.set(name, [...(samples.get(name) ?? []), performance.now() - t0]);
    };
    const warmUp = 10;
    // kubectl is a process start per sample (~50-150 ms), so it is sampled about 30 times.
    const kubectlEvery = Math.max(1, Math.floor(calls / 30));
    for (let i = 0; i < warmUp + calls; i++) {
      const round0 = performance.now();
      const keep = i >= warmUp;
      // Each round starts with a different one: the first call after the pause wakes its processes.
      for (let j = 0; j < order.length; j++) {
        const next = order[(i + j) % order.length];
        if (next) await timed(next.name, next.call, keep);
      }
      if (i < warmUp ? i === 0 : (i - warmUp) % kubectlEvery === 0) await timed("kubectl", viaKubectl, keep);
      // The peer's client-go limiter (its default 5 requests/s after a burst of 10, not configurable)
      // would hold back-to-back calls to 200 ms each; an agent's calls are further apart than that.
      if (peers.length > 0) await Bun.sleep(Math.max(0, round0 + PEER_PACE_MS - performance.now()));
    }

    const of = (name: string) => (samples.has(name) ? spread(samples.get(name) ?? []) : null);
    const k = of("kubently");
    const stdio = of("stdio");
    const http = of("http");
    const kubectl = of("kubectl");
    if (!k || !kubectl) throw new Error("no samples");
    const bestPeer = [stdio, http].reduce<number | null>(
      (best, s) => (s && (best === null || s.median < best) ? s.median : best),
      null,
    );
    const comparedWith =
      bestPeer === null
        ? `kubectl (${"missing" in binary ? binary.missing : "no peer"})`
        : `${PEER_PACKAGE} ${stdio && stdio.median === bestPeer ? "stdio" : "Streamable HTTP"}`;
    return {
      kubently_p50_ms: round(k.median),
      kubently_p99_ms: round(k.p99),
      kubently_rest_p50_ms: round(of("rest")?.median ?? Number.NaN),
      kubently_executor_p50_ms: spread(executorMs.slice(warmUp)).median,
      peer_stdio_p50_ms: stdio ? round(stdio.median) : null,
      peer_stdio_p99_ms: stdio ? round(stdio.p99) : null,
      peer_http_p50_ms: http ? round(http.median) : null,
      peer_http_p99_ms: http ? round(http.p99) : null,
      kubectl_p50_ms: round(kubectl.median),
      ratio_to_peer: round(k.median / (bestPeer ?? kubectl.median)),
      compared_with: comparedWith,
      peer: "path" in binary ? `${PEER_PACKAGE} ${binary.version}` : null,
      calls,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-mcp-"));
  try {
    console.log(JSON.stringify(await mcpReads(300, dir), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
