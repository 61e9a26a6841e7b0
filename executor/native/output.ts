/** Owns what a native read answers with: what kubectl would have printed, and its exit code. */
export interface NativeOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}
