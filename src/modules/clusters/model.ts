/** Schemas of the cluster listing. */
import { t } from "elysia";
import { ClusterId } from "../../models";

export const ClusterView = t.Object(
  {
    cluster_id: ClusterId,
    connected: t.Boolean({ description: "An executor is connected now." }),
    last_seen: t.Union([t.String({ format: "date-time" }), t.Null()]),
    executor_version: t.Union([t.String(), t.Null()]),
    transport: t.Union([t.String(), t.Null()], { description: "sse, ws or poll" }),
    active: t.Boolean({ description: "A debugging session is open on the cluster." }),
  },
  { title: "Cluster" },
);

export const ClusterList = t.Object({ clusters: t.Array(ClusterView) });
