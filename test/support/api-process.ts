/**
 * The test server (test/support/server.ts) as a process of its own, for tests that must kill an API
 * with SIGKILL while choosing what `kubently serve` has no flag for (a short lease). Started with
 * spawnApiProcess; the child prints one line, `api listening <url>`, once it listens.
 *
 * Run as a script: KUBENTLY_TEST_STORE, KUBENTLY_TEST_PREFIX and KUBENTLY_TEST_LEASE_MS say how.
 */
import { type Spawned, spawnProcess } from "./process";
import { startTestServer } from "./server";

export interface ApiProcess {
  url: string;
  process: Spawned;
}

export async function spawnApiProcess(options: { storeUrl: string; redisPrefix: string; leaseMs: number }) {
  const process_ = spawnProcess([process.execPath, import.meta.path], {
    PATH: process.env.PATH,
    KUBENTLY_TEST_STORE: options.storeUrl,
    KUBENTLY_TEST_PREFIX: options.redisPrefix,
    KUBENTLY_TEST_LEASE_MS: String(options.leaseMs),
  });
  const line = await process_.waitForLine(/^api listening /);
  return { url: line.slice("api listening ".length).trim(), process: process_ } satisfies ApiProcess;
}

if (import.meta.main) {
  const server = await startTestServer({
    storeUrl: process.env.KUBENTLY_TEST_STORE,
    redisPrefix: process.env.KUBENTLY_TEST_PREFIX,
    leaseMs: Number(process.env.KUBENTLY_TEST_LEASE_MS),
  });
  console.log(`api listening ${server.url}`);
}
