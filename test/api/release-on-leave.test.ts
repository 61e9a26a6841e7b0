/**
 * An executor stream that ends while the store is unreachable (a Redis failover) cannot give back
 * what it held at once: the queue keeps trying, and the commands are claimable again as soon as the
 * store answers, long before their leases would have run out.
 */
import { expect, test } from "bun:test";
import { createAuditTrail } from "../../src/modules/audit/service";
import { createMetrics } from "../../src/modules/metrics/service";
import { createQueueService, DEFAULT_QUEUE_OPTIONS } from "../../src/modules/queue/service";
import { openStore, type Store, StoreUnavailableError } from "../../src/store";
import { eventually } from "../support/eventually";
import { makeCommand } from "../support/fixtures";

test("a release refused by an unreachable store is retried until it goes through", async () => {
  const store = await openStore("memory://", { redisPrefix: "" });
  // The store is down for the first two releases; everything else reaches it.
  let refusals = 2;
  const flaky: Store = Object.create(store, {
    release: {
      value: (consumerId: string, at: number) =>
        refusals-- > 0
          ? Promise.reject(new StoreUnavailableError(new Error("down")))
          : store.release(consumerId, at),
    },
  });
  const queue = createQueueService(
    flaky,
    { ...DEFAULT_QUEUE_OPTIONS, leaseMs: 60_000 },
    createAuditTrail(store),
    createMetrics(store),
  );
  try {
    const command = makeCommand("alpha");
    await store.enqueue(command);
    expect((await queue.claim("alpha", "departed", 8)).map((c) => c.command_id)).toEqual([
      command.command_id,
    ]);

    expect(await queue.releaseOnLeave("departed")).toBe(0);
    const again = await eventually(async () => {
      const claimed = await queue.claim("alpha", "next", 8);
      if (claimed.length === 0) throw new Error("not released yet");
      return claimed;
    });
    expect(again.map((c) => c.command_id)).toEqual([command.command_id]);
    expect(refusals).toBe(-1);
  } finally {
    queue.stop();
    await store.close();
  }
});
