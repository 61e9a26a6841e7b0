/**
 * The embedded store's live queue on its own: order, withdrawals, leases and late commands, with
 * the clock passed in so every case is exact.
 */
import { describe, expect, test } from "bun:test";
import { LiveQueue, type QueuedCommand } from "../../src/store/sqlite-live";

const entry = (seq: number, deadlineMs = 10_000, clusterId = "alpha"): QueuedCommand => ({
  seq,
  id: `cmd-${seq}`,
  clusterId,
  deadlineMs,
});
const seqs = (entries: QueuedCommand[]) => entries.map((e) => e.seq);

describe("LiveQueue", () => {
  test("takes oldest first, per cluster, at most `max` at a time", () => {
    const live = new LiveQueue();
    for (const seq of [1, 2, 3]) live.add(entry(seq));
    live.add(entry(4, 10_000, "beta"));
    expect(seqs(live.take("alpha", "a", 2, 5_000, 0).taken)).toEqual([1, 2]);
    expect(seqs(live.take("alpha", "b", 5, 5_000, 0).taken)).toEqual([3]);
    expect(live.take("alpha", "b", 5, 5_000, 0).taken).toEqual([]);
    expect(live.depth("beta")).toBe(1);
  });

  test("a released command goes back before everything queued after it", () => {
    const live = new LiveQueue();
    live.add(entry(1));
    live.take("alpha", "a", 1, 5_000, 0);
    live.add(entry(2));
    expect(seqs(live.release("a", 0).taken)).toEqual([1]);
    expect(live.stateOf("cmd-1")).toBe("pending");
    expect(seqs(live.take("alpha", "b", 5, 5_000, 0).taken)).toEqual([1, 2]);
  });

  test("a withdrawn command is skipped and not counted; an answered one loses its lease", () => {
    const live = new LiveQueue();
    for (const seq of [1, 2, 3]) live.add(entry(seq));
    expect(live.remove("cmd-2")).toBe("pending");
    expect(live.depth("alpha")).toBe(2);
    expect(seqs(live.take("alpha", "a", 5, 5_000, 0).taken)).toEqual([1, 3]);
    expect(live.remove("cmd-1")).toBe("inflight");
    expect(live.remove("cmd-1")).toBeNull();
    expect(seqs(live.release("a", 0).taken)).toEqual([3]);
  });

  test("late commands are never taken or requeued, and are handed back to be cancelled", () => {
    const live = new LiveQueue();
    live.add(entry(1, 100));
    live.add(entry(2, 1_000));
    expect(live.take("alpha", "a", 5, 5_000, 500)).toEqual({
      taken: [entry(2, 1_000)],
      late: [entry(1, 100)],
    });
    expect(live.release("a", 2_000)).toEqual({ taken: [], late: [entry(2, 1_000)] });
    expect(live.stateOf("cmd-2")).toBeNull();
  });

  test("only leases past their time are given back; renewing pushes that time out", () => {
    const live = new LiveQueue();
    for (const seq of [1, 2]) live.add(entry(seq));
    live.take("alpha", "a", 1, 1_000, 0);
    live.take("alpha", "b", 1, 1_000, 0);
    live.renew("b", 3_000);
    expect(seqs(live.releaseExpired(2_000).taken)).toEqual([1]);
    expect(live.stateOf("cmd-2")).toBe("inflight");
  });

  test("dropLate empties waiting commands past their deadline from every queue", () => {
    const live = new LiveQueue();
    live.add(entry(1, 100));
    live.add(entry(2, 100, "beta"));
    live.add(entry(3, 10_000, "beta"));
    expect(seqs(live.dropLate(500))).toEqual([1, 2]);
    expect(live.depth("alpha")).toBe(0);
    expect(live.depth("beta")).toBe(1);
  });
});
