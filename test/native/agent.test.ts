/**
 * Native reads in the agent: a command they answer needs no kubectl process, so it is answered
 * while every process slot is taken; one they do not answer waits for a slot like any other.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "../../executor/agent";
import { type ClusterGate, resolveClusterAccess, startGate } from "../../executor/gate";
import { silentLog } from "../../executor/log";
import { createNativeReads } from "../../executor/native";
import { DEFAULT_POLICY } from "../../executor/policy";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { gatedRunner, recordingSink } from "../support/agent-doubles";
import { makeCommand } from "../support/fixtures";

let standin: KubeStandin;
let gate: ClusterGate;
const runtimeDir = mkdtempSync(join(tmpdir(), "kubently-native-agent-"));
beforeAll(async () => {
  standin = await startKubeStandin();
  const access = resolveClusterAccess({ KUBECONFIG: standin.kubeconfigPath }, { serviceAccountDir: "/none" });
  gate = await startGate({ policy: DEFAULT_POLICY, access, version: "t", runtimeDir, log: silentLog });
});
afterAll(async () => {
  await gate.stop();
  await standin.stop();
  rmSync(runtimeDir, { recursive: true, force: true });
});

describe("native reads in the agent", () => {
  test("a native read is answered while the only kubectl slot is held; a fallback waits for it", async () => {
    const { runner, started, startedCount } = gatedRunner();
    const { sink, posted, postedCount } = recordingSink();
    const agent = new Agent({
      clusterId: "alpha",
      version: "t",
      policy: { ...DEFAULT_POLICY, maxConcurrency: 1 },
      runner,
      gate,
      native: createNativeReads({ kubectl: "kubectl", env: { PATH: process.env.PATH ?? "" } }),
      sink,
      log: silentLog,
    });
    const slow = makeCommand("alpha", { command_type: "describe", args: ["pods", "-n", "shop"] });
    const waiting = makeCommand("alpha", { command_type: "events", args: ["-n", "shop"] });
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
    expect(started[1]?.request.argv[0]).toBe("events");
    started[1]?.finish("events\n");
    await postedCount(3);
    expect(await agent.drain(5_000)).toBe(true);
  });
});
