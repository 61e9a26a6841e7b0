/** A registered cluster as clients see it (GET /debug/clusters): its executor's presence and its sessions. */
import { type Static, Type as t } from "@sinclair/typebox";
import { ClusterId } from "./ids";

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
      },
    ],
  },
);
export type ClusterView = Static<typeof ClusterView>;

export const ClusterList = t.Object({ clusters: t.Array(ClusterView) });
export type ClusterList = Static<typeof ClusterList>;
