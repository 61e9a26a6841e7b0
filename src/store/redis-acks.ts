/**
 * Writes that count as done only once replicas have them (`wait_replicas=N` in a Sentinel store URL).
 * Redis replicates asynchronously: a primary killed an instant after answering takes with it the
 * writes its replica had not received, and the replica promoted in its place never heard of them.
 * WAIT after a write blocks until N replicas acknowledge every write sent before it on the connection,
 * so a write Kubently answered for is on the replica Sentinel promotes.
 *
 * One WAIT covers every write answered before it was sent (a group commit): concurrent writes share
 * it, and a write answered while one is in flight shares the next one, sent when that one returns.
 */
import type Redis from "ioredis";

/** Below the connection's 2 s command timeout, so a missing replica is a clear error, not a timeout. */
export const WAIT_TIMEOUT_MS = 1_000;

/** Fewer replicas than asked for acknowledged the write in time: it may or may not survive a failover. */
export class ReplicasBehindError extends Error {
  constructor(acked: number, wanted: number) {
    super(`the write reached ${acked} of ${wanted} replica(s) within ${WAIT_TIMEOUT_MS} ms`);
  }
}

export class ReplicaAcks {
  /** The WAIT on the wire, if any: it covers writes answered before it was sent, not later ones. */
  private sending: Promise<void> | null = null;
  /** The WAIT to send once `sending` returns, shared by every write answered meanwhile. */
  private queued: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly replicas: number,
  ) {}

  /** The write's reply, once enough replicas have the write; ReplicasBehindError otherwise. */
  async after<T>(write: Promise<T>): Promise<T> {
    const reply = await write;
    await this.covering();
    return reply;
  }

  private covering(): Promise<void> {
    if (this.sending === null) return this.send();
    this.queued ??= this.sending
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.send();
      });
    return this.queued;
  }

  private send(): Promise<void> {
    const sent = this.redis.wait(this.replicas, WAIT_TIMEOUT_MS).then(
      (acked) => {
        if (this.sending === sent) this.sending = null;
        if (acked < this.replicas) throw new ReplicasBehindError(acked, this.replicas);
      },
      (err: unknown) => {
        if (this.sending === sent) this.sending = null;
        throw err;
      },
    );
    this.sending = sent;
    return sent;
  }
}
