/**
 * Auth controller: admin routes that issue, rotate and revoke executor tokens. Revoking closes
 * every open executor stream of the cluster (on every replica, through the store's revoke event).
 * Every action, done or refused, goes to the audit trail, without the token.
 */
import { Elysia, t } from "elysia";
import { conflict, notFound } from "../../http/errors";
import { ErrorBody, IssuedToken } from "../../models";
import { adminAction } from "../audit/events";
import type { AuditRecorder } from "../audit/service";
import { authGuard } from "./guard";
import { ClusterParams, IssueTokenQuery } from "./model";
import type { AuthService } from "./service";

/** What a refused create says, so the caller learns how to rotate rather than only that it may not create. */
const ROTATE_HINT = "POST again with ?rotate=true to replace it";

export const authModule = (auth: AuthService, audit: AuditRecorder) =>
  new Elysia({ prefix: "/admin", tags: ["Admin"], detail: { security: [{ adminKey: [] }] } })
    .use(authGuard(auth))
    .post(
      "/clusters/:cluster_id/token",
      async ({ params: { cluster_id }, query: { rotate }, identity, status }) => {
        const outcome = await auth.issueExecutorToken(cluster_id, rotate === true);
        if ("exists" in outcome) {
          const refusal = conflict(
            "TOKEN_EXISTS",
            `cluster '${cluster_id}' already has an executor token; ${ROTATE_HINT} (the old one stops working at once)`,
            { cluster_id, hint: ROTATE_HINT },
          );
          audit.record(adminAction(identity, "token.create", cluster_id, refusal));
          throw refusal;
        }
        audit.record(adminAction(identity, outcome.rotated ? "token.rotate" : "token.create", cluster_id));
        return status(201, { cluster_id, token: outcome.token, rotated: outcome.rotated });
      },
      {
        admin: true,
        params: ClusterParams,
        query: IssueTokenQuery,
        response: { 201: IssuedToken, 401: ErrorBody, 409: ErrorBody },
        detail: {
          operationId: "issueExecutorToken",
          summary: "Issue or rotate a cluster's executor token",
          description:
            "Registers the cluster if it is new and answers its executor token, once: only its SHA-256 digest " +
            "is kept. With `?rotate=true` the new token replaces the old one, which stops working at once; " +
            "executors still using it are disconnected at their next keepalive.",
          responses: {
            201: { description: "The executor token: store it now, it is never shown again." },
            409: {
              description:
                "`TOKEN_EXISTS`: the cluster already has a token; POST again with `?rotate=true` to replace it.",
            },
          },
        },
      },
    )
    .delete(
      "/clusters/:cluster_id/token",
      async ({ params: { cluster_id }, identity, status }) => {
        if (!(await auth.revokeExecutorToken(cluster_id))) {
          const refusal = notFound("CLUSTER_NOT_FOUND", `cluster '${cluster_id}' has no executor token`, {
            cluster_id,
          });
          audit.record(adminAction(identity, "token.revoke", cluster_id, refusal));
          throw refusal;
        }
        audit.record(adminAction(identity, "token.revoke", cluster_id));
        return status(204, undefined);
      },
      {
        admin: true,
        params: ClusterParams,
        response: { 204: t.Void(), 401: ErrorBody, 404: ErrorBody },
        detail: {
          operationId: "revokeExecutorToken",
          summary: "Revoke a cluster's executor token",
          description:
            "Unregisters the cluster: its token stops working, and its executors' open streams are closed on " +
            "every replica.",
          responses: {
            204: { description: "Revoked." },
            404: { description: "`CLUSTER_NOT_FOUND`: the cluster has no executor token." },
          },
        },
      },
    );
