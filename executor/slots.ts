/**
 * Owns the kubectl process slots: at most `limit` held at once (the policy's maxConcurrency bounds
 * processes and their memory), shared fairly among the principals whose commands wait for them.
 *
 * - A free slot goes to the waiting principal holding the fewest slots for its share (held ÷ share,
 *   shares from the commands' scopes, 1 by default); ties go to whoever has waited longest, so equal
 *   shares take turns (round-robin) and a share of 2 gets twice the turns of a share of 1.
 * - While another principal waits, a principal is given a slot only below its share of the limit
 *   (limit × share ÷ the shares of every principal holding or waiting; at least one).
 * - A following command (`logs -f`, `get -w`: it holds its slot for its whole window, see
 *   runner.ts) never takes the last free slot when its own principal holds all the others, so one
 *   principal's follows cannot make everyone else wait for their windows.
 *
 * Slots are never taken back: a principal over its share (it took them while nobody else waited)
 * keeps them until its commands end, and gets no more while others wait.
 */
export interface SlotRequest {
  /** Who the command runs for: its scope's principal, else its service identity. */
  principal: string;
  /** Its weight, 1 to 100. */
  share: number;
  following: boolean;
}

interface Waiter extends SlotRequest {
  grant: () => void;
}

export class Slots {
  /** Slots held by principal, with the share of its latest grant. */
  private readonly held = new Map<string, { count: number; share: number }>();
  private total = 0;
  /** In arrival order. */
  private readonly waiting: Waiter[] = [];
  /**
   * Waiters by principal: whether someone else waits is asked of every waiter each time a slot is
   * free, and scanning the queue for it made each grant quadratic in the commands waiting.
   */
  private readonly waitingBy = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Resolves with the release function once a slot is this request's. */
  acquire(request: SlotRequest): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push({ ...request, grant: () => resolve(this.releaser(request.principal)) });
      this.waitingBy.set(request.principal, (this.waitingBy.get(request.principal) ?? 0) + 1);
      this.schedule();
    });
  }

  /** How many slots a principal holds now (for tests and logs). */
  holding(principal: string): number {
    return this.held.get(principal)?.count ?? 0;
  }

  private releaser(principal: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const holder = this.held.get(principal);
      if (holder === undefined) return;
      holder.count -= 1;
      if (holder.count === 0) this.held.delete(principal);
      this.total -= 1;
      this.schedule();
    };
  }

  private schedule(): void {
    while (this.total < this.limit) {
      let best: Waiter | undefined;
      for (const waiter of this.waiting) {
        if (!this.mayTake(waiter)) continue;
        if (best === undefined || this.load(waiter) < this.load(best)) best = waiter;
      }
      if (best === undefined) return;
      this.waiting.splice(this.waiting.indexOf(best), 1);
      const left = (this.waitingBy.get(best.principal) ?? 1) - 1;
      if (left === 0) this.waitingBy.delete(best.principal);
      else this.waitingBy.set(best.principal, left);
      this.held.set(best.principal, { count: this.holding(best.principal) + 1, share: best.share });
      this.total += 1;
      best.grant();
    }
  }

  private load(waiter: SlotRequest): number {
    return this.holding(waiter.principal) / waiter.share;
  }

  private mayTake(waiter: SlotRequest): boolean {
    const mine = this.holding(waiter.principal);
    if (waiter.following && this.limit > 1 && this.total - mine === 0 && mine === this.limit - 1)
      return false;
    if (this.waiting.length === (this.waitingBy.get(waiter.principal) ?? 0)) return true;
    return mine < this.shareOfLimit(waiter);
  }

  /** The principal's share of the limit among everyone holding or waiting; at least one slot. */
  private shareOfLimit(waiter: SlotRequest): number {
    const shares = new Map<string, number>([[waiter.principal, waiter.share]]);
    for (const other of this.waiting)
      if (!shares.has(other.principal)) shares.set(other.principal, other.share);
    for (const [holder, { share }] of this.held) if (!shares.has(holder)) shares.set(holder, share);
    const total = [...shares.values()].reduce((sum, share) => sum + share, 0);
    return Math.max(1, Math.floor((this.limit * waiter.share) / total));
  }
}
