/** Owns what a native read answers with: what kubectl would have printed, and its exit code. */
export interface NativeOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Where a following read (`logs -f`) writes what kubectl would print, as it arrives, until `stop`
 * aborts (its window, a bound, its caller leaving). Its answer is then printed after what it wrote.
 */
export interface FollowSink {
  write(stream: "stdout" | "stderr", bytes: Uint8Array): void;
  readonly stop: AbortSignal;
}
