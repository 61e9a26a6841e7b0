/**
 * A command's output beyond what one answer should carry. The executor keeps each stream up to its
 * policy's cap (the start of it, or for `logs` the end) and says how it was cut; a stream too large
 * for one result post travels in parts first. The server keeps the whole output for the result's
 * TTL, answers callers with a preview and an output handle when a stream is large, and pages it by
 * lines (GET /debug/results/{command_id}/output) for the caller that ran the command.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { Uuid } from "./ids";

export const OutputStreamName = t.Union([t.Literal("stdout"), t.Literal("stderr")], {
  description: "Which of the command's output streams.",
  examples: ["stdout"],
});
export type OutputStreamName = Static<typeof OutputStreamName>;

export const OutputKept = t.Union([t.Literal("head"), t.Literal("tail")], {
  description: "`head`: the first bytes were kept (most commands); `tail`: the newest lines (`logs`).",
});
export type OutputKept = Static<typeof OutputKept>;

export const OutputCut = t.Object(
  {
    kept: OutputKept,
    dropped_bytes: t.Integer({ minimum: 1, description: "How many bytes of the stream were dropped." }),
  },
  { additionalProperties: false },
);
export type OutputCut = Static<typeof OutputCut>;

export const OutputTruncation = t.Object(
  { stdout: t.Optional(OutputCut), stderr: t.Optional(OutputCut) },
  {
    additionalProperties: false,
    description:
      "Each stream that was over the executor's output cap, which end of it was kept, and how much was dropped.",
  },
);
export type OutputTruncation = Static<typeof OutputTruncation>;

/** Most parts a stream may travel in, and the most characters of it one part carries. */
export const MAX_OUTPUT_PARTS = 64;
export const OUTPUT_PART_CHARS = 1024 * 1024;

const PartCount = t.Integer({ minimum: 1, maximum: MAX_OUTPUT_PARTS });

export const OutputParts = t.Object(
  { stdout: t.Optional(PartCount), stderr: t.Optional(PartCount) },
  {
    additionalProperties: false,
    description:
      "Executor → server only: this stream was uploaded in this many parts " +
      "(PUT /executor/results/{command_id}/output/{stream}/{index}) and its field here is empty; " +
      "the server puts the parts together before it stores the result.",
  },
);
export type OutputParts = Static<typeof OutputParts>;

export const OutputStreamSummary = t.Object(
  {
    bytes: t.Integer({ minimum: 0, description: "The stream's whole size, UTF-8 bytes." }),
    lines: t.Integer({ minimum: 0, description: "How many lines it has." }),
    preview: t.Boolean({
      description: "True when this answer's field holds only the first and last lines of it.",
    }),
  },
  { additionalProperties: false },
);
export type OutputStreamSummary = Static<typeof OutputStreamSummary>;

export const OutputHandle = t.Object(
  {
    handle: Uuid,
    url: t.String({ description: "Where to page it, relative to the API's base URL." }),
    stdout: OutputStreamSummary,
    stderr: OutputStreamSummary,
  },
  {
    additionalProperties: false,
    description:
      "Set by the server when a stream is larger than it answers inline: that stream's field holds a " +
      "preview (its first and last lines), and the whole output is read by lines with the handle, by the " +
      "same API key, for as long as the result is kept.",
  },
);
export type OutputHandle = Static<typeof OutputHandle>;

export const OutputLine = t.Object(
  {
    n: t.Integer({ minimum: 1, description: "The line's number in the stream, from 1." }),
    text: t.String({ description: "The line, without its newline." }),
  },
  { additionalProperties: false },
);

export const OutputPage = t.Object(
  {
    command_id: Uuid,
    stream: OutputStreamName,
    total_lines: t.Integer({ minimum: 0 }),
    total_bytes: t.Integer({ minimum: 0 }),
    grep: t.Optional(t.String({ description: "The pattern this page was filtered by." })),
    matched_lines: t.Optional(
      t.Integer({ minimum: 0, description: "With grep: how many lines match it in the whole stream." }),
    ),
    offset: t.Integer({
      minimum: 0,
      description: "Where this page starts: a line index (from 0), or with grep an index into the matches.",
    }),
    lines: t.Array(OutputLine),
    next_offset: t.Union([t.Integer({ minimum: 0 }), t.Null()], {
      description: "The offset of the next page; null when this page reaches the end.",
    }),
  },
  {
    title: "OutputPage",
    additionalProperties: false,
    examples: [
      {
        command_id: "8d2b6f0e-4c1a-4f7e-9a3b-5e6d7c8b9a01",
        stream: "stdout",
        total_lines: 41203,
        total_bytes: 3145728,
        grep: "error|panic",
        matched_lines: 2,
        offset: 0,
        lines: [
          { n: 40211, text: "2026-01-15T12:00:00Z error: connection refused" },
          { n: 41190, text: "2026-01-15T12:00:41Z panic: runtime error" },
        ],
        next_offset: null,
      },
    ],
  },
);
export type OutputPage = Static<typeof OutputPage>;

/** Lines one page holds at most, and by default. */
export const MAX_OUTPUT_PAGE_LINES = 5_000;
export const DEFAULT_OUTPUT_PAGE_LINES = 200;
export const MAX_GREP_LENGTH = 512;

/** What a reader of an output asks for (GET /debug/results/{command_id}/output). */
export const OutputPageQuery = t.Object(
  {
    stream: t.Optional(OutputStreamName),
    offset: t.Optional(
      t.Integer({
        minimum: -1_000_000_000,
        maximum: 1_000_000_000,
        description:
          "The first line of the page, from 0 (with grep: the first match); negative counts from the end " +
          "(-100: the last hundred). Past the end: 400 OFFSET_OUT_OF_RANGE.",
      }),
    ),
    limit: t.Optional(
      t.Integer({
        minimum: 1,
        maximum: MAX_OUTPUT_PAGE_LINES,
        description: `Lines on the page, default ${DEFAULT_OUTPUT_PAGE_LINES}; a page also stops before 1 MiB of text.`,
      }),
    ),
    tail: t.Optional(
      t.Integer({
        minimum: 1,
        maximum: MAX_OUTPUT_PAGE_LINES,
        description: "The last N lines (with grep: the last N matches); instead of offset.",
      }),
    ),
    grep: t.Optional(
      t.String({
        minLength: 1,
        maxLength: MAX_GREP_LENGTH,
        description:
          "Only the lines this regular expression matches, numbered as in the whole stream. RE2 syntax " +
          "(no backreferences or lookaround; `(?i)` ignores case): its time is linear in the output's " +
          "size whatever the pattern.",
        examples: ["error|panic"],
      }),
    ),
  },
  { additionalProperties: false },
);
export type OutputPageQuery = Static<typeof OutputPageQuery>;
