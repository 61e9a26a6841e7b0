/** What a reader of the audit trail asks for (GET /audit): the filters, the cursor and the page size. */
import { type Static, Type as t } from "@sinclair/typebox";
import { AuditAction, AuditOutcome } from "./audit";

export const MAX_AUDIT_PAGE = 1000;

export const AuditPageQuery = t.Object({
  cluster_id: t.Optional(t.String({ maxLength: 63, description: "Only this cluster's entries." })),
  identity: t.Optional(
    t.String({ maxLength: 128, description: "Only entries of this service (the key's service name)." }),
  ),
  action: t.Optional(AuditAction),
  outcome: t.Optional(AuditOutcome),
  from: t.Optional(
    t.String({ format: "date-time", description: "Only entries at or after this time (ISO 8601)." }),
  ),
  to: t.Optional(t.String({ format: "date-time", description: "Only entries before this time (ISO 8601)." })),
  after: t.Integer({
    minimum: 0,
    default: 0,
    description: "The cursor: entries after this seq. Start at 0, then pass the page's next_after.",
  }),
  limit: t.Integer({
    minimum: 1,
    maximum: MAX_AUDIT_PAGE,
    default: 100,
    description: "Most entries in the page.",
  }),
});
export type AuditPageQuery = Static<typeof AuditPageQuery>;
