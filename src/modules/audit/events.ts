/**
 * What the audit trail says about each decision: one builder per kind of entry, so every module
 * records the same fields the same way. Entries carry sizes of the output, never the output, and no
 * credential: values of kubectl's --token and --password are masked in the recorded arguments.
 */
import type { ApiError } from "../../http/errors";
import {
  type AuditAction,
  type AuditOutcome,
  type Command,
  type CommandResult,
  maskSecrets,
  type ResultStatus,
} from "../../models";
import { nowMs } from "../../store";
import type { AuditEvent } from "./service";

/** Who asked for what: the part every command entry shares. */
function aboutCommand(command: Command) {
  return {
    action: "command" as const,
    identity: command.service_identity,
    requested_by: command.requested_by,
    cluster_id: command.cluster_id,
    command_id: command.command_id,
    correlation_id: command.correlation_id,
    session_id: command.session_id,
    command_type: command.command_type,
    args: maskSecrets(command.args),
    namespace: command.namespace,
  };
}

const sinceAccepted = (command: Command) => nowMs() - Date.parse(command.created_at);

/** The command was queued for its cluster. */
export function commandAccepted(command: Command): AuditEvent {
  return { ...aboutCommand(command), outcome: "accepted", timeout_seconds: command.timeout_seconds };
}

const RESULT_OUTCOMES: Record<ResultStatus, { outcome: AuditOutcome; error_code?: string }> = {
  success: { outcome: "succeeded" },
  failure: { outcome: "failed" },
  denied: { outcome: "denied", error_code: "COMMAND_DENIED" },
  timeout: { outcome: "timed_out", error_code: "COMMAND_TIMEOUT" },
};

/** The command's executor answered: ran (succeeded, failed, timed out) or its policy denied it. */
export function commandAnswered(command: Command, result: CommandResult): AuditEvent {
  return {
    ...aboutCommand(command),
    ...RESULT_OUTCOMES[result.status],
    exit_code: result.exit_code ?? undefined,
    duration_ms: sinceAccepted(command),
    execution_ms: Math.round(result.execution_time_ms),
    stdout_bytes: Buffer.byteLength(result.stdout),
    stderr_bytes: Buffer.byteLength(result.stderr),
    truncated: result.truncated,
    denial_code: result.denial_code,
    api_requests: result.api_requests?.made,
    api_refused: result.api_requests?.refused,
    api_bytes_read: result.api_requests?.bytes_read,
    refused_request: result.refused_request
      ? `${result.refused_request.method} ${result.refused_request.path} ${result.refused_request.rule}`
      : undefined,
  };
}

/** The principal's scope refused the command before anything was queued (403 SCOPE_DENIED). */
export function commandOutOfScope(
  input: {
    cluster_id?: string;
    session_id?: string;
    command_type: string;
    args: string[];
    namespace?: string;
  },
  caller: { identity: string; requestedBy: string | undefined; correlationId: string },
  error: ApiError,
): AuditEvent {
  const context = error.context as { cluster_id?: string; scope?: string };
  return {
    action: "command",
    identity: caller.identity,
    requested_by: caller.requestedBy,
    cluster_id: context.cluster_id ?? input.cluster_id ?? "",
    correlation_id: caller.correlationId,
    session_id: input.session_id,
    command_type: input.command_type,
    args: maskSecrets(input.args),
    namespace: input.namespace,
    outcome: "denied",
    error_code: error.code,
    denial_code: context.scope,
  };
}

/** No result came by the deadline: no executor took it (EXECUTOR_OFFLINE) or none answered in time. */
export function commandExpired(command: Command, error: ApiError): AuditEvent {
  return {
    ...aboutCommand(command),
    outcome: error.code === "EXECUTOR_OFFLINE" ? "executor_offline" : "timed_out",
    duration_ms: sinceAccepted(command),
    error_code: error.code,
  };
}

/** An admin's action on a cluster's executor token; `refusal` when it was refused. */
export function adminAction(
  identity: string,
  action: Exclude<AuditAction, "command">,
  clusterId: string,
  refusal?: ApiError,
): AuditEvent {
  return {
    action,
    identity,
    cluster_id: clusterId,
    outcome: refusal ? "refused" : "succeeded",
    error_code: refusal?.code,
  };
}
