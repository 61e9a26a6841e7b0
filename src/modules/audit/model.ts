/** Schemas of GET /audit. */
import { type Static, t } from "elysia";
import { AuditAction, AuditEntry, AuditOutcome } from "../../models";

export const MAX_AUDIT_PAGE = 1000;

export const AuditListQuery = t.Object({
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
export type AuditListQuery = Static<typeof AuditListQuery>;

export const AuditPage = t.Object(
  {
    entries: t.Array(AuditEntry, { description: "Matching entries, oldest first (by seq)." }),
    next_after: t.Union([t.Integer(), t.Null()], {
      description:
        "Pass as `after` for the next page; null when the trail was read to its end. A filtered page may " +
        "hold fewer than `limit` entries, even none, while more follow: keep going until this is null.",
    }),
    head: t.Union(
      [
        t.Object({
          seq: t.Integer(),
          hash: t.String({ description: "The hash of entry `seq`." }),
        }),
        t.Null(),
      ],
      {
        description:
          "The chain's newest entry as the store records it apart from the entries (null: empty trail). " +
          "A verifier that walked to the end checks that its last entry is this one.",
      },
    ),
  },
  { title: "AuditPage" },
);
export type AuditPage = Static<typeof AuditPage>;
