/**
 * Closed-loop load: `concurrency` workers each send one request after another until the time
 * runs out (or `maxRequests` is reached), recording every request's latency. Bounded in count and time.
 */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
}

export async function closedLoop(
  concurrency: number,
  durationMs: number,
  request: (worker: number, i: number) => Promise<boolean>,
  maxRequests = 1_000_000,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const stopAt = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < stopAt && issued < maxRequests) {
        const i = issued++;
        const t0 = performance.now();
        const ok = await request(worker, i).catch(() => false);
        latenciesMs.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latenciesMs.length,
    errors,
    seconds,
    perSecond: latenciesMs.length / seconds,
    latenciesMs,
  };
}
