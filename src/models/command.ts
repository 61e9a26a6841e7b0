/**
 * The Command primitive as it travels from the API to an executor. The server only checks its
 * shape; whether it may run is the executor's decision (its policy), made on parsed argv.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { ClusterId, CorrelationId, Uuid } from "./ids";
import { CommandScope } from "./scope";

export const Command = t.Object(
  {
    command_id: Uuid,
    cluster_id: ClusterId,
    session_id: t.Optional(Uuid),
    command_type: t.String({ description: "The kubectl verb, e.g. get, describe, logs." }),
    args: t.Array(t.String()),
    namespace: t.Optional(t.String({ description: "Runs with -n NAMESPACE." })),
    timeout_seconds: t.Integer({ minimum: 1 }),
    deadline_ms: t.Integer({
      description: "Epoch milliseconds after which the command must not start: its caller has given up.",
    }),
    follow_seconds: t.Optional(
      t.Integer({
        minimum: 1,
        description: "The window a following command runs for before it is stopped and ends successfully.",
      }),
    ),
    follow_lines: t.Optional(
      t.Integer({ minimum: 1, description: "A following command is stopped once this many lines arrived." }),
    ),
    stream_output: t.Optional(
      t.Boolean({
        description:
          "A caller streams this command: send its output as `chunk` messages while it runs (WebSocket).",
      }),
    ),
    correlation_id: CorrelationId,
    service_identity: t.String({
      description:
        "The principal id (the API key's service): the authenticated caller, who owns the command.",
    }),
    requested_by: t.Optional(
      t.String({ description: "Who within that service asked (X-Service-Identity): recorded, not trusted." }),
    ),
    created_at: t.String({ format: "date-time" }),
    scope: t.Optional(CommandScope),
  },
  {
    title: "Command",
    description: "A queued kubectl command, as an executor receives it.",
    examples: [
      {
        command_id: "8d2b6f0e-4c1a-4f7e-9a3b-5e6d7c8b9a01",
        cluster_id: "production",
        session_id: "3f1c2a7e-9b7d-4c61-8f0e-2d7a1b9c4e55",
        command_type: "get",
        args: ["pods", "-o", "wide"],
        namespace: "shop",
        timeout_seconds: 30,
        deadline_ms: 1768478430000,
        correlation_id: "incident-4711",
        service_identity: "agent",
        requested_by: "triage-agent",
        created_at: "2026-01-15T12:00:00.000Z",
      },
    ],
  },
);
export type Command = Static<typeof Command>;
