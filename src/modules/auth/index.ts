/**
 * Auth controller: admin routes that issue, rotate and revoke executor tokens. Revoking closes
 * every open executor stream of the cluster (on every replica, through the store's revoke event).
 */
import { Elysia, t } from "elysia";
import { conflict, notFound } from "../../http/errors";
import { ErrorBody } from "../../models";
import type { Store } from "../../store";
import { authGuard } from "./guard";
import { ClusterParams, IssuedToken, IssueTokenQuery } from "./model";
import type { AuthService } from "./service";

export const authModule = (auth: AuthService, store: Store) =>
  new Elysia({ prefix: "/admin", tags: ["Admin"] })
    .use(authGuard(auth))
    .post(
      "/clusters/:cluster_id/token",
      async ({ params: { cluster_id }, query: { rotate }, identity, status }) => {
        const outcome = await auth.issueExecutorToken(cluster_id, rotate === true);
        if ("exists" in outcome) {
          throw conflict("TOKEN_EXISTS", `cluster '${cluster_id}' already has an executor token`, {
            cluster_id,
            hint: "POST again with ?rotate=true to replace it",
          });
        }
        await store.appendLog(
          { kind: "admin", action: outcome.rotated ? "token.rotate" : "token.create", cluster_id, identity },
          Date.now(),
        );
        return status(201, { cluster_id, token: outcome.token, rotated: outcome.rotated });
      },
      {
        admin: true,
        params: ClusterParams,
        query: IssueTokenQuery,
        response: { 201: IssuedToken, 401: ErrorBody, 409: ErrorBody },
        detail: {
          summary: "Issue or rotate a cluster's executor token",
          description: "Registers the cluster if new. The token is returned once and never again.",
        },
      },
    )
    .delete(
      "/clusters/:cluster_id/token",
      async ({ params: { cluster_id }, identity, status }) => {
        if (!(await auth.revokeExecutorToken(cluster_id))) {
          throw notFound("CLUSTER_NOT_FOUND", `cluster '${cluster_id}' has no executor token`, {
            cluster_id,
          });
        }
        await store.appendLog({ kind: "admin", action: "token.revoke", cluster_id, identity }, Date.now());
        return status(204, undefined);
      },
      {
        admin: true,
        params: ClusterParams,
        response: { 204: t.Void(), 401: ErrorBody, 404: ErrorBody },
        detail: {
          summary: "Revoke a cluster's executor token",
          description: "Unregisters the cluster and closes its executors' open streams.",
        },
      },
    );
