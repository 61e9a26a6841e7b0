/**
 * One command across many clusters (POST /debug/execute/fleet): which clusters, as a list of ids or a
 * selector over the clusters' labels and names, and the answer: one outcome per cluster, never one
 * failure for all.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { LABEL_KEY_PATTERN, LABEL_VALUE_PATTERN } from "./cluster";
import { ExecuteRequest } from "./execute-request";
import { ClusterId, CorrelationId } from "./ids";
import { CommandResult } from "./result";

/** Most clusters one fleet call names or selects. */
export const MAX_FLEET_CLUSTERS = 500;

export const ClusterSelector = t.Object(
  {
    labels: t.Optional(
      t.Record(
        t.String({ pattern: LABEL_KEY_PATTERN, maxLength: 253 }),
        t.String({ pattern: LABEL_VALUE_PATTERN }),
        {
          maxProperties: 16,
          additionalProperties: false,
          description: "Clusters carrying every one of these labels with these values.",
          examples: [{ env: "prod" }],
        },
      ),
    ),
    name: t.Optional(
      t.String({
        pattern: "^[a-z0-9*?-]{1,63}$",
        description: "Clusters whose id matches this glob: `*` any run of characters, `?` one.",
        examples: ["prod-*"],
      }),
    ),
  },
  { additionalProperties: false, description: "Both, when both are given. At least one is needed." },
);
export type ClusterSelector = Static<typeof ClusterSelector>;

const { cluster_id: _cluster, session_id: _session, ...command } = ExecuteRequest.properties;

export const FleetExecuteRequest = t.Object(
  {
    clusters: t.Optional(
      t.Array(ClusterId, {
        minItems: 1,
        maxItems: MAX_FLEET_CLUSTERS,
        uniqueItems: true,
        description: "The clusters, by id; or give selector.",
      }),
    ),
    selector: t.Optional(ClusterSelector),
    ...command,
  },
  {
    additionalProperties: false,
    description: "One kubectl command and the clusters to run it on: `clusters` or `selector`, not both.",
    examples: [
      { selector: { name: "prod-*" }, command_type: "get", args: ["pods", "-A"], timeout_seconds: 30 },
    ],
  },
);
export type FleetExecuteRequest = Static<typeof FleetExecuteRequest>;

export const FleetOutcome = t.Union(
  [
    t.Literal("success"),
    t.Literal("failure"),
    t.Literal("denied"),
    t.Literal("offline"),
    t.Literal("timeout"),
    t.Literal("error"),
  ],
  {
    description:
      "success or failure: kubectl ran, with its exit code; denied: the cluster's policy refused it; " +
      "offline: no executor connected (nothing was queued) or none took it in time; timeout: it ran out " +
      "of time; error: it could not be queued there (an unknown cluster, the cluster's rate limit).",
  },
);
export type FleetOutcome = Static<typeof FleetOutcome>;

/** Why a cluster has no result: the error its own execute would have answered with. */
export const FleetClusterError = t.Object(
  {
    code: t.String({ examples: ["EXECUTOR_OFFLINE"] }),
    message: t.String(),
    context: t.Record(t.String(), t.Unknown()),
  },
  { additionalProperties: false },
);

export const FleetClusterAnswer = t.Object(
  {
    cluster_id: ClusterId,
    outcome: FleetOutcome,
    result: t.Optional(CommandResult),
    error: t.Optional(FleetClusterError),
  },
  { additionalProperties: false },
);
export type FleetClusterAnswer = Static<typeof FleetClusterAnswer>;

export const FleetAnswer = t.Object(
  {
    correlation_id: CorrelationId,
    clusters: t.Array(FleetClusterAnswer, { description: "One per cluster, in cluster id order." }),
    summary: t.Record(FleetOutcome, t.Integer({ minimum: 0 }), {
      description: "How many clusters ended each way.",
    }),
  },
  {
    title: "FleetAnswer",
    additionalProperties: false,
  },
);
export type FleetAnswer = Static<typeof FleetAnswer>;
