/**
 * A command streamed to its caller, end to end: `POST /debug/execute` with `Accept: text/event-stream`,
 * the real executor on the WebSocket or on SSE following logs itself (native reads) against the Kubernetes
 * API stand-in. Its output arrives as `chunk` events while the follow still runs, the last event is the result, and a
 * caller that goes away has the command stopped in the cluster (it ends `cancelled`), or withdrawn from
 * its queue when no executor took it yet.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningExecutor } from "../../executor/executor";
import type { CommandResult } from "../../src/models";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { runKubently } from "../support/cli";
import { type StreamedEvent as Event, postForEvents } from "../support/event-stream";
import { eventually } from "../support/eventually";
import { startInProcessExecutor } from "../support/executor";
import { CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

const CLUSTER = "stream-e2e";
/** The same cluster's commands through an executor on SSE: chunks by POST, cancels as events. */
const SSE_CLUSTER = "stream-e2e-sse";
/** And through one on long-poll, which posts chunks and hears cancels in its poll's answer. */
const POLL_CLUSTER = "stream-e2e-poll";
const dir = mkdtempSync(join(tmpdir(), "kubently-follow-stream-"));
let server: TestServer;
let standin: KubeStandin;
let executor: RunningExecutor;
let sseExecutor: RunningExecutor;
let pollExecutor: RunningExecutor;

