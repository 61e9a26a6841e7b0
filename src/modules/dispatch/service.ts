/**
 * Dispatch: the execute flow, shared by POST /debug/execute and POST /debug/execute/async. It resolves
 * the cluster (through the session when one is given), admits the command (not while this replica
 * drains, not over the cluster's command rate), builds and queues it with a deadline, then settles
 * it: the executor's result, or the API error it amounts to (denied → 403, no result by the deadline
 * → 504 saying why). The synchronous path waits for the settlement and answers with it; the
 * operations module records it instead. The Queue below it only moves commands and results.
 */
import { ApiError, badRequest, forbidden, gatewayTimeout } from "../../http/errors";
import { log } from "../../log";
import {
  type Command,
  type CommandResult,
  DEFAULT_COMMAND_TIMEOUT_SECONDS,
  type ExecuteRequest,
  MAX_COMMAND_TIMEOUT_SECONDS,
} from "../../models";
import { nowMs } from "../../store";
import { commandAccepted, commandExpired, commandOutOfScope } from "../audit/events";
import type { AuditRecorder } from "../audit/service";
import type { ClusterService } from "../clusters/service";
import type { Lifecycle } from "../health/lifecycle";
import type { RateLimiter } from "../limits/service";
import type { CommandRecorder } from "../metrics/service";
import type { OutputService } from "../output/service";
import type { QueueService } from "../queue/service";
import type { Scope } from "../scopes/model";
import { admitCommand, needsLabels, requireCluster } from "../scopes/service";
import type { SessionService } from "../session/service";
import { type FollowOptions, windowed } from "./follow";

/** The command a caller asks for; its correlation id travels with the caller instead. */
export type ExecuteInput = Omit<ExecuteRequest, "correlation_id">;

export interface ExecuteCaller {
  identity: string;
  /** The principal's scope; null when unscoped. */
  scope: Scope | null;
  correlationId: string;
  requestedBy: string | undefined;
  requestTimeoutSeconds: number | undefined;
  /** The caller streams the output: the executor sends it as it arrives. */
  streaming?: boolean;
}

/** How a command ended: a result that ran to completion (success or failure), or the error it is. */
export type Settlement = { result: CommandResult; error: null } | { result: null; error: ApiError };

/** A queued command, and how it will end: its result or its deadline, awaited on store notifications. */
export interface Submitted {
  command: Command;
  settled: Promise<Settlement>;
}

export interface Dispatch {
  /**
   * Resolves the cluster, admits, builds and queues the command. `beforeQueue` runs with the built command
   * before any executor can see it (the async path records its operation there).
   */
  submit(
    input: ExecuteInput,
    caller: ExecuteCaller,
    beforeQueue?: (command: Command) => Promise<void>,
  ): Promise<Submitted>;
  /** Settles from what is known now (a stored result, or the passed deadline); null while still open. */
  settleNow(command: Command): Promise<Settlement | null>;
}

export type Execute = (input: ExecuteInput, caller: ExecuteCaller) => Promise<CommandResult>;

type Sessions = Pick<SessionService, "get" | "touch">;
type Clusters = Pick<ClusterService, "require" | "requireExists" | "isConnected">;

/** What dispatch uses of the other modules, and nothing more. */
export interface DispatchDeps {
  queue: Pick<QueueService, "submit" | "result" | "expire">;
  sessions: Sessions;
  clusters: Clusters;
  audit: AuditRecorder;
  metrics: Pick<CommandRecorder, "commandWaited" | "commandExpired">;
  lifecycle: Pick<Lifecycle, "admit">;
  limiter: Pick<RateLimiter, "admitCluster">;
  /** Makes a large output a preview and a handle, for every way a result is answered. */
  output: Pick<OutputService, "present">;
  /** The window of following commands: the server's default and maximum. */
  follow: FollowOptions;
}

