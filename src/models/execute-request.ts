/**
 * What a caller sends to run a command (POST /debug/execute, and the async route's body with a
 * callback added): the kubectl verb and argv, and the cluster or the session whose cluster it is.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { ClusterId, CorrelationId, Uuid } from "./ids";

export const MAX_COMMAND_TIMEOUT_SECONDS = 300;
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 30;
/** No server may be configured to allow a longer window: it and its margin fit the longest timeout. */
export const FOLLOW_SECONDS_CEILING = 280;
/** Most lines a caller may bound a follow by. */
export const MAX_FOLLOW_LINES = 1_000_000;

export const ExecuteRequest = t.Object(
  {
    cluster_id: t.Optional(ClusterId),
    session_id: t.Optional(Uuid),
    command_type: t.String({
      pattern: "^[a-z][a-z-]{0,31}$",
      description: "The kubectl verb. Whether it may run is the executor's policy decision.",
      examples: ["get"],
    }),
    args: t.Array(t.String({ maxLength: 4096 }), {
      maxItems: 64,
      description:
        "kubectl arguments after the verb, one word each (may be empty); never run through a shell.",
      examples: [["pods", "-o", "wide"]],
    }),
    namespace: t.Optional(
      t.String({
        pattern: "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
        description: "Adds -n NAMESPACE.",
        examples: ["shop"],
      }),
    ),
    timeout_seconds: t.Optional(
      t.Integer({
        minimum: 1,
        maximum: MAX_COMMAND_TIMEOUT_SECONDS,
        description: `How long to wait for the result; default ${DEFAULT_COMMAND_TIMEOUT_SECONDS}.`,
        examples: [30],
      }),
    ),
    follow_seconds: t.Optional(
      t.Integer({
        minimum: 1,
        maximum: FOLLOW_SECONDS_CEILING,
        description:
          "For a following command (`logs -f`, `get -w`/`--watch-only`, `events -w`, `rollout status`): how " +
          "long it runs before the executor stops it and it ends successfully with what arrived " +
          "(`follow.ended_by` window). Default and maximum are the server's (30 and 120 s unless configured; " +
          "over the maximum is 400 FOLLOW_WINDOW_TOO_LONG); the cluster's policy may shorten it " +
          "(maxFollowSeconds). Ignored for other commands.",
        examples: [30],
      }),
    ),
    follow_lines: t.Optional(
      t.Integer({
        minimum: 1,
        maximum: MAX_FOLLOW_LINES,
        description:
          "For a following command: stop it once this many lines of output arrived (`follow.ended_by` lines).",
        examples: [100],
      }),
    ),
    correlation_id: t.Optional(CorrelationId),
  },
  {
    additionalProperties: false,
    description: "Give session_id (its cluster is used) or cluster_id, or both when they agree.",
    examples: [
      {
        cluster_id: "production",
        command_type: "get",
        args: ["pods", "-o", "wide"],
        namespace: "shop",
        timeout_seconds: 30,
      },
    ],
  },
);
export type ExecuteRequest = Static<typeof ExecuteRequest>;
