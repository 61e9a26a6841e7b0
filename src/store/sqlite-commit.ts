/**
 * Group commit for the embedded store: every write issued in one event-loop turn runs inside one
 * SQLite transaction, committed once before any of those writes resolves. On a file the commit
 * (WAL frames written for every page touched) is most of a write's cost, so under load it is paid
 * once per batch instead of once per write; a lone write waits only for the end of its turn.
 * Nothing resolves before its commit, so a caller that saw its write succeed can rely on it.
 */
import type { Database } from "bun:sqlite";

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;

  constructor(private readonly db: Database) {}

  /**
   * Queues `run` for this turn's transaction. A write of several statements wraps them in
   * `db.transaction` (a savepoint inside the batch), so its failure undoes only its own statements;
   * a single statement is atomic by itself.
   */
  write<T>(run: () => T): Promise<T> {
    // A write after close (a connection ending during shutdown) fails alone, not in a later turn.
    if (this.closed) return Promise.reject(new Error("the embedded store is closed"));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued, then refuses further writes: the store is closing its database. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** Runs and commits everything queued now. */
  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      this.db.exec("BEGIN");
      outcomes = batch.map(({ run }): Outcome => {
        try {
          return { ok: true, value: run() };
        } catch (error) {
          return { ok: false, error };
        }
      });
      this.db.exec("COMMIT");
    } catch (error) {
      // BEGIN or COMMIT failed (disk full, I/O error): nothing of the batch is kept.
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
  }
}
