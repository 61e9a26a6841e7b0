/**
 * Runs kubectl: argv only (never a shell), in its own process group so a timeout kills everything it
 * started, stdout and stderr kept apart and each capped, with a scrubbed environment that carries
 * no credential at all: neither the executor's token nor the cluster's (no KUBECONFIG of the
 * executor's, no KUBERNETES_SERVICE_*, a HOME with no ~/.kube). Each run adds the kubeconfig the
 * cluster gate made for its command.
 */
import type { OutputKept, OutputTruncation } from "../src/models";
import { type FollowBounds, type FollowStop, firstLines, followWatcher, windowMs } from "./follow-bounds";
import { CappedStream, type CappedText } from "./output-cap";

export interface RunRequest {
  argv: string[];
  timeoutMs: number;
  /** Each stream's cap, and which end of a longer stream is kept. */
  maxOutputBytes: number;
  keep: OutputKept;
  /** Added to the runner's environment for this run: KUBECONFIG, the gate's per-command file. */
  env?: Record<string, string>;
  /** For a following command (logs -f, get -w): when the runner stops it and calls that its end. */
  follow?: FollowBounds;
  /** Told each piece of output as it arrives (a streaming caller's chunks). */
  onOutput?: (stream: "stdout" | "stderr", chunk: Uint8Array) => void;
  /** Aborted when the caller streaming it went away: the runner stops it (`cancelled`). */
  signal?: AbortSignal;
}

export interface RunOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  /** How each stream over the cap was cut; absent when none was. */
  truncation?: OutputTruncation;
  timedOut: boolean;
  durationMs: number;
  /** Set when kubectl could not be started at all. */
  spawnError?: string;
  /** Set when the runner stopped a following command by one of its bounds. */
  stoppedBy?: FollowStop;
}

export interface RunnerOptions {
  kubectl: string;
  /** Environment for every kubectl: PATH, HOME, KUBECACHEDIR, locale. */
  env: Record<string, string>;
}

export type Runner = (request: RunRequest) => Promise<RunOutcome>;

/** Variables kubectl needs; everything else (every credential above all) stays out. */
const PASSED_THROUGH = ["PATH", "TZ", "LANG"];

/** kubectl's environment: `home` is a private folder, so no ~/.kube/config of the executor's is found. */
export function kubectlEnv(
  env: Record<string, string | undefined>,
  cacheDir: string,
  home: string,
): Record<string, string> {
  const out: Record<string, string> = { KUBECACHEDIR: cacheDir, HOME: home };
  for (const name of PASSED_THROUGH) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

async function readCapped(
  stream: ReadableStream<Uint8Array>,
  capped: CappedStream,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<CappedText> {
  // Read to the end even past the cap, so kubectl never blocks on a full pipe.
  for await (const chunk of stream) {
    capped.push(chunk);
    onChunk?.(chunk);
  }
  return capped.finish();
}

/** Kills kubectl and everything it started (its process group). */
function killGroup(proc: { pid: number; kill(signal: "SIGKILL"): void }): void {
  try {
    process.kill(-proc.pid, "SIGKILL");
  } catch {
    proc.kill("SIGKILL");
  }
}

/** The outcome's view of two capped streams: their texts, and how each was cut. */
export function cappedOutcome(
  out: CappedText,
  err: CappedText,
): Pick<RunOutcome, "stdout" | "stderr" | "truncated" | "truncation"> {
  const truncation: OutputTruncation = {
    ...(out.cut ? { stdout: out.cut } : {}),
    ...(err.cut ? { stderr: err.cut } : {}),
  };
  const truncated = out.cut !== undefined || err.cut !== undefined;
  return { stdout: out.text, stderr: err.text, truncated, ...(truncated ? { truncation } : {}) };
}

export function createRunner({ kubectl, env }: RunnerOptions): Runner {
  return async ({ argv, timeoutMs, maxOutputBytes, keep, env: extra, follow, onOutput, signal }) => {
    const started = performance.now();
    let proc: ReturnType<typeof Bun.spawn<"ignore", "pipe", "pipe">>;
    try {
      proc = Bun.spawn([kubectl, ...argv], {
        env: extra ? { ...env, ...extra } : env,
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
        detached: true,
      });
    } catch (error) {
      return {
        exitCode: null,
        stdout: "",
        stderr: "",
        truncated: false,
        timedOut: false,
        durationMs: performance.now() - started,
        spawnError: `cannot start ${kubectl}: ${(error as Error).message}`,
      };
    }
    let timedOut = false;
    let stoppedBy: FollowStop | undefined;
    const stop = (why: FollowStop) => {
      if (timedOut || stoppedBy) return;
      stoppedBy = why;
      killGroup(proc);
    };
    // Set before the timeout's timer: a window as long as what is left of the timeout ends the
    // follow by its window (with what arrived), not as a timeout.
    const window = follow ? setTimeout(() => stop("window"), windowMs(follow, timeoutMs)) : undefined;
    const timer = setTimeout(
      () => {
        if (stoppedBy) return;
        timedOut = true;
        killGroup(proc);
      },
      Math.max(1, timeoutMs),
    );
    const cancel = () => stop("cancelled");
    signal?.addEventListener("abort", cancel, { once: true });
    if (signal?.aborted) cancel();
    const watcher = follow ? followWatcher(follow, maxOutputBytes, stop) : undefined;
    const [out, err, exitCode] = await Promise.all([
      readCapped(proc.stdout, new CappedStream(maxOutputBytes, keep), (chunk) => {
        const within = watcher ? watcher(chunk) : chunk;
        if (within.byteLength > 0) onOutput?.("stdout", within);
      }),
      readCapped(proc.stderr, new CappedStream(maxOutputBytes, keep), (chunk) => onOutput?.("stderr", chunk)),
      proc.exited,
    ]);
    clearTimeout(timer);
    clearTimeout(window);
    signal?.removeEventListener("abort", cancel);
    if (stoppedBy === "lines" && follow?.maxLines !== undefined)
      out.text = firstLines(out.text, follow.maxLines);
    return {
      // Stopped by its bound (or its caller leaving), a follow did what it was asked: it succeeded
      // with what arrived. Any other command stopped early has no exit code of its own.
      exitCode: timedOut ? null : stoppedBy ? (follow ? 0 : null) : exitCode,
      ...cappedOutcome(out, err),
      timedOut,
      durationMs: performance.now() - started,
      ...(stoppedBy ? { stoppedBy } : {}),
    };
  };
}

/**
 * Answers every command with its own argv and runs nothing: `KUBENTLY_RUNNER=echo`, for measuring
 * Kubently itself (benchmarks) without kubectl's own ~100 ms per call in the figures.
 */
export const echoRunner: Runner = async ({ argv }) => ({
  exitCode: 0,
  stdout: `${argv.join(" ")}\n`,
  stderr: "",
  truncated: false,
  timedOut: false,
  durationMs: 0,
});
