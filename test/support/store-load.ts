/**
 * A bounded store-level load for failure tests and benches: callers enqueue, executors claim and
 * answer, every call retried while the store answers StoreUnavailableError (as a client retries a 503),
 * and what was stored counted per command, so a test can check each command was answered exactly once.
 */
import type { Command } from "../../src/models";
import { type Store, StoreUnavailableError } from "../../src/store";
import { makeCommand, makeResult } from "./fixtures";

/** `progressed` lets a resharding step wait for the load to move on; `callersStop` ends the enqueuing. */
export class Load {
  readonly commands: Command[] = [];
  readonly stored = new Map<string, number>();
  /** When the call that first stored each command's result was sent and answered (performance.now()). */
  readonly storedAt = new Map<string, { sent: number; answered: number }>();
  callersStop = false;
  refused = 0;
  private produced = false;
  private done = 0;
  private stopped = false;
  private waiters: { at: number; resolve: () => void }[] = [];
  private readonly giveUpAt = Date.now() + 40_000;

  async retry<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const value = await work();
        this.tick();
        return value;
      } catch (error) {
        if (!(error instanceof StoreUnavailableError) || this.stopped || Date.now() > this.giveUpAt)
          throw error;
        this.refused++;
        this.tick();
        await Bun.sleep(20); // a client's retry backoff
      }
    }
  }

  /** A caller: enqueues commands for the clusters in turn until told to stop (at most 2,000). */
  async produce(ids: string[], store: Store): Promise<void> {
    while (!this.callersStop && this.commands.length < 2_000) {
      const command = makeCommand(ids[this.commands.length % ids.length] as string, {
        deadline_ms: Date.now() + 60_000,
      });
      this.commands.push(command);
      let refused = false;
      await this.retry(() =>
        store.enqueue(command).catch((error: unknown) => {
          // A refused call may have run: its retry then finds the command queued, as a client's would.
          if (refused && error instanceof Error && error.message.endsWith("already exists")) return;
          refused ||= error instanceof StoreUnavailableError;
          throw error;
        }),
      );
    }
    this.produced = true;
  }

  /** An executor for one cluster: claims, answers, and after a lost claim reply releases and goes on. */
  async answer(clusterId: string, store: Store): Promise<void> {
    const answered = new Set<string>();
    const owed = () => this.commands.filter((c) => c.cluster_id === clusterId).length;
    for (let connection = 0; !this.produced || answered.size < owed(); ) {
      if (this.stopped || Date.now() > this.giveUpAt)
        throw new Error(`${clusterId}: ${answered.size} answered`);
      const consumer = `${clusterId}-conn-${connection}`;
      let claimed: Command[];
      try {
        claimed = await store.claim(clusterId, consumer, 5, 5_000, Date.now());
        this.tick();
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        // Its reply may be lost after the claim ran: that connection gives its commands back.
        this.refused++;
        await this.retry(() => store.release(consumer, Date.now()));
        connection++;
        continue;
      }
      if (claimed.length === 0) {
        await this.retry(() => store.requeueExpired(Date.now()));
        await Bun.sleep(10); // an idle executor's poll
      }
      for (const command of claimed) {
        let sent = 0;
        const outcome = await this.retry(() => {
          sent = performance.now();
          return store.putResult(clusterId, makeResult(command), 60_000);
        });
        if (outcome.status === "stored") {
          this.stored.set(command.command_id, (this.stored.get(command.command_id) ?? 0) + 1);
          if (!this.storedAt.has(command.command_id))
            this.storedAt.set(command.command_id, { sent, answered: performance.now() });
        }
        answered.add(command.command_id);
      }
    }
  }

  progressed(steps: number): Promise<void> {
    const at = this.done + steps;
    return new Promise((resolve) => this.waiters.push({ at, resolve }));
  }

  stop(): void {
    this.stopped = true;
    for (const waiter of this.waiters) waiter.resolve();
  }

  private tick(): void {
    this.done++;
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.at > this.done) return true;
      waiter.resolve();
      return false;
    });
  }
}
