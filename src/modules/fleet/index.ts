/** Fleet controller: POST /debug/execute/fleet runs one command on many clusters and answers per cluster. */
import { Elysia } from "elysia";
import { callerOf } from "../../http/caller";
import { wantsEvents } from "../../http/event-stream";
import { acceptIntegerStrings } from "../../http/integer-strings";
import {
  ErrorBody,
  FleetAnswer,
  FleetExecuteRequest,
  MAX_COMMAND_TIMEOUT_SECONDS,
  MAX_FLEET_CLUSTERS,
} from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { EXECUTE_REFUSALS } from "../dispatch/model";
import type { FleetExecute } from "./service";
import type { StreamFleet } from "./stream";

const FleetBody = acceptIntegerStrings(FleetExecuteRequest);

export const fleetModule = (auth: AuthService, fleet: FleetExecute, streamFleet: StreamFleet) =>
  new Elysia({ prefix: "/debug", tags: ["Commands"], detail: { security: [{ apiKey: [] }] } })
    .use(authGuard(auth))
    .post(
      "/execute/fleet",
      ({ body: { correlation_id, ...request }, headers, identity, scope, request: http, server, set }) => {
        const caller = callerOf(headers, correlation_id);
        server?.timeout(http, MAX_COMMAND_TIMEOUT_SECONDS + 15);
        set.headers["x-correlation-id"] = caller.correlationId;
        if (wantsEvents(headers.accept))
          return streamFleet(request, { identity, scope, ...caller }, http.signal);
        return fleet(request, { identity, scope, ...caller });
      },
      {
        client: true,
        body: FleetBody,
        response: { 200: FleetAnswer, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 503: ErrorBody },
        detail: {
          operationId: "executeFleet",
          summary: "Run one kubectl command on many clusters at once",
          description:
            `Runs the command on every cluster named in \`clusters\` (at most ${MAX_FLEET_CLUSTERS}) or matched by ` +
            "`selector` (labels and/or an id glob), all at once, and answers when every cluster has its " +
            "outcome, within the command's timeout: `success` or `failure` with its result, `denied`, " +
            "`offline` (no executor connected: nothing was queued there), `timeout`, or `error` (e.g. an " +
            "unknown id in `clusters`). One cluster never fails the call. Each cluster's command is queued, " +
            "checked, audited and rate-limited as POST /debug/execute would, and every one carries the call's " +
            "correlation id (X-Correlation-ID, generated when absent), which ties their audit entries together.\n\n" +
            "With `Accept: text/event-stream` the answer, once the commands are queued, is Server-Sent Events, " +
            "per cluster: `accepted` ({correlation_id, clusters: [{cluster_id, command_id}]}; command_id null " +
            "for a cluster answered at once, e.g. offline, whose `cluster` event follows right away), `chunk` " +
            "({cluster_id, stream, text}: a cluster's output as its executor sends it, as on POST " +
            "/debug/execute), one `cluster` per cluster as it ends (its answer, as in the JSON answer's " +
            "`clusters`), then `summary` ({correlation_id, summary}), and the stream ends. A caller that goes " +
            "away has every command still running stopped in its cluster (`follow.ended_by` cancelled). " +
            "Refusals before anything is queued are the ordinary JSON errors.",
          responses: {
            200: { description: "One answer per cluster, in cluster id order, and how many ended each way." },
            400: {
              description:
                "`CLUSTERS_REQUIRED`: neither clusters nor selector. `EMPTY_SELECTOR`: a selector with no labels " +
                "and no name. `CLUSTERS_OR_SELECTOR`: both given. `FOLLOW_WINDOW_TOO_LONG`: follow_seconds over " +
                "the server's maximum. `VALIDATION_ERROR`: e.g. more than the most clusters.",
            },
            404: {
              description:
                "`NO_CLUSTER_MATCHES`: the selector matches no registered cluster; nothing was queued.",
            },
            503: { description: EXECUTE_REFUSALS[503] },
          },
        },
      },
    );