export function createDispatch({
  queue,
  sessions,
  clusters,
  audit,
  metrics,
  lifecycle,
  limiter,
  output,
  follow,
}: DispatchDeps): Dispatch {
  return {
    async submit(input, caller, beforeQueue) {
      const { clusterId, scope } = await admitted(input, caller);
      const window = windowed(
        input,
        Math.min(
          input.timeout_seconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS,
          caller.requestTimeoutSeconds ?? MAX_COMMAND_TIMEOUT_SECONDS,
          MAX_COMMAND_TIMEOUT_SECONDS,
        ),
        caller.requestTimeoutSeconds,
        follow,
      );
      // Once the cluster is known and before anything is queued: a draining replica takes no new
      // command (the caller's retry reaches another one), nor one over the cluster's command rate.
      lifecycle.admit();
      await limiter.admitCluster(clusterId);
      const { timeoutSeconds, followSeconds, followLines } = window;
      const now = nowMs();
      const command: Command = {
        command_id: Bun.randomUUIDv7(),
        cluster_id: clusterId,
        session_id: input.session_id,
        command_type: input.command_type,
        args: input.args,
        namespace: input.namespace,
        timeout_seconds: timeoutSeconds,
        deadline_ms: now + timeoutSeconds * 1000,
        ...(followSeconds !== undefined ? { follow_seconds: followSeconds } : {}),
        ...(followLines !== undefined ? { follow_lines: followLines } : {}),
        ...(caller.streaming ? { stream_output: true } : {}),
        correlation_id: caller.correlationId,
        service_identity: caller.identity,
        requested_by: caller.requestedBy,
        created_at: new Date(now).toISOString(),
        ...(scope ? { scope } : {}),
      };
      await beforeQueue?.(command);
      const queued = await queue.submit(command);
      audit.record(commandAccepted(command));
      return { command, settled: queued.result.then((result) => conclude(command, result)) };
    },

    async settleNow(command) {
      const result = await queue.result(command.command_id);
      if (!result && nowMs() < command.deadline_ms) return null;
      return conclude(command, result);
    },
  };

  /**
   * The cluster the command goes to and the scope it carries, once the principal's scope allows both
   * (a refusal, 403 SCOPE_DENIED, is audited: nothing was queued).
   */
  async function admitted(input: ExecuteInput, caller: ExecuteCaller) {
    try {
      const { clusterId, labels } = await resolveCluster(input, caller, sessions, clusters);
      return { clusterId, scope: admitCommand(caller.identity, caller.scope, clusterId, labels, input) };
    } catch (error) {
      if (error instanceof ApiError && error.code === "SCOPE_DENIED") {
        audit.record(commandOutOfScope(input, caller, error));
      }
      throw error;
    }
  }

  async function conclude(command: Command, awaited: CommandResult | null): Promise<Settlement> {
    const outcome = awaited ?? (await withdraw(command));
    if (outcome instanceof ApiError) return { result: null, error: outcome };
    const waitedMs = nowMs() - Date.parse(command.created_at);
    metrics.commandWaited(command.cluster_id, waitedMs / 1000);
    log.info("command answered", {
      command_id: command.command_id,
      cluster_id: command.cluster_id,
      identity: command.service_identity,
      requested_by: command.requested_by,
      correlation_id: command.correlation_id,
      command_type: command.command_type,
      status: outcome.status,
      exit_code: outcome.exit_code,
      duration_ms: waitedMs,
    });
    return settlementOf(command, output.present(outcome));
  }

  /**
   * Withdraws a command whose deadline passed, so it is never delivered late: the result that slipped
   * in at the last instant, or the 504 saying whether an executor held it (COMMAND_TIMEOUT) or none
   * took it (EXECUTOR_OFFLINE), which is audited here (results are audited where they are stored).
   * An async operation that its watcher and a GET settle in the same instant is audited by both.
   */
  async function withdraw(command: Command): Promise<CommandResult | ApiError> {
    const { state, result } = await queue.expire(command.command_id);
    if (result) return result;
    const record = await clusters.require(command.cluster_id).catch(() => null);
    const connected = record ? clusters.isConnected(record, nowMs()) : false;
    const context = {
      command_id: command.command_id,
      cluster_id: command.cluster_id,
      executor_connected: connected,
    };
    log.warn("command timed out", { ...context, state, correlation_id: command.correlation_id });
    const error =
      state === "inflight"
        ? gatewayTimeout(
            "COMMAND_TIMEOUT",
            `no result from the executor within ${command.timeout_seconds} s`,
            context,
          )
        : gatewayTimeout(
            "EXECUTOR_OFFLINE",
            `no executor of cluster '${command.cluster_id}' took the command within ${command.timeout_seconds} s`,
            context,
          );
    audit.record(commandExpired(command, error));
    // Counted by whoever withdrew it from the queue, so once however many settle it.
    if (state === "pending" || state === "inflight") {
      metrics.commandExpired(command.cluster_id, state === "inflight" ? "timeout" : "offline");
    }
    return error;
  }
}

