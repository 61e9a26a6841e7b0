/**
 * Clusters controller: lists registered clusters, their executors' presence and their labels; an
 * admin sets the labels (audited), which fleet selectors match.
 */
import { Elysia, t } from "elysia";
import { ApiError } from "../../http/errors";
import { ClusterId, ClusterLabels, ClusterList, ErrorBody } from "../../models";
import { nowMs } from "../../store";
import { adminAction } from "../audit/events";
import type { AuditRecorder } from "../audit/service";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import type { ClusterService } from "./service";

const LabelsBody = t.Object({ labels: ClusterLabels }, { additionalProperties: false });

export const clustersModule = (auth: AuthService, clusters: ClusterService, audit: AuditRecorder) =>
  new Elysia({ tags: ["Clusters"] })
    .use(authGuard(auth))
    .get("/debug/clusters", async ({ scope }) => ({ clusters: await clusters.list(nowMs(), scope) }), {
      client: true,
      response: { 200: ClusterList, 401: ErrorBody },
      detail: {
        security: [{ apiKey: [] }],
        operationId: "listClusters",
        summary: "List clusters",
        description:
          "Registered clusters, whether an executor is connected, and when it was last seen. Connected means " +
          "an open connection that made contact within the last 45 s. `policy` is what the executor reported " +
          "of its policy when it last connected (mode, namespaces, restricted resources, timeouts, output cap, " +
          "native reads, redaction rules, impersonation on or off), or null when it reported none. A scoped " +
          "principal sees only the clusters in its scope.",
        responses: { 200: { description: "Every registered cluster in the caller's scope." } },
      },
    })
    .put(
      "/admin/clusters/:cluster_id/labels",
      async ({ body: { labels }, identity, params: { cluster_id } }) => {
        try {
          await clusters.setLabels(cluster_id, labels);
        } catch (error) {
          if (error instanceof ApiError)
            audit.record(adminAction(identity, "cluster.labels", cluster_id, error));
          throw error;
        }
        audit.record(adminAction(identity, "cluster.labels", cluster_id));
        return { cluster_id, labels };
      },
      {
        admin: true,
        params: t.Object({ cluster_id: ClusterId }),
        body: LabelsBody,
        response: {
          200: t.Object({ cluster_id: ClusterId, labels: ClusterLabels }),
          400: ErrorBody,
          401: ErrorBody,
          404: ErrorBody,
        },
        detail: {
          security: [{ adminKey: [] }],
          operationId: "setClusterLabels",
          summary: "Set a cluster's labels",
          description:
            "Replaces every label of the cluster with these (an empty object removes them all). Keys and values " +
            "are written as Kubernetes labels (`env`, `example.com/tier`; values up to 63 characters). Fleet " +
            "selectors (POST /debug/execute/fleet) match them. Audited as `cluster.labels`.",
          responses: {
            200: { description: "The cluster's labels now." },
            404: { description: "`CLUSTER_NOT_FOUND`: no executor token was ever issued for it." },
          },
        },
      },
    );
