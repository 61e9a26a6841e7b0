/**
 * The audit chain's verification state for the status page. A ChainVerifier is kept between requests,
 * so each check reads only what was appended since the last one, and at most MAX_CHECK_ENTRIES of it:
 * a busy trail costs a bounded amount per refresh, and a long one is walked over several. Every
 * WALK_RESTART_MS the walk starts again from entry 1, so an old entry altered after it was checked is
 * found within that time. This is a convenience for operators; `kubently audit verify` remains the
 * check that needs no trust in the server.
 */
import { type AuditHead, type ChainBreak, ChainVerifier } from "../../models";
import type { AuditPage, AuditQuery } from "../../store";

export const MAX_CHECK_ENTRIES = 20_000;
export const WALK_RESTART_MS = 10 * 60_000;
const PAGE_ENTRIES = 1_000;

export interface ChainState {
  state: "verified" | "partial" | "broken" | "empty";
  verified: number;
  head: AuditHead | null;
  broken_seq?: number;
  reason?: string;
  walk_started_at: string;
}

export interface ChainWatch {
  /** Checks what was appended since the last check (one check at a time; callers meanwhile share it). */
  check(): Promise<ChainState>;
}

export function createChainWatch(
  read: (query: AuditQuery) => Promise<AuditPage>,
  now: () => number,
  maxEntries = MAX_CHECK_ENTRIES,
): ChainWatch {
  let verifier = new ChainVerifier();
  let startedMs = now();
  let broken: ChainBreak | null = null;
  let head: AuditHead | null = null;
  let running: Promise<ChainState> | null = null;

  /** Reads on from the last entry checked until the trail's end, a break, or this check's budget. */
  async function walk(): Promise<boolean> {
    const budget = verifier.count + maxEntries;
    for (;;) {
      const page = await read({
        after: verifier.count,
        limit: Math.min(PAGE_ENTRIES, budget - verifier.count),
      });
      head = page.head;
      broken = verifier.add(page.entries);
      if (broken) return false;
      if (page.next_after === null) {
        broken = verifier.finish(page.head);
        return broken === null;
      }
      if (verifier.count >= budget) return false;
    }
  }

  async function run(): Promise<ChainState> {
    if (now() - startedMs >= WALK_RESTART_MS) {
      verifier = new ChainVerifier();
      startedMs = now();
      broken = null;
    }
    const complete = broken === null && (await walk());
    const walk_started_at = new Date(startedMs).toISOString();
    const verified = verifier.count;
    if (broken) {
      return {
        state: "broken",
        verified,
        head,
        broken_seq: broken.seq,
        reason: broken.reason,
        walk_started_at,
      };
    }
    if (!complete) return { state: "partial", verified, head, walk_started_at };
    return { state: head === null ? "empty" : "verified", verified, head, walk_started_at };
  }

  return {
    check() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