/**
 * The synchronous path: queue, wait, and answer with the result or throw the error it amounts to.
 * Each wait is tracked, so a draining server lets it finish.
 */
export function createExecute(dispatch: Dispatch, waits: Pick<Lifecycle, "track">): Execute {
  return async (input, caller) => {
    const { settled } = await dispatch.submit(input, caller);
    const settlement = await waits.track(settled);
    if (settlement.error) throw settlement.error;
    return settlement.result;
  };
}

/**
 * The command's cluster, and its labels when the principal's scope names some (null otherwise, or
 * for an unregistered cluster, which then carries none and is out of such a scope).
 */
async function resolveCluster(
  input: ExecuteInput,
  { identity, scope }: ExecuteCaller,
  sessions: Sessions,
  clusters: Clusters,
): Promise<{ clusterId: string; labels: Readonly<Record<string, string>> | null }> {
  const labelsOf = async (clusterId: string) =>
    needsLabels(scope)
      ? await clusters.require(clusterId).then(
          ({ labels }) => labels,
          () => null,
        )
      : null;
  if (input.session_id) {
    // Another principal's session is not found: it can neither be used nor kept alive by a stranger.
    const session = await sessions.get(input.session_id, identity);
    if (input.cluster_id && input.cluster_id !== session.cluster_id) {
      throw badRequest("SESSION_CLUSTER_MISMATCH", "the session belongs to another cluster", {
        session_id: session.session_id,
        session_cluster_id: session.cluster_id,
      });
    }
    await sessions.touch(session);
    return { clusterId: session.cluster_id, labels: await labelsOf(session.cluster_id) };
  }
  if (!input.cluster_id) throw badRequest("CLUSTER_REQUIRED", "give cluster_id or session_id");
  // Before the registry answers, so a cluster out of scope answers alike whether it exists or not.
  const labels = await labelsOf(input.cluster_id);
  requireCluster(identity, scope, input.cluster_id, labels);
  await clusters.requireExists(input.cluster_id);
  return { clusterId: input.cluster_id, labels };
}

function settlementOf(command: Command, result: CommandResult): Settlement {
  if (result.status === "denied") {
    return {
      result: null,
      error: forbidden("COMMAND_DENIED", result.reason ?? "the executor's policy refused this command", {
        command_id: command.command_id,
        cluster_id: command.cluster_id,
        denial_code: result.denial_code ?? null,
        ...(result.refused_request ? { refused_request: result.refused_request } : {}),
        ...(result.api_requests ? { api_requests: result.api_requests } : {}),
        ...(result.refused_request ? { stdout: result.stdout, stderr: result.stderr } : {}),
      }),
    };
  }
  if (result.status === "timeout") {
    return {
      result: null,
      error: gatewayTimeout("COMMAND_TIMEOUT", `kubectl did not finish within ${command.timeout_seconds} s`, {
        command_id: command.command_id,
        cluster_id: command.cluster_id,
        stdout: result.stdout,
        stderr: result.stderr,
      }),
    };
  }
  return { result, error: null };
}
