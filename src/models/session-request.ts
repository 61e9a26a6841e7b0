/** What a caller sends to open a debugging session (POST /debug/session). */
import { type Static, Type as t } from "@sinclair/typebox";
import { ClusterId, CorrelationId } from "./ids";

export const MAX_SESSION_TTL_SECONDS = 86_400;

export const CreateSessionRequest = t.Object(
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
export type CreateSessionRequest = Static<typeof CreateSessionRequest>;
