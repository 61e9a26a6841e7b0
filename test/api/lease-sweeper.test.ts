/**
 * The server's sweeper, on its own: a long-poll executor claims a command and then simply never
 * polls again. There is no connection to drop, so nothing but the lease running out can give the
 * command back; it must reach the next executor that asks, on every store.
 */
import { describe, expect, test } from "bun:test";
import type { Command } from "../../src/models";
import { executorHeaders } from "../support/protocol-executor";
import { json, startTestServer } from "../support/server";
import { useStores } from "../support/stores";

const { backends } = useStores("lease-sweeper");

/** One long-poll as executor `executorId`, waiting up to `waitSeconds` for commands. */
async function poll(url: string, token: string, executorId: string, waitSeconds: number): Promise<Command[]> {
  const response = await fetch(`${url}/executor/commands?wait=${waitSeconds}&max=16`, {
    headers: { ...executorHeaders("swept", token), "x-executor-id": executorId },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { commands: Command[] }).commands;
}

describe.each(backends)("on the %s store", (_, storeUrl) => {
  test("a lease that runs out is requeued by the sweeper and claimed by another executor", async () => {
    const server = await startTestServer({ storeUrl: storeUrl(), leaseMs: 500 });
    try {
      const token = await server.registerCluster("swept");
      const queued = await server.client(
        "/debug/execute/async",
        json({ cluster_id: "swept", command_type: "get", args: ["pods"], timeout_seconds: 60 }),
      );
      expect(queued.status).toBe(202);

      const claimed = await poll(server.url, token, "vanishing-executor", 0);
      expect(claimed.map((command) => command.args)).toEqual([["pods"]]);
      // The first executor never polls again and holds no connection: only the lease can end.
      const again = await poll(server.url, token, "next-executor", 15);
      expect(again.map((command) => command.command_id)).toEqual(
        claimed.map((command) => command.command_id),
      );
    } finally {
      await server.stop();
    }
  }, 30_000);
});
