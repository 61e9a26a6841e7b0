/**
 * How fast a failure is answered: opening the Redis store where nobody listens, a store call once
 * its Redis has died, and the executor's result poster giving up on an API that only answers 503,
 * measured from its command's deadline (negative: it stopped before, when one more retry would not fit). The tests assert only the outcomes (StoreUnavailableError, `false`); the times are here.
 */

import { silentLog } from "../../executor/log";
import { ResultPoster } from "../../executor/results";
import { openStore } from "../../src/store";
import { makeResult } from "../../test/support/fixtures";
import { freePort } from "../../test/support/ports";
import { startRedisServer } from "../../test/support/redis-server";
import { round, type Spread, spread } from "../lib/stats";

export interface FailureFigures {
  store_open_unreachable_ms: Spread;
  store_call_after_outage_ms: Spread;
  result_giveup_from_deadline_ms: Spread;
}

const ms = (samples: number[]) => {
  const s = spread(samples);
  return { min: round(s.min, 1), median: round(s.median, 1), p99: round(s.p99, 1) };
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work().catch(() => undefined);
  return performance.now() - started;
}

export async function failureTimes(rounds: number): Promise<FailureFigures> {
  const open: number[] = [];
  const outage: number[] = [];
  const giveUp: number[] = [];

  for (let i = 0; i < rounds; i++) {
    const port = await freePort();
    open.push(await timed(() => openStore(`redis://127.0.0.1:${port}`, { redisPrefix: "bench:" })));
  }

  const redis = await startRedisServer();
  try {
    for (let i = 0; i < rounds; i++) {
      const store = await openStore(redis.url, { redisPrefix: `bench-outage-${i}:` });
      try {
        await store.ping();
        await redis.kill();
        outage.push(await timed(() => store.ping()));
        await redis.restart();
      } finally {
        await store.close().catch(() => undefined);
      }
    }
  } finally {
    await redis.stop();
  }

  const unavailable = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => new Response("unavailable", { status: 503 }),
  });
  try {
    const poster = new ResultPoster(
      {
        apiUrl: `http://127.0.0.1:${unavailable.port}`,
        clusterId: "bench",
        version: "bench",
        executorId: "bench",
        token: () => "kbt_bench",
        tls: undefined,
      },
      silentLog,
    );
    for (let i = 0; i < rounds; i++) {
      const deadline = Date.now() + 1_000;
      const result = makeResult({ command_id: crypto.randomUUID(), cluster_id: "bench" }, { stdout: "x" });
      const delivered = await poster.post(result, deadline);
      if (delivered) throw new Error("a result was delivered to an API that only answers 503");
      giveUp.push(Date.now() - deadline);
    }
  } finally {
    await unavailable.stop(true);
  }

  return {
    store_open_unreachable_ms: ms(open),
    store_call_after_outage_ms: ms(outage),
    result_giveup_from_deadline_ms: ms(giveUp),
  };
}
