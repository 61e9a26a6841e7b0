/**
 * The agent's own rules, with a runner the test controls (kubectl itself is exercised end to end in
 * test/e2e): redelivered commands are not run twice, late ones not at all, and concurrency is bounded.
 */
import { describe, expect, test } from "bun:test";
import { Agent } from "../../executor/agent";
import { type ExecutorLog, silentLog } from "../../executor/log";
import { DEFAULT_POLICY, type Policy } from "../../executor/policy";
import { gatedRunner, recordingSink } from "../support/agent-doubles";
import { makeCommand } from "../support/fixtures";

const policy = (overrides: Partial<Policy> = {}): Policy => ({ ...DEFAULT_POLICY, ...overrides });

describe("agent", () => {
  test("a command delivered twice runs once; the repeat after completion re-sends the result", async () => {
    const { runner, started, startedCount } = gatedRunner();
    const { sink, posted, postedCount } = recordingSink();
    const agent = new Agent({
      clusterId: "alpha",
      version: "t",
      policy: policy(),
      runner,
      sink,
      log: silentLog,
    });
    const command = makeCommand("alpha", { args: ["pods"] });
    agent.accept(command);
    agent.accept(command);
    await startedCount(1);
    started[0]?.finish("pods!");
    await postedCount(1);
    agent.accept(command);
    await postedCount(2);
    expect(started).toHaveLength(1);
    expect(posted.map((r) => r.stdout)).toEqual(["pods!", "pods!"]);
  });

  test("a command whose deadline has passed is answered as a timeout without running", async () => {
    const { runner, started } = gatedRunner();
    const { sink, posted, postedCount } = recordingSink();
    const agent = new Agent({
      clusterId: "alpha",
      version: "t",
      policy: policy(),
      runner,
      sink,
      log: silentLog,
    });
    agent.accept(makeCommand("alpha", { deadline_ms: Date.now() - 1 }));
    await postedCount(1);
    expect(started).toHaveLength(0);
    expect(posted[0]).toMatchObject({ status: "timeout", exit_code: null });
  });

  test("a denied command never reaches the runner and carries the policy's code", async () => {
    const { runner, started } = gatedRunner();
    const { sink, posted, postedCount } = recordingSink();
    const agent = new Agent({
      clusterId: "alpha",
      version: "t",
      policy: policy(),
      runner,
      sink,
      log: silentLog,
    });
    agent.accept(makeCommand("alpha", { command_type: "delete", args: ["pod", "x"] }));
    await postedCount(1);
    expect(started).toHaveLength(0);
    expect(posted[0]).toMatchObject({ status: "denied", denial_code: "VERB_NOT_ALLOWED" });
  });

  test("no more than maxConcurrency commands run at once; the rest wait their turn", async () => {
    const { runner, started, startedCount } = gatedRunner();
    const { sink, postedCount } = recordingSink();
    const agent = new Agent({
      clusterId: "alpha",
      version: "t",
      policy: policy({ maxConcurrency: 2 }),
      runner,
      sink,
      log: silentLog,
    });
    for (let i = 0; i < 5; i++) agent.accept(makeCommand("alpha", { args: ["pods", `p${i}`] }));
    await startedCount(2);
    expect(started).toHaveLength(2);
    // All five are in hand; three wait for a kubectl slot, which the slots share among principals.
    expect(agent.running).toBe(5);
    started[0]?.finish("done");
    await startedCount(3);
    expect(started).toHaveLength(3);
    for (const run of started.slice(1)) run.finish("done");
    await startedCount(5);
    for (const run of started.slice(3)) run.finish("done");
    await postedCount(5);
    expect(started.map((s) => s.request.argv.at(-1))).toEqual(["p0", "p1", "p2", "p3", "p4"]);
  });

  test("the run is bounded by the command's timeout, the policy's maximum and the deadline", async () => {
    const { runner, started, startedCount } = gatedRunner();
    const { sink } = recordingSink();
    const agent = new Agent({
      clusterId: "alpha",
      version: "t",
      policy: policy({ maxTimeoutSeconds: 10 }),
      runner,
      sink,
      log: silentLog,
    });
    agent.accept(makeCommand("alpha", { timeout_seconds: 60, deadline_ms: Date.now() + 60_000 }));
    await startedCount(1);
    expect(started[0]?.request.timeoutMs).toBe(10_000);
    started[0]?.finish("");
  });

  test("a command that fails inside the executor is answered as a failure and the next one still runs", async () => {
    const { sink, posted, postedCount } = recordingSink();
    let calls = 0;
    const agent = new Agent({
      clusterId: "alpha",
      version: "t",
      policy: policy({ maxConcurrency: 1 }),
      runner: async (request) => {
        calls++;
        if (calls === 1) throw new Error("runner broke");
        return {
          exitCode: 0,
          stdout: request.argv.join(" "),
          stderr: "",
          truncated: false,
          timedOut: false,
          durationMs: 1,
        };
      },
      sink,
      log: silentLog,
    });
    const broken = makeCommand("alpha", { args: ["pods", "first"] });
    agent.accept(broken);
    agent.accept(makeCommand("alpha", { args: ["pods", "second"] }));
    await postedCount(2);
    expect(posted[0]).toMatchObject({ command_id: broken.command_id, status: "failure", exit_code: null });
    expect(posted[1]).toMatchObject({ status: "success", stdout: "get pods second" });
  });

  test("argv in log lines has the values of --token and --password masked", async () => {
    const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
    const log: ExecutorLog = (_level, msg, fields) => lines.push({ msg, fields });
    const { sink, postedCount } = recordingSink();
    const agent = new Agent({
      clusterId: "alpha",
      version: "t",
      policy: policy(),
      runner: gatedRunner().runner,
      sink,
      log,
    });
    agent.accept(makeCommand("alpha", { args: ["pods", "--token=kbt_secret1", "--password", "hunter2"] }));
    await postedCount(1);
    const denied = lines.find((line) => line.msg === "command denied");
    expect(denied?.fields?.argv).toEqual(["get", "pods", "--token=***", "--password", "***"]);
    expect(JSON.stringify(lines)).not.toMatch(/kbt_secret1|hunter2/);
  });
});
