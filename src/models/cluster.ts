/** A registered cluster as clients see it (GET /debug/clusters): its executor's presence and its sessions. */
import { type Static, Type as t } from "@sinclair/typebox";
import { ExecutorPolicy } from "./executor-policy";
import { ClusterId } from "./ids";

/** A label key as Kubernetes writes one: an optional DNS prefix and a slash, then a name. */
export const LABEL_KEY_PATTERN =
  "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
/** A label value as Kubernetes allows one: empty, or up to 63 of [A-Za-z0-9-_.] starting and ending alphanumeric. */
export const LABEL_VALUE_PATTERN = "^(|[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$";

export const ClusterLabels = t.Record(
  t.String({ pattern: LABEL_KEY_PATTERN, maxLength: 253 }),
  t.String({ pattern: LABEL_VALUE_PATTERN }),
  {
    maxProperties: 32,
    // Keys the pattern does not match are refused, not let through unchecked.
    additionalProperties: false,
    description: "Labels an admin set on the cluster, as Kubernetes labels are written.",
    examples: [{ env: "prod", region: "eu" }],
  },
);
export type ClusterLabels = Static<typeof ClusterLabels>;

export const ClusterView = t.Object(
  {
    cluster_id: ClusterId,
    connected: t.Boolean({ description: "An executor is connected now." }),
    last_seen: t.Union([t.String({ format: "date-time" }), t.Null()], {
      description: "The executor's last contact; null when none ever connected.",
    }),
    executor_version: t.Union([t.String(), t.Null()]),
    transport: t.Union([t.String(), t.Null()], { description: "sse, ws or poll" }),
    active: t.Boolean({ description: "A debugging session is open on the cluster." }),
    labels: ClusterLabels,
    policy: t.Union([ExecutorPolicy, t.Null()], {
      description:
        "What the executor reported of its policy when it last connected (kept while it is away); null " +
        "when it reported none: an executor older than the report, or one whose report the server could not read.",
    }),
  },
  {
    title: "Cluster",
    examples: [
      {
        cluster_id: "production",
        connected: true,
        last_seen: "2026-01-15T12:00:00.000Z",
        executor_version: "0.1.0",
        transport: "sse",
        active: true,
        labels: { env: "prod", region: "eu" },
        policy: ExecutorPolicy.examples[0],
      },
    ],
  },
);
export type ClusterView = Static<typeof ClusterView>;

export const ClusterList = t.Object({ clusters: t.Array(ClusterView) });
export type ClusterList = Static<typeof ClusterList>;
