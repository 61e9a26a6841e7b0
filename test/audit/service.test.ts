/**
 * The in-process audit trail on a real (embedded) store: order and batching, and what happens when the
 * store fails: nothing is dropped without an error line and a count.
 */
import { afterEach, beforeEach, describe, expect, spyOn, test } from "bun:test";
import { setLogLevel } from "../../src/log";
import type { AuditRecord } from "../../src/models";
import { type AuditEvent, createAuditTrail, DEFAULT_AUDIT_OPTIONS } from "../../src/modules/audit/service";
import { openStore, type Store, StoreUnavailableError } from "../../src/store";

let store: Store;
let stderr: ReturnType<typeof spyOn>;
beforeEach(async () => {
  store = await openStore("memory://", { redisPrefix: "" });
  // The warnings are part of what is tested here (the preload keeps tests at error level).
  setLogLevel("warn");
  stderr = spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(async () => {
  stderr.mockRestore();
  setLogLevel("error");
  await store.close();
});

const options = { ...DEFAULT_AUDIT_OPTIONS, retryMs: 1, maxRetryMs: 4 };
const event = (n: number): AuditEvent => ({
  action: "token.create",
  outcome: "succeeded",
  identity: "ops",
  cluster_id: `cluster-${n}`,
});
const logged = () => stderr.mock.calls.map((args: unknown[]) => String(args[0])).join("");

/**
 * The part of the store the trail uses, with appendAudit failing its first `failures` calls (forever
 * with Infinity); counts calls.
 */
function failing(failures: number) {
  const calls: AuditRecord[][] = [];
  const wrapped: Pick<Store, "appendAudit" | "readAudit"> = {
    async appendAudit(records) {
      calls.push(records);
      if (calls.length <= failures) throw new StoreUnavailableError(new Error("connection refused"));
      return store.appendAudit(records);
    },
    readAudit: (query) => store.readAudit(query),
  };
  return { store: wrapped, calls };
}

const clustersInTrail = async () =>
  (await store.readAudit({ after: 0, limit: 1000 })).entries.map((e) => e.cluster_id);

describe("the audit trail in process", () => {
  test("appends entries in the order recorded, many to an append", async () => {
    const flaky = failing(0);
    const audit = createAuditTrail(flaky.store, options);
    for (let n = 0; n < 600; n++) audit.record(event(n));
    await audit.flush();
    expect(await clustersInTrail()).toEqual(Array.from({ length: 600 }, (_, n) => `cluster-${n}`));
    // Everything recorded in one turn waits for the next; batches are cut at maxBatch.
    expect(flaky.calls.map((batch) => batch.length)).toEqual([256, 256, 88]);
    expect(audit.counts()).toEqual({ appended: 600, failedAppends: 0, dropped: 0, pending: 0 });
  });

  test("a failed append is logged, counted and retried, its entries kept in order", async () => {
    const flaky = failing(3);
    const audit = createAuditTrail(flaky.store, options);
    audit.record(event(0));
    audit.record(event(1));
    await audit.flush();
    audit.record(event(2));
    await audit.flush();
    expect(await clustersInTrail()).toEqual(["cluster-0", "cluster-1", "cluster-2"]);
    expect(audit.counts()).toEqual({ appended: 3, failedAppends: 3, dropped: 0, pending: 0 });
    expect(logged().match(/audit append failed; retrying/g)?.length).toBe(3);
    expect(logged()).toContain("audit appends work again");
  });

  test("while the store fails, entries beyond the buffer are refused and stop gives up on the rest, loudly", async () => {
    const audit = createAuditTrail(failing(Number.POSITIVE_INFINITY).store, { ...options, maxPending: 3 });
    for (let n = 0; n < 5; n++) audit.record(event(n));
    expect(audit.counts()).toMatchObject({ dropped: 2, pending: 3 });
    expect(logged().match(/audit entry refused/g)?.length).toBe(2);
    await audit.stop(20);
    expect(audit.counts()).toMatchObject({ appended: 0, dropped: 5, pending: 0 });
    expect(logged()).toContain('"msg":"audit entries not appended before stop: lost","lost":3');
    expect(await clustersInTrail()).toEqual([]);
  });
});
