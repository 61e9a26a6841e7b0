/**
 * Owns printing followed logs as kubectl does (its DefaultConsumeRequest): each read is passed on a
 * whole line at a time, led by its source with --prefix, so reads followed together interleave by
 * line and never within one; a read's last line is printed cut short only when its stream ends.
 * Reading stops when the sink's `stop` aborts: a line still incomplete then was never printed by
 * kubectl either.
 */
import type { FollowSink } from "./output";

const NEWLINE = 0x0a;

/** One open pods/log stream, and what leads each of its lines (empty without --prefix). */
export interface FollowedRead {
  body: ReadableStream<Uint8Array>;
  prefix: string;
}

/** Every line of `bytes`, each led by `prefix`. */
function prefixed(bytes: Uint8Array, prefix: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.byteLength) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline < 0 ? bytes.byteLength : newline + 1;
    parts.push(prefix, bytes.subarray(start, end));
    start = end;
  }
  return Buffer.concat(parts);
}

async function follow({ body, prefix }: FollowedRead, sink: FollowSink): Promise<void> {
  const lead = new TextEncoder().encode(prefix);
  const write = (bytes: Uint8Array) => {
    if (bytes.byteLength > 0 && !sink.stop.aborted)
      sink.write("stdout", lead.byteLength > 0 ? prefixed(bytes, lead) : bytes);
  };
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  sink.stop.addEventListener("abort", stop, { once: true });
  let pending: Uint8Array = new Uint8Array(0);
  try {
    while (!sink.stop.aborted) {
      const { done, value } = await reader.read();
      if (done) {
        write(pending);
        return;
      }
      const chunk = pending.byteLength > 0 ? Buffer.concat([pending, value]) : value;
      const last = chunk.lastIndexOf(NEWLINE);
      write(chunk.subarray(0, last + 1));
      pending = chunk.subarray(last + 1);
    }
  } catch {
    // A stream cut under the read ends it, as the gate ends kubectl's: with what came whole.
  } finally {
    sink.stop.removeEventListener("abort", stop);
  }
}

/** Follows every read at once until each ends or the sink stops them. */
export async function followReads(reads: readonly FollowedRead[], sink: FollowSink): Promise<void> {
  await Promise.all(reads.map((read) => follow(read, sink)));
}
