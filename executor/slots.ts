/**
 * Owns a counting semaphore: at most `limit` holders at once, the rest served in arrival order.
 * The agent holds one per kubectl process, so the policy's maxConcurrency bounds processes (and
 * their memory) while native reads, which start none, do not wait behind them.
 */
export class Slots {
  private held = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.held >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next();
      else this.held -= 1;
    };
  }
}
