/** The one error shape every endpoint answers with (the architecture guide's format). */
import { type Static, Type as t } from "@sinclair/typebox";

export const ErrorBody = t.Object(
  {
    error: t.String({ description: "Human-readable message." }),
    details: t.Object({
      code: t.String({ description: "Stable machine-readable code, e.g. COMMAND_DENIED." }),
      context: t.Record(t.String(), t.Unknown()),
    }),
    request_id: t.String(),
    timestamp: t.String({ format: "date-time" }),
  },
  { title: "Error" },
);
export type ErrorBody = Static<typeof ErrorBody>;
