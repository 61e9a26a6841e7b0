/**
 * 2,000 commands through one cluster under concurrency, on each store: every caller gets exactly
 * its own command's answer, and the executor side sees each command exactly once.
 * Bounded for a loaded 2-core machine: 2,000 requests, 16 at a time, and a generous timeout, so a
 * slow machine gives a slow pass; a caller answered with anything but its own output fails it.
 * Throughput is bench/'s business (bench/scenarios/store.ts), not this test's.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { CommandResult } from "../../src/models";
import { connectSse } from "../support/protocol-executor";
import { json, startTestServer } from "../support/server";
import { useStores } from "../support/stores";

const COMMANDS = 2_000;
const CONCURRENCY = 16;

const { dir, redis } = useStores("load");

const stores: [string, () => string][] = [
  ["sqlite", () => `sqlite://${join(dir, "load.db")}`],
  ["redis", () => redis().url],
];

describe.each(stores)("on the %s store", (_, storeUrl) => {
  test(`${COMMANDS} commands, ${CONCURRENCY} callers at a time: each answered once, to its own caller`, async () => {
    const server = await startTestServer({ storeUrl: storeUrl() });
    const token = await server.registerCluster("load");
    // Two executor connections share the cluster's queue and both claim on every notification. (In one
    // process the first to be notified claims everything meanwhile queued, so the second mostly finds
    // nothing; what is checked is that no command reaches both, or neither.)
    const executors = await Promise.all([
      connectSse(server.url, "load", token),
      connectSse(server.url, "load", token),
    ]);
    try {
      const answers = new Array<string>(COMMANDS);
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < COMMANDS) {
            const i = next++;
            const response = await server.client(
              "/debug/execute",
              json({ cluster_id: "load", command_type: "get", args: ["pod", `p-${i}`] }),
            );
            answers[i] =
              response.status === 200
                ? ((await response.json()) as CommandResult).stdout
                : `HTTP ${response.status}`;
          }
        }),
      );
      const wrong = answers
        .map((answer, i) => [i, answer] as const)
        .filter(([i, answer]) => answer !== `ran get pod p-${i}`);
      expect(wrong.slice(0, 5)).toEqual([]);
      const delivered = executors.flatMap((executor) =>
        executor.received.map((command) => command.command_id),
      );
      expect(delivered).toHaveLength(COMMANDS);
      expect(new Set(delivered).size).toBe(COMMANDS);
    } finally {
      for (const executor of executors) executor.close();
      await server.stop();
    }
  }, 600_000);
});
