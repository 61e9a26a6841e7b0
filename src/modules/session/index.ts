/** Session controller: create, read and end debugging sessions. */
import { Elysia, t } from "elysia";
import { callerOf } from "../../http/caller";
import { ErrorBody, Session } from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { CreateSessionBody, SessionParams } from "./model";
import type { SessionService } from "./service";

export const sessionModule = (auth: AuthService, sessions: SessionService) =>
  new Elysia({ prefix: "/debug/session", tags: ["Sessions"] })
    .use(authGuard(auth))
    .post(
      "/",
      async ({ body, headers, identity, set, status }) => {
        const { correlationId } = callerOf(headers, body.correlation_id);
        set.headers["x-correlation-id"] = correlationId;
        const session = await sessions.create({ ...body, correlation_id: correlationId, identity });
        return status(201, session);
      },
      {
        client: true,
        body: CreateSessionBody,
        response: { 201: Session, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        detail: {
          summary: "Start a debugging session",
          description:
            "Opens a session on a registered cluster, marking it active for the session's TTL (default 300 s).",
        },
      },
    )
    .get("/:session_id", ({ params: { session_id } }) => sessions.get(session_id), {
      client: true,
      params: SessionParams,
      response: { 200: Session, 401: ErrorBody, 404: ErrorBody },
      detail: { summary: "Read a session" },
    })
    .delete(
      "/:session_id",
      async ({ params: { session_id }, status }) => {
        await sessions.end(session_id);
        return status(204, undefined);
      },
      {
        client: true,
        params: SessionParams,
        response: { 204: t.Void(), 401: ErrorBody, 404: ErrorBody },
        detail: { summary: "End a session" },
      },
    );
