/** The agent's collaborators for tests: a runner whose runs end when the test says, a sink that records. */
import type { ResultSink } from "../../executor/agent";
import type { RunOutcome, RunRequest } from "../../executor/runner";
import type { CommandResult } from "../../src/models";

/** A runner whose runs finish only when the test says so. */
export function gatedRunner() {
  const started: { request: RunRequest; finish: (stdout: string) => void }[] = [];
  let onStart: () => void = () => {};
  const runner = (request: RunRequest) =>
    new Promise<RunOutcome>((resolve) => {
      started.push({
        request,
        finish: (stdout) =>
          resolve({ exitCode: 0, stdout, stderr: "", truncated: false, timedOut: false, durationMs: 1 }),
      });
      onStart();
    });
  const startedCount = (n: number) =>
    new Promise<void>((resolve) => {
      onStart = () => started.length >= n && resolve();
      onStart();
    });
  return { runner, started, startedCount };
}

export function recordingSink() {
  const posted: CommandResult[] = [];
  let onPost: () => void = () => {};
  const sink: ResultSink = {
    async post(result) {
      posted.push(result);
      onPost();
      return true;
    },
  };
  const postedCount = (n: number) =>
    new Promise<void>((resolve) => {
      onPost = () => posted.length >= n && resolve();
      onPost();
    });
  return { sink, posted, postedCount };
}
