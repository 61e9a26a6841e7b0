/**
 * One running executor: policy, runner, agent, result poster and connection wired together.
 * `stop()` is the graceful path: stop taking commands, let running ones finish and report, leave.
 */
import { mkdirSync } from "node:fs";
import pkg from "../package.json" with { type: "json" };
import { Agent } from "./agent";
import type { ExecutorConfig } from "./config";
import { stayConnected } from "./connection";
import type { ExecutorLog } from "./log";
import { loadPolicy } from "./policy";
import { ResultPoster } from "./results";
import { createRunner, echoRunner, kubectlEnv } from "./runner";
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

export function startExecutor(config: ExecutorConfig, { log, env }: StartOptions): RunningExecutor {
  const policy = loadPolicy(config.policyFile);
  mkdirSync(config.cacheDir, { recursive: true });
  const endpoint = {
    apiUrl: config.apiUrl,
    clusterId: config.clusterId,
    version: EXECUTOR_VERSION,
    executorId: crypto.randomUUID(),
    token: config.token,
    tls: config.caBundle ? { ca: config.caBundle } : undefined,
  };
  const results = new ResultPoster(endpoint, log);
  const agent = new Agent({
    clusterId: config.clusterId,
    version: EXECUTOR_VERSION,
    policy,
    runner:
      config.runner === "echo"
        ? echoRunner
        : createRunner({ kubectl: config.kubectl, env: kubectlEnv(env, config.cacheDir) }),
    sink: results,
    log,
  });
  const stopping = new AbortController();
  const waiters: ((transport: TransportName) => void)[] = [];
  log("info", "executor starting", {
    cluster_id: config.clusterId,
    api_url: config.apiUrl,
    transport: config.transport,
    version: EXECUTOR_VERSION,
    policy_mode: policy.mode,
    runner: config.runner,
  });
  const loop = stayConnected({
    endpoint,
    choice: config.transport,
    accept: (command) => agent.accept(command),
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
      agent.stopAccepting();
      log("info", "executor stopping: taking no new commands", { running: agent.running });
      stopping.abort();
      await loop;
      const running = agent.running;
      const drained = await agent.drain(drainMs);
      log(drained ? "info" : "warn", "executor stopped", { finished_while_stopping: running, drained });
    },
  };
}
