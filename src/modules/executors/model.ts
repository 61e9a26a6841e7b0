/** Schemas of the executor-facing routes. */
import { t } from "elysia";
import {
  Command,
  CommandResult,
  MAX_OUTPUT_PARTS,
  MAX_POLICY_HEADER_BYTES,
  OUTPUT_PART_CHARS,
  OutputChunk,
  OutputStreamName,
  ResultOutcome,
  Uuid,
} from "../../models";

export const ExecutorHeaders = t.Object({
  authorization: t.Optional(t.String({ description: "Bearer <the cluster's executor token>" })),
  "x-cluster-id": t.Optional(t.String({ description: "The executor's cluster id (required)." })),
  "x-executor-version": t.Optional(
    t.String({ maxLength: 64, description: "The executor's version, shown in GET /debug/clusters." }),
  ),
  "x-executor-batches": t.Optional(
    t.String({
      description:
        "WebSocket only: `1` when the executor reads `commands` messages (many commands in one message).",
    }),
  ),
  "x-executor-policy": t.Optional(
    t.String({
      description:
        "The executor's policy as it reports it (ExecutorPolicy as JSON, base64url-encoded, at most " +
        `${MAX_POLICY_HEADER_BYTES} bytes), on every connection. One the server cannot read is ignored ` +
        "with a warning in its log (the connection goes ahead and the cluster shows no policy); without it " +
        "the cluster shows `policy: null`.",
    }),
  ),
  "x-executor-id": t.Optional(
    t.String({
      pattern: "^[A-Za-z0-9._-]{1,64}$",
      description: "Stable id of one executor process (long-poll leases).",
    }),
  ),
});

export const PollQuery = t.Object({
  wait: t.Integer({ minimum: 0, maximum: 60, default: 30, description: "Seconds to wait for a command." }),
  max: t.Integer({ minimum: 1, maximum: 64, default: 16, description: "Most commands to take at once." }),
});

export const PollResponse = t.Object({
  commands: t.Array(Command, { description: "Claimed for this executor; empty when none arrived in time." }),
  cancels: t.Optional(
    t.Array(Uuid, {
      description:
        "Commands whose streaming caller went away: stop them if they run (an older executor ignores this).",
    }),
  ),
});

export const ResultAccepted = t.Object({
  stored: t.Boolean({
    description: "False when a result for this command was already stored (the first stands).",
  }),
});

/** The most results one batch may carry (the executor sends at most 64). */
export const MAX_BATCH_RESULTS = 256;

export const ResultBatch = t.Object(
  {
    results: t.Array(CommandResult, {
      minItems: 1,
      maxItems: MAX_BATCH_RESULTS,
      description: "Results of any of this cluster's commands, each stored on its own.",
    }),
  },
  { title: "ResultBatch", examples: [{ results: CommandResult.examples }] },
);

/** The most chunks one POST /executor/chunks may carry. */
export const MAX_BATCH_CHUNKS = 256;

export const ChunkBatch = t.Object(
  {
    chunks: t.Array(OutputChunk, {
      minItems: 1,
      maxItems: MAX_BATCH_CHUNKS,
      description: "Streamed output of this cluster's commands, in the order it arrived.",
    }),
  },
  {
    title: "ChunkBatch",
    examples: [
      {
        chunks: [
          {
            command_id: "8d2b6f0e-4c1a-4f7e-9a3b-5e6d7c8b9a01",
            stream: "stdout",
            text: "10.0.1.23 - - GET /healthz 200\n",
          },
        ],
      },
    ],
  },
);

export const ChunksPassed = t.Object({
  passed: t.Integer({ minimum: 0, description: "Chunks passed on to whoever waits for them." }),
});

export const ResultOutcomes = t.Object({
  outcomes: t.Array(ResultOutcome, { description: "One per posted result, in the same order." }),
});

/**
 * What an executor sends over the WebSocket: one result (answered by an `ack` or an `error`), or,
 * once the server's `connected` message said `"batches": true`, many (answered by one `outcomes`).
 */
export const ExecutorMessage = t.Union([
  t.Object({ type: t.Literal("result"), result: CommandResult }),
  t.Object({
    type: t.Literal("results"),
    results: t.Array(CommandResult, { minItems: 1, maxItems: MAX_BATCH_RESULTS }),
  }),
]);

export const OutputPartParams = t.Object({
  command_id: Uuid,
  stream: OutputStreamName,
  index: t.Integer({
    minimum: 0,
    maximum: MAX_OUTPUT_PARTS - 1,
    description: "The part's place, from 0.",
    examples: [0],
  }),
});

export const OutputPartBody = t.Object(
  { text: t.String({ maxLength: OUTPUT_PART_CHARS, description: "This part of the stream, as is." }) },
  { additionalProperties: false, examples: [{ text: "2026-01-15T12:00:00Z request served\n" }] },
);

export const OutputPartAccepted = t.Object({ stored: t.Literal(true) });
