/**
 * Metrics: one prom-client registry per app (several apps in one process never share series),
 * plus the process's own metrics (CPU, memory, event loop), collected once per process and added
 * to every scrape. Other modules report through the narrow recorders below; what the store knows
 * (queue depth, active sessions, unavailability) is read when scraped, so it costs nothing between
 * scrapes.
 *
 * Label values stay bounded: routes are templates, methods and statuses a small set, error codes
 * the API's own, cluster ids those registered by an admin (only they can queue or post results),
 * transports three. A revoked cluster's series remain until the process restarts; its queue depth
 * disappears at the next scrape.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { EdgeRecorder } from "../../http/core";
import type { CommandResult } from "../../models";
import { nowMs, type Store } from "../../store";
import type { RateScope } from "../limits/service";
import { RequestSeries } from "./requests";
import { ClusterHistogram } from "./series";

export interface CommandRecorder {
  /** A command's first result was stored: once per command, on the replica that received it. */
  commandResult(result: CommandResult): void;
  /** A command reached its deadline without a result and was withdrawn. */
  commandExpired(clusterId: string, outcome: "offline" | "timeout"): void;
  /** A waiting caller got its command's result `seconds` after the command was queued. */
  commandWaited(clusterId: string, seconds: number): void;
}

export interface Metrics extends EdgeRecorder, CommandRecorder {
  rateLimited(scope: RateScope): void;
  /** An executor connection of this replica opened (+1) or ended (-1). */
  executorConnection(transport: string, delta: 1 | -1): void;
  /** The exposition text of a scrape, and its content type. */
  scrape(): Promise<{ body: string; contentType: string }>;
}

/** Seconds, for command execution and waits: kubectl's usual range up to the 300 s timeout cap. */
const COMMAND_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

let processRegistry: Registry | null = null;

/** Created at the first scrape, so a process that is never scraped never samples itself. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function createMetrics(
  store: Pick<Store, "listClusters" | "queueDepth" | "countActiveSessions" | "unavailableErrors">,
): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new RequestSeries();
  requests.register(registry);

  const errors = new Counter({
    name: "kubently_http_errors_total",
    help: "Error responses, by the error code in their body (details.code).",
    labelNames: ["code"],
    registers,
  });
  const rateLimited = new Counter({
    name: "kubently_rate_limited_total",
    help:
      "Requests refused with 429 RATE_LIMITED: scope client (per API key) or cluster (per cluster's " +
      "commands).",
    labelNames: ["scope"],
    registers,
  });
  const commands = new Counter({
    name: "kubently_commands_total",
    help:
      "Commands ended, by cluster and outcome: success, failure, denied or timeout from the executor's " +
      "result, offline when no executor took the command by its deadline (504 EXECUTOR_OFFLINE).",
    labelNames: ["cluster_id", "outcome"],
    registers,
  });
  // By cluster, so kept as compact series (series.ts): prom-client's would cost ~4.2 KiB per cluster each.
  const execution = new ClusterHistogram(
    "kubently_command_execution_seconds",
    "How long kubectl ran, as the executor reports it, by cluster (denied commands never ran).",
    COMMAND_BUCKETS,
  );
  execution.register(registry);
  const waits = new ClusterHistogram(
    "kubently_command_wait_seconds",
    "From a command being queued to its waiting caller getting the result, by cluster.",
    COMMAND_BUCKETS,
  );
  waits.register(registry);
  const executors = new Gauge({
    name: "kubently_executors_connected",
    help: "Executor connections held by this replica, by transport (poll: long-polls under way).",
    labelNames: ["transport"],
    registers,
  });
  new Gauge({
    name: "kubently_queue_depth",
    help: "Commands waiting for an executor, by registered cluster (absent while the store does not answer).",
    labelNames: ["cluster_id"],
    registers,
    async collect() {
      this.reset();
      try {
        const clusters = await store.listClusters();
        const depths = await Promise.all(clusters.map(({ cluster_id }) => store.queueDepth(cluster_id)));
        for (const [i, { cluster_id }] of clusters.entries()) this.set({ cluster_id }, depths[i] ?? 0);
      } catch {
        // Counted in kubently_store_errors_total; no depth is better than a made-up one.
      }
    },
  });
  new Gauge({
    name: "kubently_sessions_active",
    help: "Open debugging sessions (absent while the store does not answer).",
    registers,
    async collect() {
      try {
        this.set(await store.countActiveSessions(nowMs()));
      } catch {
        this.remove();
      }
    },
  });
  new Counter({
    name: "kubently_store_errors_total",
    help:
      "Store calls that failed because the store could not be reached (503 STORE_UNAVAILABLE, and " +
      "background work).",
    registers,
    collect() {
      this.reset();
      this.inc(store.unavailableErrors);
    },
  });

  return {
    request: (method, route, status, seconds) => requests.observe(method, route, status, seconds),
    error: (code) => errors.inc({ code }),
    rateLimited: (scope) => rateLimited.inc({ scope }),
    executorConnection: (transport, delta) => executors.inc({ transport }, delta),
    commandResult(result) {
      commands.inc({ cluster_id: result.cluster_id, outcome: result.status });
      if (result.status !== "denied") {
        execution.observe(result.cluster_id, result.execution_time_ms / 1000);
      }
    },
    commandExpired: (clusterId, outcome) => commands.inc({ cluster_id: clusterId, outcome }),
    commandWaited: (clusterId, seconds) => waits.observe(clusterId, seconds),
    async scrape() {
      const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
      return { body: `${own}\n${process}`, contentType: registry.contentType };
    },
  };
}
