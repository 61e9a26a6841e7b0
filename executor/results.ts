/**
 * Delivers results to the API: over the live WebSocket when there is one, else POST
 * /executor/results, retried with backoff until the command's deadline. Posting is idempotent
 * by command id on the server, so a retry after a lost response is harmless.
 */
import type { CommandResult } from "../src/models";
import type { ResultSink } from "./agent";
import { Backoff } from "./backoff";
import type { ExecutorLog } from "./log";
import { type Endpoint, executorHeaders, type ResultChannel } from "./transports/types";

export class ResultPoster implements ResultSink {
  /** Set by the connection loop while a WebSocket is open. */
  channel: ResultChannel | null = null;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly log: ExecutorLog,
  ) {}

  async post(original: CommandResult, deadlineMs: number): Promise<boolean> {
    const backoff = new Backoff(200, 5_000);
    let result = original;
    for (;;) {
      if (this.channel && (await this.channel.sendResult(result))) return true;
      try {
        const response = await fetch(`${this.endpoint.apiUrl}/executor/results`, {
          method: "POST",
          headers: { ...executorHeaders(this.endpoint), "content-type": "application/json" },
          body: JSON.stringify(result),
          tls: this.endpoint.tls,
          signal: AbortSignal.timeout(10_000),
        });
        if (response.ok) return true;
        // Too large for the server's result limit: send less rather than nothing.
        if (response.status === 413 && (result.stdout || result.stderr)) {
          result = halved(result);
          continue;
        }
        // 4xx other than 408/429 will not change on retry (unknown command, wrong cluster, bad token).
        if (response.status < 500 && response.status !== 408 && response.status !== 429) {
          this.log("warn", "result refused by the API", {
            command_id: result.command_id,
            status: response.status,
          });
          return false;
        }
      } catch {
        // unreachable for now: retry below
      }
      const wait = backoff.next();
      if (Date.now() + wait >= deadlineMs) return false;
      // Not cut short on shutdown: a stopping executor still hands over what it finished.
      await Bun.sleep(wait);
    }
  }
}

/** The result with each output cut to half its length, marked truncated. */
function halved(result: CommandResult): CommandResult {
  return {
    ...result,
    stdout: result.stdout.slice(0, Math.floor(result.stdout.length / 2)),
    stderr: result.stderr.slice(0, Math.floor(result.stderr.length / 2)),
    truncated: true,
  };
}
