/**
 * A Redis failover under load, for test/load/sentinel-failover.test.ts (which asserts the counts) and
 * bench/scenarios/sentinel-failover.ts (which reports the times): Redis with Sentinel, two
 * `kubently serve` processes on redis+sentinel://, a real executor process on each (echo runner), and
 * callers sending numbered commands to both replicas in turn. Once enough are answered the primary is
 * SIGKILLed; the run goes on until enough commands sent after the kill are answered too.
 *
 * Every request ends one way: answered with its own command's output, answered with another's
 * (wrong), refused (a status and code), or failed at the socket. Afterwards each answered command is
 * looked up through the promoted primary: one it no longer knows was a write the failover lost.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult } from "../../src/models";
import { openStore } from "../../src/store";
import { executorEnv } from "./executor";
import { type Spawned, spawnProcess } from "./process";
import { type SentinelSettings, startSentinelTopology } from "./redis-sentinel";
import { startServe } from "./serve";

const API_KEY = "failover-agent-key-0123456789";
const ADMIN_KEY = "failover-admin-key-0123456789";
const PREFIX = "failover:";
const CLUSTER = "failover";
/** A refused caller tries again after this long, as a client honouring a retryable 503 would. */
const RETRY_AFTER_MS = 50;

export interface FailoverRun {
  settings: SentinelSettings;
  /** `wait_replicas` in the store URL (0: writes are acknowledged by the primary alone). */
  waitReplicas: number;
  /** Callers sending at once. */
  callers: number;
  /** Commands answered before the primary is killed. */
  before: number;
  /** Commands sent after the kill that must be answered before the run ends. */
  after: number;
  /** Bounds on the whole run: requests sent, and time under load. */
  maxRequests: number;
  maxMs: number;
}

export interface FailoverOutcome {
  requests: number;
  /** 200 with the output of the caller's own command. */
  answered: number;
  /** 200 with any other output. */
  wrong: number;
  /** Refusals by `status code`, e.g. `503 STORE_UNAVAILABLE`. */
  refused: Record<string, number>;
  /** Requests that failed at the socket (no HTTP answer at all). */
  failed: number;
  /** Answered commands the promoted primary does not have as done: writes the failover lost. */
  forgotten: number;
  /** Milliseconds from the kill. */
  times: {
    promoted: number;
    first_refusal: number | null;
    last_refusal: number | null;
    /** The first answer to a command sent after the kill. */
    first_answer_after: number;
    /** The old primary back as a replica (only where the settings need it to take writes). */
    rejoined: number | null;
  };
  /** The slowest answer of the run, sent to answered, ms: a waiter that missed its result's event. */
  slowest_answer_ms: number;
}

/**
 * When the replicas left after the kill are fewer than the settings need (`min-replicas-to-write`,
 * `wait_replicas`), the promoted primary takes no write until a replica is back: the run restarts
 * the killed server then, which Sentinel turns into the new primary's replica.
 */