beforeAll(async () => {
  [server, standin] = await Promise.all([startTestServer(), startKubeStandin()]);
  executor = await startInProcessExecutor({
    apiUrl: server.url,
    clusterId: CLUSTER,
    token: await server.registerCluster(CLUSTER),
    kubeconfig: standin.kubeconfigPath,
    cacheDir: join(dir, "cache"),
    transport: "ws",
  });
  sseExecutor = await startInProcessExecutor({
    apiUrl: server.url,
    clusterId: SSE_CLUSTER,
    token: await server.registerCluster(SSE_CLUSTER),
    kubeconfig: standin.kubeconfigPath,
    cacheDir: join(dir, "cache-sse"),
    transport: "sse",
  });
  pollExecutor = await startInProcessExecutor({
    apiUrl: server.url,
    clusterId: POLL_CLUSTER,
    token: await server.registerCluster(POLL_CLUSTER),
    kubeconfig: standin.kubeconfigPath,
    cacheDir: join(dir, "cache-poll"),
    transport: "poll",
  });
});
afterAll(async () => {
  await Promise.all([executor.stop(), sseExecutor.stop(), pollExecutor.stop()]);
  await Promise.all([server.stop(), standin.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Posts the command for events; `events` reads them as they come, `leave` goes away. */
const stream = (body: Record<string, unknown>, clusterId = CLUSTER) =>
  postForEvents(server.client, "/debug/execute", { cluster_id: clusterId, ...body });

describe.each([
  ["WebSocket", CLUSTER],
  ["SSE", SSE_CLUSTER],
  ["long-poll", POLL_CLUSTER],
])("streamed to the caller, executor on %s", (_, clusterId) => {
  test("logs -f: chunks arrive as they come, and they add up to the result's output", async () => {
    const { response, events } = await stream(
      {
        command_type: "logs",
        args: ["-f", "deploy/frontend"],
        namespace: "shop",
        follow_seconds: 1,
      },
      clusterId,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const seen: Event[] = [];
    for await (const event of events) seen.push(event);
    expect(seen.map((e) => e.event).filter((name, i, all) => all.indexOf(name) === i)).toEqual([
      "accepted",
      "chunk",
      "result",
    ]);
    const result = seen.at(-1)?.data as unknown as CommandResult;
    expect(result).toMatchObject({ status: "success", follow: { ended_by: "window" } });
    const streamed = seen
      .filter((e) => e.event === "chunk" && e.data.stream === "stdout")
      .map((e) => e.data.text)
      .join("");
    expect(streamed).toBe(result.stdout);
    expect(seen[0]?.data.command_id).toBe(result.command_id);
  });

  test("the first chunk comes while the follow still runs; a caller that leaves has it stopped in the cluster", async () => {
    const { events, leave } = await stream(
      {
        command_type: "logs",
        args: ["--follow", "deploy/frontend"],
        namespace: "shop",
        follow_seconds: 60,
      },
      clusterId,
    );
    const accepted = (await events.next()).value as Event;
    expect(accepted.event).toBe("accepted");
    const first = (await events.next()).value as Event;
    // The window is a minute: a chunk now is output passed on before the command's end.
    expect(first.event).toBe("chunk");
    expect(first.data.text).toContain("Next.js");
    leave();
    const commandId = accepted.data.command_id as string;
    const result = await eventually(async () => {
      const stored = await server.store.getResult(commandId);
      if (!stored) throw new Error("no result yet");
      return stored;
    });
    expect(result.follow?.ended_by).toBe("cancelled");
  });
});

describe("streamed to the caller", () => {
  test("what is refused before anything is queued is the ordinary JSON error", async () => {
    const { response } = await stream({
      command_type: "logs",
      args: ["-f", "deploy/frontend"],
      namespace: "shop",
      follow_seconds: 200,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { details: { code: string } }).details.code).toBe(
      "FOLLOW_WINDOW_TOO_LONG",
    );
  });

  test("a caller that leaves before any executor took the command has it withdrawn: it never runs", async () => {
    const offline = `stream-offline-${crypto.randomUUID().slice(0, 8)}`;
    await server.registerCluster(offline);
    const { events, leave } = await stream(
      { command_type: "logs", args: ["-f", "deploy/frontend"], namespace: "shop", follow_seconds: 60 },
      offline,
    );
    const accepted = (await events.next()).value as Event;
    expect(accepted.event).toBe("accepted");
    const commandId = accepted.data.command_id as string;
    expect((await server.store.commandInfo(commandId))?.state).toBe("pending");
    leave();
    await eventually(async () => {
      const state = (await server.store.commandInfo(commandId))?.state;
      if (state !== "cancelled") throw new Error(`still ${state}`);
    });
    expect(await server.store.queueDepth(offline)).toBe(0);
    expect(await server.store.claim(offline, "late-executor", 10, 30_000, Date.now())).toEqual([]);
  });

  test("kubently exec prints a follow while it runs, each line once; leaving stops it in the cluster", async () => {
    const done = await runKubently(
      ["exec", CLUSTER, "--follow-seconds", "1", "logs", "-f", "deploy/frontend", "-n", "shop"],
      { KUBENTLY_URL: server.url, KUBENTLY_API_KEY: CLIENT_KEY },
    );
    expect(done.code).toBe(0);
    expect(done.stdout).toStartWith("▲ Next.js");
    expect(done.stdout.split("\n").filter((line) => line.includes("Next.js"))).toHaveLength(1);
    expect(done.stderr).toContain("Found 2 pods");

    // A minute's window: its first line printed is output passed on while the follow still runs.
    const correlation = `cli-follow-${crypto.randomUUID()}`;
    const cli = Bun.spawn(
      [
        process.execPath,
        "src/index.ts",
        "exec",
        CLUSTER,
        "--correlation-id",
        correlation,
        "--follow-seconds",
        "60",
      ].concat(["logs", "-f", "deploy/frontend", "-n", "shop"]),
      {
        env: { PATH: process.env.PATH ?? "", KUBENTLY_URL: server.url, KUBENTLY_API_KEY: CLIENT_KEY },
        stdout: "pipe",
        stderr: "ignore",
      },
    );
    let printed = "";
    for await (const chunk of cli.stdout) {
      printed += new TextDecoder().decode(chunk);
      if (printed.includes("Next.js")) break;
    }
    expect(cli.exitCode).toBeNull();
    cli.kill();
    await cli.exited;
    const result = await eventually(async () => {
      const audit = (await (await server.admin(`/audit?cluster_id=${CLUSTER}&limit=1000`)).json()) as {
        entries: { correlation_id?: string; command_id?: string }[];
      };
      const commandId = audit.entries.find((entry) => entry.correlation_id === correlation)?.command_id;
      const stored = commandId ? await server.store.getResult(commandId) : null;
      if (!stored) throw new Error("no result yet");
      return stored;
    });
    expect(result.follow?.ended_by).toBe("cancelled");
  });
});
