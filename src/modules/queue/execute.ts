/**
 * The execute flow the API core orchestrates: resolve the cluster (through the session when one is
 * given), queue the command with a deadline, wait for its result, and turn executor outcomes into
 * the API's answers (denied → 403, no result by the deadline → 504 saying why).
 */
import { badRequest, forbidden, gatewayTimeout } from "../../http/errors";
import { log } from "../../log";
import type { Command, CommandResult } from "../../models";
import type { ClusterService } from "../clusters/service";
import type { SessionService } from "../session/service";
import { DEFAULT_COMMAND_TIMEOUT_SECONDS, MAX_COMMAND_TIMEOUT_SECONDS } from "./model";
import type { QueueService } from "./service";

export interface ExecuteInput {
  cluster_id?: string;
  session_id?: string;
  command_type: string;
  args: string[];
  namespace?: string;
  timeout_seconds?: number;
}

export interface ExecuteCaller {
  identity: string;
  correlationId: string;
  requestedBy: string | undefined;
  requestTimeoutSeconds: number | undefined;
}

export type Execute = (input: ExecuteInput, caller: ExecuteCaller) => Promise<CommandResult>;

export function createExecute(
  queue: QueueService,
  sessions: SessionService,
  clusters: ClusterService,
): Execute {
  return async (input, caller) => {
    const clusterId = await resolveCluster(input, sessions, clusters);
    const timeoutSeconds = Math.min(
      input.timeout_seconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS,
      caller.requestTimeoutSeconds ?? MAX_COMMAND_TIMEOUT_SECONDS,
      MAX_COMMAND_TIMEOUT_SECONDS,
    );
    const now = Date.now();
    const command: Command = {
      command_id: crypto.randomUUID(),
      cluster_id: clusterId,
      session_id: input.session_id,
      command_type: input.command_type,
      args: input.args,
      namespace: input.namespace,
      timeout_seconds: timeoutSeconds,
      deadline_ms: now + timeoutSeconds * 1000,
      correlation_id: caller.correlationId,
      service_identity: caller.identity,
      requested_by: caller.requestedBy,
      created_at: new Date(now).toISOString(),
    };
    await queue.submit(command);
    const result =
      (await queue.awaitResult(command.command_id, command.deadline_ms)) ?? (await timedOut(command));
    log.info("command answered", {
      command_id: command.command_id,
      cluster_id: clusterId,
      identity: caller.identity,
      requested_by: caller.requestedBy,
      correlation_id: caller.correlationId,
      command_type: command.command_type,
      status: result.status,
      exit_code: result.exit_code,
      duration_ms: Date.now() - now,
    });
    return answer(command, result);
  };

  async function timedOut(command: Command): Promise<CommandResult> {
    const { state, result } = await queue.expire(command.command_id);
    if (result) return result;
    const record = await clusters.require(command.cluster_id).catch(() => null);
    const connected = record ? clusters.isConnected(record, Date.now()) : false;
    const context = {
      command_id: command.command_id,
      cluster_id: command.cluster_id,
      executor_connected: connected,
    };
    log.warn("command timed out", { ...context, state, correlation_id: command.correlation_id });
    if (state === "inflight") {
      throw gatewayTimeout(
        "COMMAND_TIMEOUT",
        `no result from the executor within ${command.timeout_seconds} s`,
        context,
      );
    }
    throw gatewayTimeout(
      "EXECUTOR_OFFLINE",
      `no executor of cluster '${command.cluster_id}' took the command within ${command.timeout_seconds} s`,
      context,
    );
  }
}

async function resolveCluster(
  input: ExecuteInput,
  sessions: SessionService,
  clusters: ClusterService,
): Promise<string> {
  if (input.session_id) {
    const session = await sessions.get(input.session_id);
    if (input.cluster_id && input.cluster_id !== session.cluster_id) {
      throw badRequest("SESSION_CLUSTER_MISMATCH", "the session belongs to another cluster", {
        session_id: session.session_id,
        session_cluster_id: session.cluster_id,
      });
    }
    await sessions.touch(session);
    return session.cluster_id;
  }
  if (!input.cluster_id) throw badRequest("CLUSTER_REQUIRED", "give cluster_id or session_id");
  await clusters.require(input.cluster_id);
  return input.cluster_id;
}

function answer(command: Command, result: CommandResult): CommandResult {
  if (result.status === "denied") {
    throw forbidden("COMMAND_DENIED", result.reason ?? "the executor's policy refused this command", {
      command_id: command.command_id,
      cluster_id: command.cluster_id,
      denial_code: result.denial_code ?? null,
    });
  }
  if (result.status === "timeout") {
    throw gatewayTimeout("COMMAND_TIMEOUT", `kubectl did not finish within ${command.timeout_seconds} s`, {
      command_id: command.command_id,
      cluster_id: command.cluster_id,
      stdout: result.stdout,
      stderr: result.stderr,
    });
  }
  return result;
}
