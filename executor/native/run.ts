/**
 * Owns running a command natively under the same bounds as kubectl: the command's timeout (the
 * grant's close then cuts any request still open) and the policy's output cap per stream. Answers
 * undefined when native reads do not answer the argv, or fail in a way kubectl would not: then the
 * command runs kubectl.
 */
import { capText } from "../output-cap";
import { cappedOutcome, type RunOutcome, type RunRequest } from "../runner";
import type { KubeFetch } from "./client";
import type { NativeReads } from "./index";

export async function runNatively(
  native: NativeReads,
  { argv, timeoutMs, maxOutputBytes, keep }: RunRequest,
  fetch: KubeFetch,
): Promise<RunOutcome | undefined> {
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
