/**
 * Owns running a command natively under the same bounds as kubectl: the command's timeout (the
 * grant's close then cuts any request still open), the policy's output cap per stream, and for a
 * following command its window, line and byte bounds and its caller leaving (follow-bounds.ts),
 * its output passed on as it arrives. Answers undefined when native reads do not answer the argv,
 * or fail in a way kubectl would not: then the command runs kubectl.
 */
import { type FollowBounds, type FollowStop, followWatcher, windowMs } from "../follow-bounds";
import { CappedStream, capText } from "../output-cap";
import { cappedOutcome, type RunOutcome, type RunRequest } from "../runner";
import type { KubeFetch } from "./client";
import type { NativeReads } from "./index";
import type { NativeOutput } from "./output";

const encoder = new TextEncoder();

export async function runNatively(
  native: NativeReads,
  request: RunRequest,
  fetch: KubeFetch,
): Promise<RunOutcome | undefined> {
  if (request.follow) return followNatively(native, request, request.follow, fetch);
  const { argv, timeoutMs, maxOutputBytes, keep, onOutput } = request;
  const started = performance.now();
  let timer: Timer | undefined;
  const expired = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(1, timeoutMs));
  });
  try {
    const output = await Promise.race([native.answer(argv, fetch), expired]);
    const durationMs = performance.now() - started;
    if (output === "timeout") {
      return { exitCode: null, stdout: "", stderr: "", truncated: false, timedOut: true, durationMs };
    }
    if (output === undefined) return undefined;
    // Answered in process, the output is whole at once: it leaves as one chunk a stream.
    if (onOutput && output.stdout) onOutput("stdout", encoder.encode(output.stdout));
    if (onOutput && output.stderr) onOutput("stderr", encoder.encode(output.stderr));
    return {
      exitCode: output.exitCode,
      ...cappedOutcome(
        capText(output.stdout, maxOutputBytes, keep),
        capText(output.stderr, maxOutputBytes, keep),
      ),
      timedOut: false,
      durationMs,
    };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A following command: what native reads write goes to its capped streams and its caller at once,
 * and the first bound reached stops it, as the runner stops kubectl; its output so far is then
 * its answer, and it succeeded.
 */
async function followNatively(
  native: NativeReads,
  { argv, timeoutMs, maxOutputBytes, keep, onOutput, signal }: RunRequest,
  follow: FollowBounds,
  fetch: KubeFetch,
): Promise<RunOutcome | undefined> {
  const started = performance.now();
  const streams = {
    stdout: new CappedStream(maxOutputBytes, keep),
    stderr: new CappedStream(maxOutputBytes, keep),
  };
  const stopping = new AbortController();
  let stoppedBy: FollowStop | undefined;
  let wrote = false;
  const stop = (why: FollowStop) => {
    if (stoppedBy !== undefined) return;
    stoppedBy = why;
    stopping.abort();
  };
  const stopped = new Promise<"stopped">((resolve) =>
    stopping.signal.addEventListener("abort", () => resolve("stopped"), { once: true }),
  );
  const watch = followWatcher(follow, maxOutputBytes, stop);
  const write = (stream: "stdout" | "stderr", bytes: Uint8Array) => {
    if (stopping.signal.aborted || bytes.byteLength === 0) return;
    wrote = true;
    const within = stream === "stdout" ? watch(bytes) : bytes;
    streams[stream].push(within);
    if (within.byteLength > 0) onOutput?.(stream, within);
  };
  const window = setTimeout(() => stop("window"), windowMs(follow, timeoutMs));
  const cancel = () => stop("cancelled");
  signal?.addEventListener("abort", cancel, { once: true });
  if (signal?.aborted) cancel();
  let output: NativeOutput | "stopped" | undefined;
  try {
    output = await Promise.race([native.follow(argv, fetch, { write, stop: stopping.signal }), stopped]);
  } catch {
    output = undefined;
  } finally {
    clearTimeout(window);
    signal?.removeEventListener("abort", cancel);
  }
  // Nothing is written before native reads know they answer; a fallback after that would print twice.
  if (output === undefined && !wrote && stoppedBy === undefined) return undefined;
  const answered = output === "stopped" ? undefined : output;
  if (answered !== undefined) {
    write("stdout", encoder.encode(answered.stdout));
    write("stderr", encoder.encode(answered.stderr));
  }
  // The line bound kept only the lines within it (followWatcher), so stdout holds exactly those.
  const out = streams.stdout.finish();
  return {
    // Stopped by a bound, a follow did what it was asked; ended by itself, its answer's code stands.
    exitCode: stoppedBy === undefined ? (answered?.exitCode ?? 0) : 0,
    ...cappedOutcome(out, streams.stderr.finish()),
    timedOut: false,
    durationMs: performance.now() - started,
    ...(stoppedBy !== undefined ? { stoppedBy } : {}),
  };
}
