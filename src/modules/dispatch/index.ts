/**
 * Dispatch controller: POST /debug/execute runs a command on its cluster and answers with its result
 * (the async route, which dispatches the same way, is the operations module's).
 */
import { Elysia } from "elysia";
import { callerOf, readsCallerHeaders } from "../../http/caller";
import { requestIdOf } from "../../http/core";
import { wantsEvents } from "../../http/event-stream";
import { CommandResult, ErrorBody, MAX_COMMAND_TIMEOUT_SECONDS } from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { EXECUTE_REFUSALS, ExecuteBody } from "./model";
import type { Execute } from "./service";
import type { StreamExecute } from "./stream";

export const dispatchModule = (auth: AuthService, execute: Execute, streamExecute: StreamExecute) =>
  new Elysia({ prefix: "/debug", tags: ["Commands"], detail: { security: [{ apiKey: [] }] } })
    .use(authGuard(auth))
    .post(
      "/execute",
      // The caller's headers are read from the request: naming Elysia's `headers` makes it copy every
      // header of every request into an object first.
      ({ body: { correlation_id, ...input }, identity, scope, request, server, set }) => {
        const caller = callerOf(request.headers, correlation_id);
        // The answer may take up to the command's timeout: keep the idle connection open that long.
        server?.timeout(request, MAX_COMMAND_TIMEOUT_SECONDS + 15);
        set.headers["x-correlation-id"] = caller.correlationId;
        if (wantsEvents(request.headers.get("accept") ?? undefined)) {
          return streamExecute(
            input,
            { identity, scope, ...caller },
            { signal: request.signal, requestId: requestIdOf(request) },
          );
        }
        return execute(input, { identity, scope, ...caller });
      },
      {
        client: true,
        body: ExecuteBody,
        response: {
          200: CommandResult,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          429: ErrorBody,
          503: ErrorBody,
          504: ErrorBody,
        },
        detail: {
          operationId: "executeCommand",
          parameters: readsCallerHeaders("X-Correlation-ID", "X-Service-Identity", "X-Request-Timeout"),
          summary: "Run a kubectl command on a cluster and wait for its result",
          description:
            "Queues the command for the cluster's executor, which checks it against its policy and runs kubectl " +
            "without a shell. 200 with the output (status success or failure, with kubectl's exit code); " +
            "403 COMMAND_DENIED when the policy refuses it; 504 EXECUTOR_OFFLINE when no executor took it in " +
            "time, 504 COMMAND_TIMEOUT when it ran out of time. A following command (logs -f, get -w, " +
            "events -w, rollout status) runs for its window (follow_seconds) and answers 200 with what " +
            "arrived, `follow.ended_by` saying what ended it.\n\nWith `Accept: text/event-stream` the answer, " +
            "once the command is queued, is Server-Sent Events: `accepted` ({command_id, cluster_id}), `chunk` " +
            "({stream, text}: output as the executor sends it, redacted, in whole lines; executors on the " +
            "WebSocket only), then `result` (the CommandResult) or `error` (the error format with its " +
            "`status`). A caller that goes away has the command stopped in the cluster " +
            "(`follow.ended_by` cancelled). Refusals before queueing are the ordinary JSON errors. " +
            "Honours X-Correlation-ID, X-Service-Identity " +
            "and X-Request-Timeout.",
          responses: {
            200: {
              description:
                "The command ran: `status` success or failure, with kubectl's exit code and output; a following " +
                "command stopped by its window, line or byte bound is success with exit code 0.",
            },
            400: {
              description:
                "`CLUSTER_REQUIRED`: neither cluster_id nor session_id. `SESSION_CLUSTER_MISMATCH`: the session " +
                "belongs to another cluster. `FOLLOW_WINDOW_TOO_LONG`: follow_seconds is over the server's " +
                "maximum (details.context.max_follow_seconds); nothing is queued. `INVALID_HEADER`: " +
                "X-Correlation-ID, X-Service-Identity or X-Request-Timeout is malformed.",
            },
            403: {
              description:
                "`COMMAND_DENIED`: the executor's policy refused it and nothing ran (details.context.denial_code says why). " +
                EXECUTE_REFUSALS[403],
            },
            404: { description: "`CLUSTER_NOT_FOUND` or `SESSION_NOT_FOUND`." },
            429: { description: EXECUTE_REFUSALS[429] },
            503: { description: EXECUTE_REFUSALS[503] },
            504: {
              description:
                "`EXECUTOR_OFFLINE`: no executor took it in time. `COMMAND_TIMEOUT`: it ran out of time.",
            },
          },
        },
      },
    );
