/**
 * Owns running a command natively under the same bounds as kubectl: the command's timeout (the
 * grant's close then cuts any request still open) and the policy's output cap per stream. Answers
 * undefined when native reads do not answer the argv, or fail in a way kubectl would not: then the
 * command runs kubectl.
 */
import type { RunOutcome, RunRequest } from "../runner";
import type { KubeFetch } from "./client";
import type { NativeReads } from "./index";

function capped(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text);
  if (bytes.byteLength <= maxBytes) return { text, truncated: false };
  return { text: new TextDecoder().decode(bytes.subarray(0, maxBytes)), truncated: true };
}

export async function runNatively(
  native: NativeReads,
  { argv, timeoutMs, maxOutputBytes }: RunRequest,
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
    const stdout = capped(output.stdout, maxOutputBytes);
    const stderr = capped(output.stderr, maxOutputBytes);
    return {
      exitCode: output.exitCode,
      stdout: stdout.text,
      stderr: stderr.text,
      truncated: stdout.truncated || stderr.truncated,
      timedOut: false,
      durationMs,
    };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
