/**
 * The cluster gate with real kubectl behind it and the Kubernetes API stand-in in front: a test
 * opens a grant as the agent would and runs kubectl with that grant's kubeconfig only, so what
 * kubectl reaches is decided by the gate alone (the argv layer is left out on purpose).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FollowBounds } from "../../executor/follow-bounds";
import {
  type Caller,
  type ClusterGate,
  type GateReport,
  resolveClusterAccess,
  startGate,
} from "../../executor/gate";
import { silentLog } from "../../executor/log";
import { createNativeReads, type NativeOutput } from "../../executor/native";
import { runNatively } from "../../executor/native/run";
import { type Policy, policyFrom } from "../../executor/policy";
import { createRunner, kubectlEnv, type RunOutcome, type RunRequest } from "../../executor/runner";
import type { KubeStandin, RecordedRequest } from "../k8s/standin";

export interface GateRun {
  outcome: RunOutcome;
  report: GateReport;
  /** What the stand-in received while this command ran. */
  received: RecordedRequest[];
}

export interface GateHarness {
  gate: ClusterGate;
  policy: Policy;
  run(argv: string[], caller?: Partial<Caller>): Promise<GateRun>;
  /** The same argv answered by native reads through a grant; undefined when they fall back. */
  native(argv: string[]): Promise<{ output: NativeOutput | undefined; report: GateReport }>;
  /**
   * `argv` run as the agent runs a following command (`logs -f`), under `bounds`, by kubectl or by
   * native reads (undefined when they fall back); `watch` sees its output as it arrives, or stops it.
   */
  follow(
    argv: string[],
    by: "kubectl" | "native",
    bounds: FollowBounds,
    watch?: Pick<RunRequest, "onOutput" | "signal">,
  ): Promise<RunOutcome | undefined>;
  stop(): Promise<void>;
}

export async function startGateHarness(
  standin: KubeStandin,
  policyDocument: Record<string, unknown> = {},
  env: Record<string, string | undefined> = { KUBECONFIG: standin.kubeconfigPath },
): Promise<GateHarness> {
  const policy = policyFrom(policyDocument);
  const runtimeDir = mkdtempSync(join(tmpdir(), "kubently-gate-test-"));
  const cacheDir = join(runtimeDir, "cache");
  const access = resolveClusterAccess(env, { serviceAccountDir: env.SA_DIR ?? "/nonexistent" });
  const gate = await startGate({ policy, access, version: "test", runtimeDir, log: silentLog });
  const nativeReads = createNativeReads({
    kubectl: "kubectl",
    env: { PATH: process.env.PATH ?? "" },
    controlPlane: access.server,
  });
  const runner = createRunner({ kubectl: "kubectl", env: kubectlEnv(process.env, cacheDir, runtimeDir) });
  return {
    gate,
    policy,
    async run(argv, caller = {}) {
      const grant = gate.open({
        commandId: caller.commandId ?? crypto.randomUUID(),
        serviceIdentity: caller.serviceIdentity ?? "agent",
        ...(caller.correlationId ? { correlationId: caller.correlationId } : {}),
      });
      const before = standin.requests.length;
      const outcome = await runner({
        argv,
        timeoutMs: 20_000,
        maxOutputBytes: 1 << 20,
        keep: "head",
        env: { KUBECONFIG: grant.kubeconfigPath() },
      });
      const report = grant.close();
      return { outcome, report, received: standin.requests.slice(before) };
    },
    async native(argv) {
      const grant = gate.open({ commandId: crypto.randomUUID(), serviceIdentity: "agent" });
      try {
        const output = await nativeReads.answer(argv, grant.fetch);
        return { output, report: grant.close() };
      } catch (error) {
        grant.close();
        throw error;
      }
    },
    async follow(argv, by, bounds, watch = {}) {
      const grant = gate.open({ commandId: crypto.randomUUID(), serviceIdentity: "agent" });
      const request: RunRequest = {
        argv,
        timeoutMs: 30_000,
        maxOutputBytes: 1 << 20,
        keep: "tail",
        follow: bounds,
        ...watch,
      };
      try {
        return by === "native"
          ? await runNatively(nativeReads, request, grant.fetch)
          : await runner({ ...request, env: { KUBECONFIG: grant.kubeconfigPath() } });
      } finally {
        grant.close();
      }
    },
    async stop() {
      await gate.stop();
      rmSync(runtimeDir, { recursive: true, force: true });
    },
  };
}
