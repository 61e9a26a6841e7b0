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
    .get("/clusters", async ({ scope }) => ({ clusters: await clusters.list(nowMs(), scope) }), {
      client: true,
      response: { 200: ClusterList, 401: ErrorBody },
      detail: {
        operationId: "listClusters",
        summary: "List clusters",
        description:
          "Registered clusters, whether an executor is connected, and when it was last seen. Connected means " +
          "an open connection that made contact within the last 45 s. A scoped principal sees only the clusters " +
          "in its scope.",
        responses: { 200: { description: "Every registered cluster in the caller's scope." } },
      },
    });
