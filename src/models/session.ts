/** The Session primitive: a debugging session bound to one cluster, alive until `expires_at`. */
import { type Static, Type as t } from "@sinclair/typebox";
import { ClusterId, CorrelationId, Uuid } from "./ids";

export const Session = t.Object(
  {
    session_id: Uuid,
    cluster_id: ClusterId,
    user_id: t.String({ description: "Who the session is for; defaults to the caller's service identity." }),
    service_identity: t.String({ description: "The API key's service name that created the session." }),
    correlation_id: CorrelationId,
    created_at: t.String({ format: "date-time" }),
    expires_at: t.String({ format: "date-time" }),
    ttl_seconds: t.Integer({ minimum: 1 }),
  },
  { title: "Session" },
);
export type Session = Static<typeof Session>;
