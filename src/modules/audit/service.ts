/**
 * The audit trail in this process: entries are recorded without waiting, so no request ever waits on
 * the store for its audit entry, and one writer appends them in the order they were recorded, in
 * batches: what is recorded within `batchMs`, or while the previous append is under way, goes in one.
 *
 * Nothing is lost silently. A failed append is logged, counted and retried with backoff, the batch
 * kept in order; while the store fails, entries wait in memory up to `maxPending`, and an entry that
 * finds that full is refused with an error line and counted (so the trail stays a gap-free record of
 * what was kept, in order). At stop, entries not appended within the drain time are logged and counted.
 * A process killed outright loses what it had not appended yet: at most about `batchMs` of entries.
 */
import { log } from "../../log";
import type { AuditRecord } from "../../models";
import { type AuditPage, type AuditQuery, nowMs, type Store } from "../../store";

/** An entry as a module records it; the trail stamps its id and time. */
export type AuditEvent = Omit<AuditRecord, "id" | "at">;

/** What modules that make decisions need: recording, which never waits and never throws. */
export interface AuditRecorder {
  record(event: AuditEvent): void;
}

export interface AuditCounts {
  appended: number;
  /** Append attempts that failed (each is retried). */
  failedAppends: number;
  /** Entries given up on: refused while the buffer was full, or still unwritten at stop. */
  dropped: number;
  pending: number;
}

export interface AuditTrail extends AuditRecorder {
  /** Resolves once every entry recorded before the call was appended or given up on. */
  flush(): Promise<void>;
  /** Reads the trail after appending what this process recorded so far (read your own writes). */
  read(query: AuditQuery): Promise<AuditPage>;
  counts(): AuditCounts;
  /** Appends what is pending, for up to `drainMs`; gives up on the rest (logged and counted). */
  stop(drainMs?: number): Promise<void>;
}

export interface AuditOptions {
  /**
   * How long an entry waits for others to share its append. Appending a moment later keeps appends
   * out of the requests' way (on Redis they would queue on the connection the requests use) and
   * makes one append of what a busy moment records.
   */
  batchMs: number;
  /** Entries waiting in memory at most (while the store fails); beyond this, new ones are refused. */
  maxPending: number;
  /** Entries per append at most. */
  maxBatch: number;
  retryMs: number;
  maxRetryMs: number;
  /** How long a read waits for this process's entries before reading anyway (the store may be down). */
  readFlushMs: number;
  drainMs: number;
}

export const DEFAULT_AUDIT_OPTIONS: AuditOptions = {
  batchMs: 10,
  maxPending: 50_000,
  maxBatch: 256,
  retryMs: 100,
  maxRetryMs: 5_000,
  readFlushMs: 2_000,
  drainMs: 5_000,
};

export function createAuditTrail(
  store: Pick<Store, "appendAudit" | "readAudit">,
  options: AuditOptions = DEFAULT_AUDIT_OPTIONS,
): AuditTrail {
  const pending: AuditRecord[] = [];
  const counts = { appended: 0, failedAppends: 0, dropped: 0 };
  /** Entries accepted so far, and how many of them are appended or given up on: a prefix, in order. */
  let recorded = 0;
  let finished = 0;
  const waiters: { upTo: number; resolve: () => void }[] = [];
  let writing = false;
  let batching: Timer | undefined;
  let giveUpAt = Number.POSITIVE_INFINITY;
  /** Ends the writer's pause between retries early (at stop, so the drain time is spent retrying). */
  let wake = () => {};

  function finish(n: number): void {
    finished += n;
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i] as (typeof waiters)[number];
      if (waiter.upTo > finished) continue;
      waiters.splice(i, 1);
      waiter.resolve();
    }
  }

  async function write(): Promise<void> {
    let retryMs = options.retryMs;
    while (pending.length > 0) {
      const batch = pending.slice(0, options.maxBatch);
      try {
        await store.appendAudit(batch);
        pending.splice(0, batch.length);
        counts.appended += batch.length;
        if (retryMs > options.retryMs) log.warn("audit appends work again", { pending: pending.length });
        retryMs = options.retryMs;
        finish(batch.length);
      } catch (error) {
        counts.failedAppends += 1;
        log.warn("audit append failed; retrying", {
          error: (error as Error).message,
          pending: pending.length,
          failed_appends: counts.failedAppends,
        });
        const left = giveUpAt - nowMs();
        if (left <= 0) {
          giveUp();
          return;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(retryMs, left));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        retryMs = Math.min(retryMs * 2, options.maxRetryMs);
      }
    }
  }

  function giveUp(): void {
    const lost = pending.splice(0);
    counts.dropped += lost.length;
    log.error("audit entries not appended before stop: lost", {
      lost: lost.length,
      dropped_total: counts.dropped,
      first_lost: lost[0]?.id,
    });
    finish(lost.length);
  }

  /**
   * Starts an append `batchMs` from now, unless one is under way: its loop takes what is recorded
   * meanwhile, without waiting.
   */
  function startWriter(): void {
    if (!writing && !batching) batching = setTimeout(runWriter, options.batchMs);
  }

  async function runWriter(): Promise<void> {
    clearTimeout(batching);
    batching = undefined;
    if (writing) return;
    writing = true;
    await write();
    writing = false;
    if (pending.length > 0) startWriter();
  }

  function flush(): Promise<void> {
    if (finished >= recorded) return Promise.resolve();
    const flushed = new Promise<void>((resolve) => waiters.push({ upTo: recorded, resolve }));
    // Someone waits for these entries: no point waiting for more to join them.
    if (batching) void runWriter();
    return flushed;
  }

  return {
    record(event) {
      if (pending.length >= options.maxPending) {
        counts.dropped += 1;
        log.error("audit entry refused: too many entries wait for the store", {
          action: event.action,
          outcome: event.outcome,
          cluster_id: event.cluster_id,
          command_id: event.command_id,
          dropped_total: counts.dropped,
        });
        return;
      }
      pending.push({ ...event, id: crypto.randomUUID(), at: new Date(nowMs()).toISOString() });
      recorded += 1;
      startWriter();
    },

    flush,

    async read(query) {
      let timer: Timer | undefined;
      await Promise.race([
        flush(),
        new Promise((resolve) => (timer = setTimeout(resolve, options.readFlushMs))),
      ]);
      clearTimeout(timer);
      return store.readAudit(query);
    },

    counts: () => ({ ...counts, pending: pending.length }),

    async stop(drainMs = options.drainMs) {
      giveUpAt = nowMs() + drainMs;
      wake();
      await flush();
    },
  };
}
