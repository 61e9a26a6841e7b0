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
    expires_at: t.String({
      format: "date-time",
      description: "When the session ends unless used: each command run in it extends it by its TTL.",
    }),
    ttl_seconds: t.Integer({ minimum: 1 }),
  },
  {
    title: "Session",
    examples: [
      {
        session_id: "3f1c2a7e-9b7d-4c61-8f0e-2d7a1b9c4e55",
        cluster_id: "production",
        user_id: "alice",
        service_identity: "agent",
        correlation_id: "incident-4711",
        created_at: "2026-01-15T12:00:00.000Z",
        expires_at: "2026-01-15T12:15:00.000Z",
        ttl_seconds: 900,
      },
    ],
  },
);
export type Session = Static<typeof Session>;
