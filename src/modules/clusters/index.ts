/** Clusters controller: lists registered clusters and their executors' presence. */
import { Elysia } from "elysia";
import { ErrorBody } from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { ClusterList } from "./model";
import type { ClusterService } from "./service";

export const clustersModule = (auth: AuthService, clusters: ClusterService) =>
  new Elysia({ prefix: "/debug", tags: ["Clusters"] })
    .use(authGuard(auth))
    .get("/clusters", async () => ({ clusters: await clusters.list(Date.now()) }), {
      client: true,
      response: { 200: ClusterList, 401: ErrorBody },
      detail: {
        summary: "List clusters",
        description: "Registered clusters, whether an executor is connected, and when it was last seen.",
      },
    });
