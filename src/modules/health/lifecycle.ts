/**
 * The replica's serving state, for readiness and a graceful stop: serving, then draining from the
 * moment a stop begins. While draining, GET /ready answers 503 (the load balancer sends no more
 * traffic here) and no new command is accepted (503 DRAINING: the caller retries and another
 * replica takes it), while the synchronous waits already under way get a bounded time to finish.
 * Those still waiting at the bound are answered 503 DRAINING too, while their connections are still
 * open, rather than cut off when the server closes.
 */
import { ApiError } from "../../http/errors";

export class Lifecycle {
  private stopping = false;
  /** Each wait under way, as the way to give up on it. */
  private readonly waits = new Set<(error: ApiError) => void>();
  private idle: (() => void) | null = null;

  get draining(): boolean {
    return this.stopping;
  }

  /** Refuses a new command once draining. */
  admit(): void {
    if (this.stopping) {
      throw new ApiError(503, "DRAINING", "this server is shutting down; send the command again", {
        hint: "another replica takes it; the command was not queued",
      });
    }
  }

  /** Counts `wait` as under way until it settles, or until a drain gives up on it (503 DRAINING). */
  async track<T>(wait: Promise<T>): Promise<T> {
    // Its own promise per wait, so nothing outlives the wait it was for.
    const giveUp = Promise.withResolvers<never>();
    this.waits.add(giveUp.reject);
    try {
      return await Promise.race([wait, giveUp.promise]);
    } finally {
      this.waits.delete(giveUp.reject);
      if (this.waits.size === 0) this.idle?.();
    }
  }

  /**
   * Starts draining (at once, before the first await) and resolves when no tracked wait is under
   * way, or after `boundMs`, when the waits left are answered 503: true when every wait finished.
   */
  async drain(boundMs: number): Promise<boolean> {
    this.stopping = true;
    if (this.waits.size === 0) return true;
    const finished = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), boundMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    this.idle = null;
    if (!finished) {
      const error = new ApiError(
        503,
        "DRAINING",
        "this server shut down before the result came; send the command again",
        { hint: "the command may still run on another replica; sending it again gets a result" },
      );
      for (const giveUp of this.waits) giveUp(error);
    }
    return finished;
  }
}
