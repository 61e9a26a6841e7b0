/** Schemas of GET /admin/status: what the status page shows that no other route answers in one read. */
import { type Static, t } from "elysia";
import { AuditPage, ClusterView } from "../../models";

/** A cluster as GET /debug/clusters lists it (whatever that model carries), with its load. */
export const ClusterStatus = t.Object(
  {
    ...ClusterView.properties,
    queue_depth: t.Integer({ description: "Commands waiting for an executor to take them." }),
    commands_last_minute: t.Integer({
      description: "Commands accepted for the cluster in the last 60 s, counted from the audit trail.",
    }),
    commands_last_minute_capped: t.Boolean({
      description:
        "The count stopped at the newest entries of the trail it reads at most (MAX_RATE_SCAN): the real " +
        "figure is higher.",
    }),
  },
  { title: "ClusterStatus" },
);

export const ChainCheck = t.Object(
  {
    state: t.Union([t.Literal("verified"), t.Literal("partial"), t.Literal("broken"), t.Literal("empty")], {
      description:
        "verified: every entry up to the head links and matches its hash. partial: the entries checked so " +
        "far do, and more remain (each request checks a bounded number). broken: a link or hash does not " +
        "match (see broken_seq and reason). empty: the trail has no entry yet.",
    }),
    verified: t.Integer({ description: "Entries 1..verified were checked and found linked." }),
    head: AuditPage.properties.head,
    broken_seq: t.Optional(t.Integer()),
    reason: t.Optional(t.String()),
    walk_started_at: t.String({
      format: "date-time",
      description: "When this replica last began checking from entry 1 (it starts over every 10 minutes).",
    }),
  },
  { title: "ChainCheck" },
);

export const StatusOverview = t.Object(
  {
    generated_at: t.String({ format: "date-time" }),
    version: t.String({ description: "The answering server's version." }),
    store: t.String({ description: "The store kind: sqlite, memory or redis." }),
    clusters: t.Array(ClusterStatus),
    audit: t.Object({
      head: AuditPage.properties.head,
      chain: ChainCheck,
      this_replica: t.Object(
        {
          appended: t.Integer(),
          failed_appends: t.Integer(),
          dropped: t.Integer(),
          pending: t.Integer(),
        },
        { description: "The answering replica's own audit writer since it started." },
      ),
    }),
  },
  { title: "StatusOverview" },
);
export type StatusOverview = Static<typeof StatusOverview>;
