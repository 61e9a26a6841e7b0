/**
 * An API process dies (SIGKILL) while its executor holds a command leased on Redis: nothing released
 * the lease, so another replica's sweeper must give the command back once the lease runs out, and an
 * executor there runs it; the asynchronous operation the caller started on the dead API succeeds.
 */
import { expect, test } from "bun:test";
import type { Operation } from "../../src/modules/operations/model";
import { spawnApiProcess } from "../support/api-process";
import { eventually } from "../support/eventually";
import { connectSse } from "../support/protocol-executor";
import { ADMIN_KEY, CLIENT_KEY, json, startTestServer } from "../support/server";
import { useStores } from "../support/stores";

const { redis } = useStores("leased-on-redis");

test("a command leased when its API was killed is requeued by the other replica and answered there", async () => {
  const redisPrefix = `leased-${crypto.randomUUID()}:`;
  const dying = await spawnApiProcess({ storeUrl: redis().url, redisPrefix, leaseMs: 1_000 });
  const survivor = await startTestServer({ storeUrl: redis().url, redisPrefix, leaseMs: 1_000 });
  try {
    const issued = await fetch(`${dying.url}/admin/clusters/leased/token`, {
      method: "POST",
      headers: { "x-api-key": ADMIN_KEY },
    });
    const { token } = (await issued.json()) as { token: string };
    const holder = await connectSse(dying.url, "leased", token, () => "ignore");
    const started = await fetch(`${dying.url}/debug/execute/async`, {
      ...json({ cluster_id: "leased", command_type: "get", args: ["pods"], timeout_seconds: 60 }),
      headers: { "x-api-key": CLIENT_KEY, "content-type": "application/json" },
    });
    expect(started.status).toBe(202);
    const operation = (await started.json()) as Operation;
    const leased = await holder.nextCommand();

    dying.process.proc.kill("SIGKILL");
    await dying.process.proc.exited;
    holder.close();

    const taker = await connectSse(survivor.url, "leased", token, () => ({
      stdout: "run after the API died",
    }));
    try {
      const requeued = await taker.nextCommand(15_000);
      expect(requeued.command_id).toBe(leased.command_id);
      const done = await eventually(async () => {
        const read = await survivor.client(`/debug/operations/${operation.operation_id}`);
        const current = (await read.json()) as Operation;
        if (current.status !== "succeeded") throw new Error(`operation still ${current.status}`);
        return current;
      });
      expect(done.result?.stdout).toBe("run after the API died");
      expect(taker.received).toHaveLength(1);
    } finally {
      taker.close();
    }
  } finally {
    dying.process.proc.kill("SIGKILL");
    await survivor.stop();
  }
}, 30_000);
