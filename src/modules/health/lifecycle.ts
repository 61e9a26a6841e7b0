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
  private waits = 0;
  private idle: (() => void) | null = null;
  private readonly cutOff = Promise.withResolvers<never>();

  constructor() {
    // Nobody may be waiting when the bound passes.
    this.cutOff.promise.catch(() => undefined);
  }

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
    this.waits++;
    try {
      return await Promise.race([wait, this.cutOff.promise]);
    } finally {
      this.waits--;
      if (this.waits === 0) this.idle?.();
    }
  }

  /**
   * Starts draining (at once, before the first await) and resolves when no tracked wait is under
   * way, or after `boundMs`, when the waits left are answered 503: true when every wait finished.
   */
  async drain(boundMs: number): Promise<boolean> {
    this.stopping = true;
    if (this.waits === 0) return true;
    const finished = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), boundMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    this.idle = null;
    if (!finished) {
      this.cutOff.reject(
        new ApiError(
          503,
          "DRAINING",
          "this server shut down before the result came; send the command again",
          {
            hint: "the command may still run on another replica; sending it again gets a result",
          },
        ),
      );
    }
    return finished;
  }
}
