/** Schemas of the async operation routes: POST /debug/execute/async and GET /debug/operations/{id}. */
import { type Static, t } from "elysia";
import { ClusterId, CommandResult, CorrelationId, Uuid } from "../../models";
import { ExecuteBody } from "../dispatch/model";

const MAX_CALLBACK_URL_LENGTH = 2048;

export const AsyncExecuteBody = t.Object(
  {
    ...ExecuteBody.properties,
    callback_url: t.Optional(
      t.String({
        maxLength: MAX_CALLBACK_URL_LENGTH,
        description:
          "Where to POST the finished operation, signed. http or https, no credentials, and its host must " +
          "be on the server's webhook allowlist (KUBENTLY_WEBHOOK_ALLOWED_HOSTS).",
        examples: ["https://hooks.example.com/kubently"],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "The body of POST /debug/execute, plus an optional callback_url.",
    examples: [
      {
        cluster_id: "production",
        command_type: "get",
        args: ["pods", "-o", "wide"],
        namespace: "shop",
        timeout_seconds: 60,
        callback_url: "https://hooks.example.com/kubently",
      },
    ],
  },
);

export const OperationParams = t.Object({ operation_id: Uuid });

export const OperationStatus = t.Union(
  [
    t.Literal("pending"),
    t.Literal("running"),
    t.Literal("succeeded"),
    t.Literal("failed"),
    t.Literal("denied"),
    t.Literal("timed_out"),
  ],
  {
    description:
      "pending: queued, no executor holds it (again, after an executor dropped it). running: an executor " +
      "holds it. succeeded: kubectl exited 0. failed: kubectl exited non-zero or could not start (see " +
      "result). denied: the executor's policy refused it; nothing ran. timed_out: kubectl ran out of time " +
      "(COMMAND_TIMEOUT) or no executor took it in time (EXECUTOR_OFFLINE). The last four are final.",
  },
);
export type OperationStatus = Static<typeof OperationStatus>;

export const Operation = t.Object(
  {
    operation_id: t.String({ description: "The operation's id, which is also its command's id." }),
    status: OperationStatus,
    cluster_id: ClusterId,
    correlation_id: CorrelationId,
    service_identity: t.String({ description: "The API key's service that started the operation." }),
    requested_by: t.Optional(t.String({ description: "X-Service-Identity of the request, when given." })),
    created_at: t.String({ format: "date-time" }),
    deadline_at: t.String({
      format: "date-time",
      description: "The operation is final by this time (give or take the time to notice).",
    }),
    completed_at: t.Optional(t.String({ format: "date-time" })),
    result: t.Optional(CommandResult),
    error: t.Optional(t.String({ description: "Why it was denied or timed out, as in the error format." })),
    details: t.Optional(
      t.Object(
        { code: t.String(), context: t.Record(t.String(), t.Unknown()) },
        {
          description:
            "For denied and timed_out: the code and context the synchronous route answers with " +
            "(COMMAND_DENIED, COMMAND_TIMEOUT, EXECUTOR_OFFLINE).",
        },
      ),
    ),
  },
  {
    title: "Operation",
    examples: [
      {
        operation_id: "3f1c2a7e-9b7d-4c61-8f0e-2d7a1b9c4e55",
        status: "denied",
        cluster_id: "production",
        correlation_id: "trace-abc-123",
        service_identity: "agent",
        created_at: "2026-11-26T12:00:00.000Z",
        deadline_at: "2026-11-26T12:01:00.000Z",
        completed_at: "2026-11-26T12:00:00.412Z",
        error: "secrets are not readable",
        details: {
          code: "COMMAND_DENIED",
          context: {
            command_id: "3f1c2a7e-9b7d-4c61-8f0e-2d7a1b9c4e55",
            cluster_id: "production",
            denial_code: "RESOURCE_RESTRICTED",
          },
        },
      },
    ],
  },
);
export type Operation = Static<typeof Operation>;
