/**
 * Native reads in the agent: a command they answer needs no kubectl process, so it is answered
 * while every process slot is taken; one they do not answer waits for a slot like any other. A
 * native read logs one line, a command kubectl runs two (when kubectl starts and when it ends).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "../../executor/agent";
import { type ExecutorLog, silentLog } from "../../executor/log";
import { createNativeReads } from "../../executor/native";
import { DEFAULT_POLICY } from "../../executor/policy";
import type { OutputChunk } from "../../src/models";
import { gatedRunner, recordingSink } from "../support/agent-doubles";
import { makeCommand } from "../support/fixtures";
import { useGateOnStandin } from "../support/gate-on-standin";

const runtimeDir = mkdtempSync(join(tmpdir(), "kubently-native-agent-"));
const gate = useGateOnStandin(runtimeDir);
afterAll(() => rmSync(runtimeDir, { recursive: true, force: true }));

/** An agent with native reads through the test's gate, kubectl being `runner`. */
const nativeAgent = (
  options: Omit<ConstructorParameters<typeof Agent>[0], "clusterId" | "version" | "gate" | "native">,
) =>
  new Agent({
    clusterId: "alpha",
    version: "t",
    gate: gate(),
    native: createNativeReads({ kubectl: "kubectl", env: { PATH: process.env.PATH ?? "" } }),
    ...options,
  });

describe("native reads in the agent", () => {
  test("a native read is answered while the only kubectl slot is held; a fallback waits for it", async () => {
    const { runner, started, startedCount } = gatedRunner();
    const { sink, posted, postedCount } = recordingSink();
    const agent = nativeAgent({
      policy: { ...DEFAULT_POLICY, maxConcurrency: 1 },
      runner,
      sink,
      log: silentLog,
    });
    // --chunk-size on describe is a flag native reads leave to kubectl.
    const slow = makeCommand("alpha", {
      command_type: "describe",
      args: ["pods", "-n", "shop", "--chunk-size=10"],
    });
    const waiting = makeCommand("alpha", {
      command_type: "describe",
      args: ["services", "-n", "shop", "--chunk-size=10"],
    });
    const native = makeCommand("alpha", { command_type: "get", args: ["pods", "-n", "shop"] });
    agent.accept(slow);
    await startedCount(1);
    agent.accept(waiting);
    agent.accept(native);
    await postedCount(1);
    expect(posted[0]).toMatchObject({ command_id: native.command_id, status: "success", exit_code: 0 });
    expect(posted[0]?.stdout).toStartWith("NAME");
    expect(started.map((run) => run.request.argv[0])).toEqual(["describe"]);
    started[0]?.finish("described\n");
    await startedCount(2);
    expect(started[1]?.request.argv.slice(0, 2)).toEqual(["describe", "services"]);
    started[1]?.finish("described\n");
    await postedCount(3);
    expect(await agent.drain(5_000)).toBe(true);
  });

  test("a command logs one info line, with its argv, when it ends; a fallback says at debug when kubectl starts", async () => {
    const { runner, started, startedCount } = gatedRunner();
    const { sink, postedCount } = recordingSink();
    const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
    const log: ExecutorLog = (level, msg, fields = {}) => lines.push({ level, msg, fields });
    const agent = nativeAgent({
      policy: DEFAULT_POLICY,
      runner,
      sink,
      log,
    });
    const native = makeCommand("alpha", { command_type: "get", args: ["pods", "-n", "shop"] });
    agent.accept(native);
    await postedCount(1);
    expect(lines).toEqual([
      {
        level: "info",
        msg: "command finished",
        fields: expect.objectContaining({
          command_id: native.command_id,
          native: true,
          argv: ["get", "pods", "-n", "shop"],
        }),
      },
    ]);
    lines.length = 0;
    const fallback = makeCommand("alpha", {
      command_type: "describe",
      args: ["pods", "-n", "shop", "--chunk-size=10"],
    });
    agent.accept(fallback);
    await startedCount(1);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([["debug", "command started"]]);
    expect(lines[0]?.fields.argv).toEqual(["describe", "pods", "-n", "shop", "--chunk-size=10"]);
    started[0]?.finish("described\n");
    await postedCount(2);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      ["debug", "command started"],
      ["info", "command finished"],
    ]);
    expect(lines[1]?.fields).toMatchObject({
      command_id: fallback.command_id,
      native: false,
      argv: ["describe", "pods", "-n", "shop", "--chunk-size=10"],
    });
    expect(await agent.drain(5_000)).toBe(true);
  });

  test("a native follow holds no kubectl slot: answered while the only one is taken, streamed as it comes", async () => {
    const { runner, started, startedCount } = gatedRunner();
    const { sink, posted, postedCount } = recordingSink();
    const chunks: OutputChunk[] = [];
    const lines: { msg: string; fields: Record<string, unknown> }[] = [];
    const agent = nativeAgent({
      policy: { ...DEFAULT_POLICY, maxConcurrency: 1 },
      runner,
      sink,
      chunks: { chunk: (chunk) => chunks.push(chunk), chunksSent: async () => {} },
      log: (_, msg, fields = {}) => lines.push({ msg, fields }),
    });
    // --chunk-size on describe is a flag native reads leave to kubectl: it takes the one slot and keeps it.
    agent.accept(
      makeCommand("alpha", { command_type: "describe", args: ["pods", "-n", "shop", "--chunk-size=10"] }),
    );
    await startedCount(1);
    const follow = makeCommand("alpha", {
      command_type: "logs",
      args: ["-f", "deploy/frontend"],
      namespace: "shop",
      follow_seconds: 30,
      follow_lines: 3,
      stream_output: true,
    });
    agent.accept(follow);
    await postedCount(1);
    expect(posted[0]).toMatchObject({
      command_id: follow.command_id,
      status: "success",
      exit_code: 0,
      follow: { ended_by: "lines" },
    });
    expect(posted[0]?.stdout.split("\n")).toHaveLength(4);
    // What was streamed, put together, is the result's output, stream by stream.
    for (const stream of ["stdout", "stderr"] as const) {
      const streamed = chunks.filter((c) => c.stream === stream).map((c) => c.text);
      expect(streamed.join("")).toBe(posted[0]?.[stream] as string);
    }
    expect(lines.find((line) => line.fields.command_id === follow.command_id)?.fields.native).toBe(true);
    expect(started).toHaveLength(1);
    started[0]?.finish("described\n");
    await postedCount(2);
    expect(await agent.drain(5_000)).toBe(true);
  });
});
