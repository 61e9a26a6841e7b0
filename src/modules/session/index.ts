/** Session controller: create, read and end debugging sessions. */
import { Elysia, t } from "elysia";
import { callerOf, readsCallerHeaders } from "../../http/caller";
import { ErrorBody, Session } from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { CreateSessionBody, SessionParams } from "./model";
import type { SessionService } from "./service";

export const sessionModule = (auth: AuthService, sessions: SessionService) =>
  new Elysia({ prefix: "/debug/session", tags: ["Sessions"], detail: { security: [{ apiKey: [] }] } })
    .use(authGuard(auth))
    .post(
      "/",
      async ({ body, headers, identity, scope, set, status }) => {
        const { correlationId } = callerOf(headers, body.correlation_id);
        set.headers["x-correlation-id"] = correlationId;
        const session = await sessions.create({ ...body, correlation_id: correlationId, identity, scope });
        return status(201, session);
      },
      {
        client: true,
        body: CreateSessionBody,
        response: { 201: Session, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        detail: {
          operationId: "createSession",
          parameters: readsCallerHeaders("X-Correlation-ID"),
          summary: "Start a debugging session",
          description:
            "Opens a session on a registered cluster, marking it active for the session's TTL (default 300 s); " +
            "each command run in the session extends it by that TTL. The correlation id comes from the body, " +
            "else X-Correlation-ID, else is generated, and is echoed in X-Correlation-ID.",
          responses: {
            201: { description: "The session: pass its session_id to POST /debug/execute." },
            400: {
              description: "`INVALID_HEADER`: X-Correlation-ID is not 1-128 characters of [A-Za-z0-9._:/@-].",
            },
            403: { description: "`SCOPE_DENIED`: the cluster is outside the caller's scope (`clusters`)." },
            404: { description: "`CLUSTER_NOT_FOUND`: no executor token was ever issued for the cluster." },
          },
        },
      },
    )
    .get("/:session_id", ({ params: { session_id }, identity }) => sessions.get(session_id, identity), {
      client: true,
      params: SessionParams,
      response: { 200: Session, 401: ErrorBody, 404: ErrorBody },
      detail: {
        operationId: "getSession",
        summary: "Read a session",
        description:
          "A live session of the caller's. Expired and ended sessions are gone; another principal's session " +
          "answers exactly as an unknown id.",
        responses: {
          200: { description: "The session." },
          404: { description: "`SESSION_NOT_FOUND`: no such session of the caller's, or it has expired." },
        },
      },
    })
    .delete(
      "/:session_id",
      async ({ params: { session_id }, identity, status }) => {
        await sessions.end(session_id, identity);
        return status(204, undefined);
      },
      {
        client: true,
        params: SessionParams,
        response: { 204: t.Void(), 401: ErrorBody, 404: ErrorBody },
        detail: {
          operationId: "endSession",
          summary: "End a session",
          description:
            "Ends the caller's session now rather than at its expiry; another principal's session answers " +
            "exactly as an unknown id.",
          responses: {
            204: { description: "Ended." },
            404: { description: "`SESSION_NOT_FOUND`: no such session of the caller's, or it has expired." },
          },
        },
      },
    );
