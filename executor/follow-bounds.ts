/**
 * Owns the bounds a following command (`logs -f`, `get -w`) ends by, whether kubectl or native reads
 * answer it: its window, a line count, the output cap's bytes, or its caller leaving. Either way the
 * output so far is its answer.
 */

export interface FollowBounds {
  /** Stopped this long after it started, or at timeoutMs if that comes first (still by its window). */
  windowMs: number;
  /** Stopped once stdout holds this many lines (and keeps those only). */
  maxLines?: number;
}

/** Why the runner stopped a following command; its output so far is its answer. */
export type FollowStop = "window" | "lines" | "bytes" | "cancelled";

/**
 * When the window ends, from the start: at the timeout if that comes first, still by the window
 * (a window as long as what is left of the timeout ends the follow with what arrived, not as a timeout).
 */
export const windowMs = (bounds: FollowBounds, timeoutMs: number) =>
  Math.max(1, Math.min(bounds.windowMs, timeoutMs));

/**
 * Watches a following command's stdout for its bounds: `stop` is called once it holds maxLines lines
 * or the output cap's bytes (more would be cut, so a follow ends there with all it kept). Returns
 * what of each chunk is within the line bound, for what is passed on as it arrives: a streaming
 * caller sees exactly the lines the result holds.
 */
export function followWatcher(bounds: FollowBounds, capBytes: number, stop: (why: FollowStop) => void) {
  let lines = 0;
  let bytes = 0;
  return (chunk: Uint8Array): Uint8Array => {
    const { maxLines } = bounds;
    if (maxLines !== undefined && lines >= maxLines) return chunk.subarray(0, 0);
    bytes += chunk.byteLength;
    if (maxLines !== undefined) {
      for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) {
        lines += 1;
        if (lines === maxLines) {
          stop("lines");
          return chunk.subarray(0, at + 1);
        }
      }
    }
    if (bytes >= capBytes) stop("bytes");
    return chunk;
  };
}

/** The first `count` lines of a text: what a follow stopped at its line bound answers. */
export function firstLines(text: string, count: number): string {
  let end = -1;
  for (let i = 0; i < count; i++) {
    end = text.indexOf("\n", end + 1);
    if (end < 0) return text;
  }
  return text.slice(0, end + 1);
}
