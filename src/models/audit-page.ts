/**
 * One page of the audit trail (GET /audit): its entries, the cursor to the next page and the chain's
 * head, which `kubently audit verify` checks the last entry against.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { AuditEntry } from "./audit";

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
