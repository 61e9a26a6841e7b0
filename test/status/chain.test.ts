/**
 * The status page's chain check over a real store's audit trail: it walks a bounded number of entries
 * per check and resumes where it stopped, finds an entry the store answers with altered and keeps
 * saying so until its next walk from entry 1, which it starts on its own after WALK_RESTART_MS.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { AuditEntry } from "../../src/models";
import { createChainWatch, WALK_RESTART_MS } from "../../src/modules/status/chain";
import { type AuditQuery, openStore, type Store } from "../../src/store";
import { makeAuditRecord } from "../support/fixtures";
import { useStores } from "../support/stores";

const stores = useStores("status-chain");
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
});

describe.each(stores.backends)("chain check on %s", (_, storeUrl) => {
  async function trailOf(entries: number): Promise<Store> {
    store = await openStore(storeUrl(), { redisPrefix: `chain-${crypto.randomUUID()}:` });
    await store.appendAudit(Array.from({ length: entries }, () => makeAuditRecord()));
    return store;
  }

  test("an empty trail is empty, a whole one verified up to its head", async () => {
    const empty = await trailOf(0);
    expect((await createChainWatch((q) => empty.readAudit(q), Date.now).check()).state).toBe("empty");
    await empty.appendAudit([makeAuditRecord(), makeAuditRecord(), makeAuditRecord()]);
    const state = await createChainWatch((q) => empty.readAudit(q), Date.now).check();
    const { head } = await empty.readAudit({ after: 0, limit: 1 });
    expect(state).toMatchObject({ state: "verified", verified: 3, head });
  });

  test("each check reads on from where the last stopped, at most its budget", async () => {
    const trail = await trailOf(5);
    const reads: number[] = [];
    const watch = createChainWatch(
      (query) => {
        reads.push(query.after);
        return trail.readAudit(query);
      },
      Date.now,
      2,
    );
    expect(await watch.check()).toMatchObject({ state: "partial", verified: 2 });
    expect(await watch.check()).toMatchObject({ state: "partial", verified: 4 });
    expect(await watch.check()).toMatchObject({ state: "verified", verified: 5 });
    await trail.appendAudit([makeAuditRecord()]);
    expect(await watch.check()).toMatchObject({ state: "verified", verified: 6 });
    // Never an entry twice: every read starts after the last entry checked.
    expect(reads).toEqual([0, 2, 4, 5]);
  });

  test("an altered entry is broken until the next walk from entry 1, which starts on its own", async () => {
    const trail = await trailOf(4);
    let clock = Date.now();
    let altered = true;
    const read = async (query: AuditQuery) => {
      const page = await trail.readAudit(query);
      if (!altered) return page;
      const entries = page.entries.map((entry: AuditEntry) =>
        entry.seq === 3 ? { ...entry, identity: "someone-else" } : entry,
      );
      return { ...page, entries };
    };
    const watch = createChainWatch(read, () => clock);
    expect(await watch.check()).toMatchObject({
      state: "broken",
      verified: 2,
      broken_seq: 3,
      reason: "entry 3 was altered: its content does not match its hash",
    });
    altered = false;
    expect((await watch.check()).state).toBe("broken");
    clock += WALK_RESTART_MS;
    const state = await watch.check();
    expect(state).toMatchObject({ state: "verified", verified: 4 });
    expect(state.walk_started_at).toBe(new Date(clock).toISOString());
  });

  test("callers at the same moment share one check", async () => {
    const trail = await trailOf(3);
    let reads = 0;
    const watch = createChainWatch((query) => {
      reads += 1;
      return trail.readAudit(query);
    }, Date.now);
    const [a, b] = await Promise.all([watch.check(), watch.check()]);
    expect(a).toBe(b);
    expect(reads).toBe(1);
  });
});
