/** Clusters controller: lists registered clusters and their executors' presence. */
import { Elysia } from "elysia";
import { ClusterList, ErrorBody } from "../../models";
import { nowMs } from "../../store";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import type { ClusterService } from "./service";

export const clustersModule = (auth: AuthService, clusters: ClusterService) =>
  new Elysia({ prefix: "/debug", tags: ["Clusters"], detail: { security: [{ apiKey: [] }] } })
    .use(authGuard(auth))
    .get("/clusters", async () => ({ clusters: await clusters.list(nowMs()) }), {
      client: true,
      response: { 200: ClusterList, 401: ErrorBody },
      detail: {
        operationId: "listClusters",
        summary: "List clusters",
        description:
          "Registered clusters, whether an executor is connected, and when it was last seen. Connected means " +
          "an open connection that made contact within the last 45 s. `policy` is what the executor reported " +
          "of its policy when it last connected (mode, namespaces, restricted resources, timeouts, output cap, " +
          "native reads, redaction rules, impersonation on or off), or null when it reported none.",
        responses: { 200: { description: "Every registered cluster." } },
      },
    });
