/** Schemas of the session routes. */
import { t } from "elysia";
import { ClusterId, CorrelationId, Uuid } from "../../models";

export const MAX_SESSION_TTL_SECONDS = 86_400;

export const CreateSessionBody = t.Object(
  {
    cluster_id: ClusterId,
    user_id: t.Optional(
      t.String({ minLength: 1, maxLength: 128, description: "Defaults to the caller's service identity." }),
    ),
    correlation_id: t.Optional(CorrelationId),
    ttl_seconds: t.Optional(
      t.Integer({
        minimum: 1,
        maximum: MAX_SESSION_TTL_SECONDS,
        description: "Session lifetime; default 300.",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ cluster_id: "production", correlation_id: "incident-4711", ttl_seconds: 900 }],
  },
);

export const SessionParams = t.Object({ session_id: Uuid });
