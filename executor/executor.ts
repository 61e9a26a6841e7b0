/**
 * One running executor: policy, runner, agent, result poster and connection wired together.
 * `stop()` is the graceful path: stop taking commands, let running ones finish and report, leave.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { Agent } from "./agent";
import { type ExecutorConfig, ExecutorConfigError } from "./config";
import { stayConnected } from "./connection";
import { type ClusterGate, resolveClusterAccess, startGate } from "./gate";
import { startHeartbeat } from "./liveness";
import type { ExecutorLog } from "./log";
import { createNativeReads, type NativeReads } from "./native";
import { loadPolicy } from "./policy";
import { policyHeader, policyReport } from "./policy-report";
import { ResultPoster } from "./results";
import { createRunner, echoRunner, kubectlEnv, type Runner } from "./runner";
import type { TransportName } from "./transports/types";

export const EXECUTOR_VERSION: string = pkg.version;

declare const KUBENTLY_COMMIT: string | undefined;

/** What `--version` prints: `0.1.0 (abc1234)`, with the commit build.ts embeds ("dev" from source). */
export const EXECUTOR_VERSION_WITH_COMMIT = `${EXECUTOR_VERSION} (${typeof KUBENTLY_COMMIT === "string" ? KUBENTLY_COMMIT : "dev"})`;

export interface RunningExecutor {
  /** Resolves each time a connection is established, with its transport. */
  connected: () => Promise<TransportName>;
  stop(drainMs?: number): Promise<void>;
}

export interface StartOptions {
  log: ExecutorLog;
  env: Record<string, string | undefined>;
}

/**
 * kubectl's side of a real cluster: the gate, holding the credentials, a runner whose kubectl
 * reaches the cluster through it alone, and native reads unless the policy turns them off. Its
 * private folder holds kubectl's HOME and the per-command kubeconfigs, and goes when the executor stops.
 */
async function startClusterSide(
  config: ExecutorConfig,
  policy: ReturnType<typeof loadPolicy>,
  { log, env }: StartOptions,
): Promise<{
  runner: Runner;
  gate: ClusterGate;
  native: NativeReads | undefined;
  source: string;
  close(): Promise<void>;
}> {
  const access = resolveClusterAccess(env, { serviceAccountDir: config.serviceAccountDir });
  const runtimeDir = mkdtempSync(join(tmpdir(), "kubently-gate-"));
  const gate = await startGate({ policy, access, version: EXECUTOR_VERSION, runtimeDir, log });
  const kubectl = { kubectl: config.kubectl, env: kubectlEnv(env, config.cacheDir, runtimeDir) };
  return {
    gate,
    source: access.source,
    runner: createRunner(kubectl),
    native: policy.nativeReads ? createNativeReads({ ...kubectl, controlPlane: access.server }) : undefined,
    async close() {
      await gate.stop();
      rmSync(runtimeDir, { recursive: true, force: true });
    },
  };
}

/** The heartbeat, when a file is named; one that cannot be written stops the start, as bad config does. */
function startLivenessSignal(file: string | undefined) {
  if (file === undefined) return undefined;
  try {
    return startHeartbeat(file);
  } catch (error) {
    throw new ExecutorConfigError(
      `KUBENTLY_LIVENESS_FILE: cannot write ${file}: ${(error as Error).message}`,
    );
  }
}

export async function startExecutor(config: ExecutorConfig, options: StartOptions): Promise<RunningExecutor> {
  const { log } = options;
  const policy = loadPolicy(config.policyFile);
  const cluster = config.runner === "echo" ? undefined : await startClusterSide(config, policy, options);
  const endpoint = {
    apiUrl: config.apiUrl,
    clusterId: config.clusterId,
    version: EXECUTOR_VERSION,
    executorId: crypto.randomUUID(),
    token: config.token,
    tls: config.caBundle ? { ca: config.caBundle } : undefined,
    policy: policyHeader(
      policyReport(policy, { version: EXECUTOR_VERSION, nativeReads: cluster?.native !== undefined }),
      log,
    ),
  };
  const results = new ResultPoster(endpoint, log);
  const agent = new Agent({
    clusterId: config.clusterId,
    version: EXECUTOR_VERSION,
    policy,
    runner: cluster?.runner ?? echoRunner,
    gate: cluster?.gate,
    native: cluster?.native,
    sink: results,
    chunks: results,
    log,
  });
  const heartbeat = startLivenessSignal(config.livenessFile);
  const stopping = new AbortController();
  const waiters: ((transport: TransportName) => void)[] = [];
  log("info", "executor starting", {
    cluster_id: config.clusterId,
    api_url: config.apiUrl,
    transport: config.transport,
    version: EXECUTOR_VERSION,
    policy_mode: policy.mode,
    native_reads: policy.nativeReads,
    runner: config.runner,
    ...(cluster ? { cluster_access: cluster.source, gate: cluster.gate.url } : {}),
  });
  const loop = stayConnected({
    endpoint,
    choice: config.transport,
    accept: (command) => agent.accept(command),
    cancel: (commandId) => agent.cancel(commandId),
    results,
    log,
    signal: stopping.signal,
    onConnected: (transport) => {
      for (const waiter of waiters.splice(0)) waiter(transport);
    },
  });

  return {
    connected: () => new Promise((resolve) => waiters.push(resolve)),
    async stop(drainMs = 30_000) {
      // A stopping executor may take its drain time; the kubelet is already waiting for it to end.
      heartbeat?.stop();
      agent.stopAccepting();
      // Counted now: a command may finish while the connection loop winds down below.
      const running = agent.running;
      log("info", "executor stopping: taking no new commands", { running });
      stopping.abort();
      await loop;
      const drained = await agent.drain(drainMs);
      await cluster?.close();
      log(drained ? "info" : "warn", "executor stopped", { finished_while_stopping: running, drained });
    },
  };
}
