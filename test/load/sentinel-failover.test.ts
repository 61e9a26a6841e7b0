/**
 * Redis with Sentinel loses its primary (SIGKILL) under load: a primary, a replica and three
 * sentinels, two `kubently serve` processes on redis+sentinel://, an executor process on each and
 * eight callers sending to both. Run with the settings README says make it lose nothing:
 * `min-replicas-to-write 1` on the servers and `wait_replicas=1` in the store URL (with one
 * replica, writes then wait for the killed server to come back as the new primary's replica).
 *
 * Every request is answered with its own command's output or refused 503 STORE_UNAVAILABLE, never
 * anything else, and every command answered is still known, done, on the promoted primary.
 * The times are printed (and measured in bench/scenarios/sentinel-failover.ts), not asserted.
 */
import { expect, test } from "bun:test";
import { runFailover } from "../support/sentinel-failover";

test("a primary killed mid-load: each caller is answered its own output or refused 503, and nothing answered is lost", async () => {
  const run = await runFailover({
    settings: { replicas: 1, minReplicasToWrite: 1, minReplicasMaxLag: 10 },
    waitReplicas: 1,
    callers: 8,
    before: 200,
    after: 200,
    maxRequests: 5_000,
    maxMs: 75_000,
  });
  console.log(`sentinel failover: ${JSON.stringify(run)}`);
  expect(run.wrong).toBe(0);
  expect(run.failed).toBe(0);
  expect(Object.keys(run.refused)).toEqual(["503 STORE_UNAVAILABLE"]);
  expect(run.answered).toBeGreaterThanOrEqual(400);
  expect(run.answered + (run.refused["503 STORE_UNAVAILABLE"] ?? 0)).toBe(run.requests);
  expect(run.forgotten).toBe(0);
}, 120_000);
