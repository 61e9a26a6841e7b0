/**
 * The CommandResult primitive an executor posts back. `denied` means the executor's policy refused
 * the command (nothing ran), or its cluster gate refused one of kubectl's API requests (kubectl
 * ran; what it printed is kept); `timeout` means kubectl was killed at the command's deadline.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { ClusterId, CorrelationId, Uuid } from "./ids";
import { OutputHandle, OutputParts, OutputTruncation } from "./output";

export const ResultStatus = t.Union([
  t.Literal("success"),
  t.Literal("failure"),
  t.Literal("denied"),
  t.Literal("timeout"),
]);
export type ResultStatus = Static<typeof ResultStatus>;

export const FollowEnd = t.Object(
  {
    ended_by: t.Union(
      [
        t.Literal("window"),
        t.Literal("lines"),
        t.Literal("bytes"),
        t.Literal("exit"),
        t.Literal("cancelled"),
      ],
      {
        description:
          "window: its window passed; lines: follow_lines arrived; bytes: stdout reached the policy's output " +
          "cap; exit: kubectl ended by itself first (its exit code stands); cancelled: the caller streaming " +
          "it went away. The executor stopped it for all but exit, and it succeeded with what arrived.",
      },
    ),
    seconds: t.Integer({ minimum: 0, description: "The window it ran under, in seconds." }),
  },
  {
    additionalProperties: false,
    description:
      "Present for a following command (logs -f, get -w, events -w, rollout status): how it ended.",
  },
);
export type FollowEnd = Static<typeof FollowEnd>;

export const CommandResult = t.Object(
  {
    command_id: Uuid,
    cluster_id: ClusterId,
    status: ResultStatus,
    exit_code: t.Union([t.Integer(), t.Null()], {
      description: "kubectl's exit code; null when it did not run (denied) or was killed (timeout).",
    }),
    stdout: t.String(),
    stderr: t.String(),
    truncated: t.Boolean({
      description: "True when stdout or stderr was cut at the executor's output cap (`truncation` says how).",
    }),
    truncation: t.Optional(OutputTruncation),
    output_parts: t.Optional(OutputParts),
    output: t.Optional(OutputHandle),
    execution_time_ms: t.Number({ minimum: 0 }),
    follow: t.Optional(FollowEnd),
    reason: t.Optional(t.String({ description: "Why the command was denied or failed to start." })),
    denial_code: t.Optional(
      t.String({
        description:
          "The policy's reason code when denied, e.g. VERB_NOT_ALLOWED; API_REQUEST_DENIED when the cluster " +
          "gate refused one of kubectl's requests (refused_request says which).",
        examples: ["VERB_NOT_ALLOWED"],
      }),
    ),
    api_requests: t.Optional(
      t.Object(
        {
          made: t.Integer({
            minimum: 0,
            description: "Kubernetes API requests kubectl made through the gate.",
          }),
          refused: t.Integer({ minimum: 0, description: "Of those, how many the cluster gate refused." }),
          bytes_read: t.Integer({ minimum: 0, description: "Response bytes read from the API server." }),
        },
        {
          additionalProperties: false,
          description: "What the command did through the executor's cluster gate; never the bodies.",
        },
      ),
    ),
    refused_request: t.Optional(
      t.Object(
        {
          method: t.String(),
          path: t.String({ description: "The request's path, without its query." }),
          rule: t.String({
            description: "The gate's rule, e.g. RESOURCE_RESTRICTED.",
            examples: ["NAMESPACE_DENIED"],
          }),
        },
        {
          additionalProperties: false,
          description:
            "The first request the cluster gate refused (the command is then `denied`, API_REQUEST_DENIED).",
        },
      ),
    ),
    redactions: t.Optional(
      t.Record(t.String({ pattern: "^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$" }), t.Integer({ minimum: 1 }), {
        description:
          "How many credentials the executor redacted from stdout and stderr, per rule: each shows as " +
          "`[REDACTED:<rule>]` where the value was. Rules are the executor policy's default rules " +
          "(secret-name, private-key, jwt, aws-access-key, github-token, gitlab-token, slack-token, " +
          "bearer-token, url-password) and its own. Absent when nothing was redacted.",
        examples: [{ "secret-name": 2, jwt: 1 }],
      }),
    ),
    correlation_id: t.Optional(CorrelationId),
    service_identity: t.Optional(t.String({ description: "The service that asked for the command." })),
    executor_version: t.Optional(t.String({ description: "The version of the executor that ran it." })),
    completed_at: t.String({ format: "date-time" }),
  },
  {
    // Refused in a batch's array or a WebSocket message too, not only as a whole body (where Elysia
    // adds this itself): unknown fields would otherwise be stored with the result.
    additionalProperties: false,
    title: "CommandResult",
    description:
      "What an executor answers: success or failure with kubectl's exit code and output; denied by its " +
      "policy; or timeout.",
    examples: [
      {
        command_id: "8d2b6f0e-4c1a-4f7e-9a3b-5e6d7c8b9a01",
        cluster_id: "production",
        status: "success",
        exit_code: 0,
        stdout:
          "NAME                   READY   STATUS    RESTARTS   AGE\nweb-7d4b9c6f5-x2k8p   1/1     Running   0          3d\n",
        stderr: "",
        truncated: false,
        execution_time_ms: 182,
        correlation_id: "incident-4711",
        service_identity: "agent",
        executor_version: "0.1.0",
        completed_at: "2026-01-15T12:00:01.182Z",
      },
    ],
  },
);
export type CommandResult = Static<typeof CommandResult>;

/**
 * What the server answers for each result of a batch (and, as `ack`/`error`, on the WebSocket):
 * stored, or refused with the code a single post would have got. The executor reads it back.
 */
export const ResultOutcome = t.Union(
  [
    t.Object({
      command_id: Uuid,
      stored: t.Boolean({
        description: "False when a result for this command was already stored (the first stands).",
      }),
    }),
    t.Object({
      command_id: Uuid,
      code: t.String({
        description: "Why this result was refused: `COMMAND_NOT_FOUND` or `WRONG_CLUSTER`.",
        examples: ["COMMAND_NOT_FOUND"],
      }),
      error: t.String({ description: "Human-readable message." }),
    }),
  ],
  { title: "ResultOutcome" },
);
export type ResultOutcome = Static<typeof ResultOutcome>;
