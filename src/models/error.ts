/** The one error shape every endpoint answers with (the architecture guide's format). */
import { type Static, Type as t } from "@sinclair/typebox";

export const ErrorBody = t.Object(
  {
    error: t.String({ description: "Human-readable message." }),
    details: t.Object({
      code: t.String({ description: "Stable machine-readable code, e.g. COMMAND_DENIED." }),
      context: t.Record(t.String(), t.Unknown(), {
        description: "Data about this error, by code (e.g. the cluster id, the policy's denial code).",
      }),
    }),
    request_id: t.String({
      description: "This request's id, also sent as X-Request-ID: quote it in reports.",
    }),
    timestamp: t.String({ format: "date-time" }),
  },
  { title: "Error", description: "The one error shape every endpoint answers with." },
);
export type ErrorBody = Static<typeof ErrorBody>;
