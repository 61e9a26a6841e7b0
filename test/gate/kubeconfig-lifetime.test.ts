/**
 * The per-command kubeconfig's lifetime: written only when kubectl runs (a native read never has
 * one), there while kubectl runs, and gone when the command ends, however it ends. Real gate, real
 * stand-in, real native reads and real kubectl; the runner and native reads are only wrapped to look
 * at the runtime folder while the grant is open.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "../../executor/agent";
import { silentLog } from "../../executor/log";
import { createNativeReads, type NativeReads } from "../../executor/native";
import { DEFAULT_POLICY } from "../../executor/policy";
import { createRunner, kubectlEnv, type Runner } from "../../executor/runner";
import type { CommandResult } from "../../src/models";
import { recordingSink } from "../support/agent-doubles";
import { makeCommand } from "../support/fixtures";
import { useGateOnStandin } from "../support/gate-on-standin";

const root = mkdtempSync(join(tmpdir(), "kubently-kubeconfig-life-"));
const runtimeDir = join(root, "grants");
const kubectlHome = join(root, "home");
for (const dir of [runtimeDir, kubectlHome]) mkdirSync(dir);
const kubeconfigs = () => readdirSync(runtimeDir).filter((name) => name.endsWith(".kubeconfig"));
const gate = useGateOnStandin(runtimeDir);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An agent whose native reads and kubectl note what the runtime folder held while they ran. */
function watchedAgent() {
  const seen = { nativeSaw: [] as string[][], kubectlSaw: [] as { path: string; existed: boolean }[] };
  const native = createNativeReads({ kubectl: "kubectl", env: { PATH: process.env.PATH ?? "" } });
  const watchedNative: NativeReads = {
    async answer(argv, fetch) {
      const answer = await native.answer(argv, fetch);
      seen.nativeSaw.push(kubeconfigs());
      return answer;
    },
    async follow(argv, fetch, sink) {
      const answer = await native.follow(argv, fetch, sink);
      seen.nativeSaw.push(kubeconfigs());
      return answer;
    },
  };
  const kubectl = createRunner({
    kubectl: "kubectl",
    env: kubectlEnv(process.env, join(kubectlHome, "cache"), kubectlHome),
  });
  const runner: Runner = (request) => {
    const path = request.env?.KUBECONFIG ?? "";
    seen.kubectlSaw.push({ path, existed: existsSync(path) });
    return kubectl(request);
  };
  const { sink, posted, postedCount } = recordingSink();
  const agent = new Agent({
    clusterId: "alpha",
    version: "t",
    policy: DEFAULT_POLICY,
    runner,
    gate: gate(),
    native: watchedNative,
    sink,
    log: silentLog,
  });
  const run = async (args: Parameters<typeof makeCommand>[1]): Promise<CommandResult> => {
    const command = makeCommand("alpha", args);
    agent.accept(command);
    await postedCount(posted.length + 1);
    const result = posted.find((r) => r.command_id === command.command_id);
    if (!result) throw new Error("no result posted");
    return result;
  };
  return { agent, seen, run };
}

describe("the per-command kubeconfig", () => {
  test("a native read never writes one", async () => {
    const { agent, seen, run } = watchedAgent();
    const result = await run({ command_type: "get", args: ["pods", "-n", "shop"] });
    expect(result).toMatchObject({ status: "success", exit_code: 0 });
    expect(result.api_requests?.made).toBeGreaterThan(0);
    // Answered natively: kubectl never ran, and while the grant was open no file was there.
    expect(seen.kubectlSaw).toEqual([]);
    expect(seen.nativeSaw).toEqual([[]]);
    expect(kubeconfigs()).toEqual([]);
    expect(await agent.drain(5_000)).toBe(true);
  });

  test("a fallback to kubectl gets one while kubectl runs, removed when it succeeds or fails", async () => {
    const { agent, seen, run } = watchedAgent();
    // --chunk-size on describe and one revision of a rollout history are left to kubectl.
    const described = await run({
      command_type: "describe",
      args: ["pods", "-n", "shop", "--chunk-size=10"],
    });
    expect(described).toMatchObject({ status: "success", exit_code: 0 });
    const missing = await run({
      command_type: "rollout",
      args: ["history", "deployment/no-such-deployment", "-n", "shop", "--revision=2"],
    });
    expect(missing.status).toBe("failure");
    expect(missing.stderr).toContain("no-such-deployment");
    expect(seen.kubectlSaw).toHaveLength(2);
    for (const { path, existed } of seen.kubectlSaw) {
      expect(path.startsWith(runtimeDir)).toBe(true);
      expect(existed).toBe(true);
      expect(existsSync(path)).toBe(false);
    }
    expect(kubeconfigs()).toEqual([]);
    expect(await agent.drain(5_000)).toBe(true);
  });

  test("a following fallback stopped by its window leaves none behind", async () => {
    const { agent, seen, run } = watchedAgent();
    const result = await run({
      command_type: "get",
      // A table of watch events is left to kubectl.
      args: ["pods", "-n", "shop", "--watch", "--output-watch-events"],
      timeout_seconds: 10,
      follow_seconds: 1,
    });
    expect(result.follow?.ended_by).toBe("window");
    expect(seen.kubectlSaw).toHaveLength(1);
    expect(seen.kubectlSaw[0]?.existed).toBe(true);
    expect(kubeconfigs()).toEqual([]);
    expect(await agent.drain(5_000)).toBe(true);
  });

  test("a closed grant writes no file; one asked for before close is removed by it", () => {
    const unused = gate().open({ commandId: crypto.randomUUID(), serviceIdentity: "agent" });
    unused.close();
    expect(() => unused.kubeconfigPath()).toThrow("closed");
    expect(kubeconfigs()).toEqual([]);
    const used = gate().open({ commandId: crypto.randomUUID(), serviceIdentity: "agent" });
    const path = used.kubeconfigPath();
    expect(used.kubeconfigPath()).toBe(path);
    expect(kubeconfigs()).toEqual([path.slice(runtimeDir.length + 1)]);
    used.close();
    expect(existsSync(path)).toBe(false);
    expect(() => used.kubeconfigPath()).toThrow("closed");
  });
});
