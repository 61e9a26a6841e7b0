/**
 * The CommandResult primitive an executor posts back. `denied` means the executor's policy refused
 * the command (nothing ran); `timeout` means kubectl was killed at the command's deadline.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { ClusterId, CorrelationId, Uuid } from "./ids";

export const ResultStatus = t.Union([
  t.Literal("success"),
  t.Literal("failure"),
  t.Literal("denied"),
  t.Literal("timeout"),
]);
export type ResultStatus = Static<typeof ResultStatus>;

export const CommandResult = t.Object(
  {
    command_id: Uuid,
    cluster_id: ClusterId,
    status: ResultStatus,
    exit_code: t.Union([t.Integer(), t.Null()]),
    stdout: t.String(),
    stderr: t.String(),
    truncated: t.Boolean({ description: "True when stdout or stderr was cut at the executor's output cap." }),
    execution_time_ms: t.Number({ minimum: 0 }),
    reason: t.Optional(t.String({ description: "Why the command was denied or failed to start." })),
    denial_code: t.Optional(t.String()),
    correlation_id: t.Optional(CorrelationId),
    service_identity: t.Optional(t.String()),
    executor_version: t.Optional(t.String()),
    completed_at: t.String({ format: "date-time" }),
  },
  { title: "CommandResult" },
);
export type CommandResult = Static<typeof CommandResult>;
