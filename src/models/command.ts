/**
 * The Command primitive as it travels from the API to an executor. The server only checks its
 * shape; whether it may run is the executor's decision (its policy), made on parsed argv.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { ClusterId, CorrelationId, Uuid } from "./ids";

export const Command = t.Object(
  {
    command_id: Uuid,
    cluster_id: ClusterId,
    session_id: t.Optional(Uuid),
    command_type: t.String({ description: "The kubectl verb, e.g. get, describe, logs." }),
    args: t.Array(t.String()),
    namespace: t.Optional(t.String()),
    timeout_seconds: t.Integer({ minimum: 1 }),
    /** Epoch milliseconds after which the command must not start, and its caller has given up. */
    deadline_ms: t.Integer(),
    correlation_id: CorrelationId,
    service_identity: t.String({ description: "The API key's service: the authenticated caller." }),
    requested_by: t.Optional(
      t.String({ description: "Who within that service asked (X-Service-Identity): recorded, not trusted." }),
    ),
    created_at: t.String({ format: "date-time" }),
  },
  { title: "Command" },
);
export type Command = Static<typeof Command>;
