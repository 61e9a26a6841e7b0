/**
 * Output as it arrives, for a caller that streams a command (POST /debug/execute with
 * `Accept: text/event-stream`): the executor sends its redacted lines as they come, the server passes
 * them on as SSE `chunk` events. Chunks are never stored; the result still carries the whole output.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { Uuid } from "./ids";

/** The most characters one chunk carries; the executor sends longer output as several. */
export const MAX_CHUNK_CHARS = 64 * 1024;

export const OutputChunk = t.Object(
  {
    command_id: Uuid,
    stream: t.Union([t.Literal("stdout"), t.Literal("stderr")]),
    text: t.String({ maxLength: MAX_CHUNK_CHARS, description: "Whole lines, redacted as the result is." }),
  },
  { additionalProperties: false, title: "OutputChunk" },
);
export type OutputChunk = Static<typeof OutputChunk>;