export async function runFailover(run: FailoverRun): Promise<FailoverOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "kubently-failover-"));
  const topology = await startSentinelTopology(run.settings);
  const processes: Spawned[] = [];
  try {
    const storeUrl = `${topology.url}${run.waitReplicas > 0 ? `?wait_replicas=${run.waitReplicas}` : ""}`;
    const env = {
      KUBENTLY_API_KEYS: `agent:${API_KEY}`,
      KUBENTLY_ADMIN_KEYS: `ops:${ADMIN_KEY}`,
      KUBENTLY_REDIS_PREFIX: PREFIX,
      KUBENTLY_ACCESS_LOG: "off",
    };
    const replicas = await Promise.all([
      startServe(["--store", storeUrl], env),
      startServe(["--store", storeUrl], env),
    ]);
    processes.push(...replicas.map((replica) => replica.process));
    const issued = await fetch(`${replicas[0]?.url}/admin/clusters/${CLUSTER}/token`, {
      method: "POST",
      headers: { "x-api-key": ADMIN_KEY },
    });
    const { token } = (await issued.json()) as { token: string };
    for (const [i, replica] of replicas.entries()) {
      const executor = spawnProcess([process.execPath, "executor/index.ts"], {
        ...executorEnv({
          apiUrl: replica.url,
          clusterId: CLUSTER,
          token,
          kubeconfig: "/dev/null",
          cacheDir: join(dir, `cache-${i}`),
        }),
        KUBENTLY_RUNNER: "echo",
      });
      processes.push(executor);
      await executor.waitForLine(/"msg":"connected"/);
    }

    const outcome: FailoverOutcome = {
      requests: 0,
      answered: 0,
      wrong: 0,
      refused: {},
      failed: 0,
      forgotten: 0,
      times: { promoted: 0, first_refusal: null, last_refusal: null, first_answer_after: 0, rejoined: null },
      slowest_answer_ms: 0,
    };
    const answeredIds: string[] = [];
    let killedAt = Number.POSITIVE_INFINITY;
    let answeredAfter = 0;
    let stop = false;
    const started = performance.now();
    /** Resolves when `count()` reaches `target`; checked after every answer. */
    const milestones: { reached: () => boolean; resolve: () => void }[] = [];
    const milestone = (reached: () => boolean) =>
      new Promise<void>((resolve) => {
        if (reached()) resolve();
        else milestones.push({ reached, resolve });
      });

    const caller = async () => {
      while (!stop && outcome.requests < run.maxRequests && performance.now() - started < run.maxMs) {
        const i = outcome.requests++;
        const sentAt = performance.now();
        const response = await fetch(`${replicas[i % 2]?.url}/debug/execute`, {
          method: "POST",
          headers: { "x-api-key": API_KEY, "content-type": "application/json" },
          body: JSON.stringify({
            cluster_id: CLUSTER,
            command_type: "get",
            args: ["pod", `p-${i}`],
            timeout_seconds: 30,
          }),
        }).catch(() => null);
        const at = performance.now();
        if (!response) {
          outcome.failed++;
          continue;
        }
        if (response.status === 200) {
          const result = (await response.json()) as CommandResult;
          if (result.stdout !== `get pod p-${i}\n`) {
            outcome.wrong++;
            continue;
          }
          outcome.answered++;
          answeredIds.push(result.command_id);
          outcome.slowest_answer_ms = Math.max(outcome.slowest_answer_ms, at - sentAt);
          if (sentAt > killedAt && answeredAfter++ === 0) outcome.times.first_answer_after = at - killedAt;
          for (const m of milestones.splice(0)) {
            if (m.reached()) m.resolve();
            else milestones.push(m);
          }
          continue;
        }
        const body = (await response.json().catch(() => null)) as { details?: { code?: string } } | null;
        const kind = `${response.status} ${body?.details?.code ?? "?"}`;
        outcome.refused[kind] = (outcome.refused[kind] ?? 0) + 1;
        if (at > killedAt) {
          outcome.times.first_refusal ??= at - killedAt;
          outcome.times.last_refusal = at - killedAt;
        }
        await Bun.sleep(RETRY_AFTER_MS);
      }
    };
    const callers = Array.from({ length: run.callers }, caller);
    const bounded = Promise.all(callers).then(() => {
      if (!stop) throw new Error(`the run hit its bounds: ${JSON.stringify(outcome)}`);
    });
    // Raced below at each step; handled here too, so a breach while the topology works is not unhandled.
    bounded.catch(() => undefined);

    await Promise.race([milestone(() => outcome.answered >= run.before), bounded]);
    const { killedAt: killed, promotedAt } = await topology.killPrimary();
    killedAt = killed;
    outcome.times.promoted = promotedAt - killedAt;
    if (Math.max(run.settings.minReplicasToWrite, run.waitReplicas) > run.settings.replicas - 1) {
      outcome.times.rejoined = (await topology.rejoin()) - killedAt;
    }
    await Promise.race([milestone(() => answeredAfter >= run.after), bounded]);
    stop = true;
    await Promise.all(callers);

    const store = await openStore(topology.url, { redisPrefix: PREFIX });
    try {
      for (const id of answeredIds) {
        if ((await store.commandInfo(id))?.state !== "done") outcome.forgotten++;
      }
    } finally {
      await store.close();
    }
    return outcome;
  } finally {
    for (const spawned of processes) {
      spawned.proc.kill("SIGKILL");
      await spawned.proc.exited;
    }
    await topology.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
