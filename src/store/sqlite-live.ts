/**
 * The embedded store's live queue: which commands wait in each cluster's queue and which are leased
 * to which connection, kept in memory. One process owns an embedded store, and a lease means nothing
 * once that process is gone (every connection went with it), so leases need no disk: claiming,
 * renewing and releasing cost no write. The database keeps what must survive a restart (the command
 * and whether it is still pending, done or cancelled) and rebuilds this at open.
 */
import type { Command } from "../models";

export interface QueuedCommand {
  seq: number;
  id: string;
  clusterId: string;
  deadlineMs: number;
  /**
   * The command itself, while it is live: handed out by a claim and named by its result without
   * reading it back from the database. Absent for one rebuilt at open (read from the database then).
   */
  command?: Command;
}

interface Lease {
  entry: QueuedCommand;
  consumer: string;
  untilMs: number;
}

/** What a claim or a release found: commands to hand out or requeue, and late ones to cancel. */
export interface Taken {
  taken: QueuedCommand[];
  late: QueuedCommand[];
}

export class LiveQueue {
  /** Per cluster, oldest first; withdrawn entries stay until skipped (see `waiting`). */
  private readonly queues = new Map<string, QueuedCommand[]>();
  /** The entries actually waiting, by command id: a withdrawal only deletes from here. */
  private readonly waiting = new Map<string, QueuedCommand>();
  private readonly leases = new Map<string, Lease>();
  private readonly byConsumer = new Map<string, Set<string>>();

  /** Queues a command behind everything with a lower sequence number (a requeued one goes first). */
  add(entry: QueuedCommand): void {
    let queue = this.queues.get(entry.clusterId);
    if (!queue) {
      queue = [];
      this.queues.set(entry.clusterId, queue);
    }
    this.waiting.set(entry.id, entry);
    const last = queue.at(-1);
    if (!last || last.seq < entry.seq) {
      queue.push(entry);
      return;
    }
    let low = 0;
    let high = queue.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((queue[mid] as QueuedCommand).seq < entry.seq) low = mid + 1;
      else high = mid;
    }
    queue.splice(low, 0, entry);
  }

  /** Leases up to `max` of the cluster's oldest waiting commands; late ones come out as `late`. */
  take(clusterId: string, consumer: string, max: number, untilMs: number, nowMs: number): Taken {
    const result: Taken = { taken: [], late: [] };
    const queue = this.queues.get(clusterId);
    if (!queue) return result;
    let skipped = 0;
    for (const entry of queue) {
      if (result.taken.length >= max) break;
      skipped++;
      if (this.waiting.get(entry.id) !== entry) continue;
      this.waiting.delete(entry.id);
      if (entry.deadlineMs <= nowMs) result.late.push(entry);
      else {
        this.lease(entry, consumer, untilMs);
        result.taken.push(entry);
      }
    }
    queue.splice(0, skipped);
    if (queue.length === 0) this.queues.delete(clusterId);
    return result;
  }

  renew(consumer: string, untilMs: number): void {
    for (const id of this.byConsumer.get(consumer) ?? []) {
      const lease = this.leases.get(id);
      if (lease) lease.untilMs = untilMs;
    }
  }

  /** Gives back what `consumer` holds: to its queue, or as late when its deadline has passed. */
  release(consumer: string, nowMs: number): Taken {
    return this.giveBack([...(this.byConsumer.get(consumer) ?? [])], nowMs);
  }

  /** Gives back every command whose lease ran out. */
  releaseExpired(nowMs: number): Taken {
    const ids = [...this.leases.values()].filter((l) => l.untilMs <= nowMs).map((l) => l.entry.id);
    return this.giveBack(ids, nowMs);
  }

  /** Takes waiting commands past their deadline out of every queue, so nothing stays in memory forever. */
  dropLate(nowMs: number): QueuedCommand[] {
    const late = [...this.waiting.values()].filter((entry) => entry.deadlineMs <= nowMs);
    for (const entry of late) this.waiting.delete(entry.id);
    for (const [clusterId, queue] of this.queues) {
      const kept = queue.filter((entry) => this.waiting.get(entry.id) === entry);
      if (kept.length === 0) this.queues.delete(clusterId);
      else this.queues.set(clusterId, kept);
    }
    return late;
  }

  /** Forgets a command (answered or withdrawn); says whether it was waiting or leased. */
  remove(id: string): "pending" | "inflight" | null {
    if (this.waiting.delete(id)) return "pending";
    const lease = this.leases.get(id);
    if (!lease) return null;
    this.unlease(lease);
    return "inflight";
  }

  /** The live entry of a command, waiting or leased; undefined once answered, withdrawn or cancelled. */
  entryOf(id: string): QueuedCommand | undefined {
    return this.waiting.get(id) ?? this.leases.get(id)?.entry;
  }

  stateOf(id: string): "pending" | "inflight" | null {
    if (this.waiting.has(id)) return "pending";
    return this.leases.has(id) ? "inflight" : null;
  }

  depth(clusterId: string): number {
    let n = 0;
    for (const entry of this.queues.get(clusterId) ?? []) if (this.waiting.get(entry.id) === entry) n++;
    return n;
  }

  private lease(entry: QueuedCommand, consumer: string, untilMs: number): void {
    this.leases.set(entry.id, { entry, consumer, untilMs });
    let held = this.byConsumer.get(consumer);
    if (!held) {
      held = new Set();
      this.byConsumer.set(consumer, held);
    }
    held.add(entry.id);
  }

  private unlease(lease: Lease): void {
    this.leases.delete(lease.entry.id);
    const held = this.byConsumer.get(lease.consumer);
    held?.delete(lease.entry.id);
    if (held?.size === 0) this.byConsumer.delete(lease.consumer);
  }

  private giveBack(ids: string[], nowMs: number): Taken {
    const result: Taken = { taken: [], late: [] };
    for (const id of ids) {
      const lease = this.leases.get(id);
      if (!lease) continue;
      this.unlease(lease);
      if (lease.entry.deadlineMs <= nowMs) result.late.push(lease.entry);
      else {
        this.add(lease.entry);
        result.taken.push(lease.entry);
      }
    }
    return result;
  }
}
