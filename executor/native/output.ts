/** Owns what a native read answers with: what kubectl would have printed, and its exit code. */
export interface NativeOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** kubectl's answer when it fails with `stderr` and prints nothing else. */
export const failed = (stderr: string): NativeOutput => ({ stdout: "", stderr, exitCode: 1 });

/** Nothing printed, and success: also what a follow answers once it wrote everything to its sink. */
export const noOutput = (): NativeOutput => ({ stdout: "", stderr: "", exitCode: 0 });

/**
 * Where a following read (`logs -f`) writes what kubectl would print, as it arrives, until `stop`
 * aborts (its window, a bound, its caller leaving). Its answer is then printed after what it wrote.
 */
export interface FollowSink {
  write(stream: "stdout" | "stderr", bytes: Uint8Array): void;
  readonly stop: AbortSignal;
}
