/**
 * The API process is killed with commands queued and no executor: after a restart on the same store
 * the commands are still there, and run once an executor connects (SQLite file and Redis).
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { RunningExecutor } from "../../executor/executor";
import type { Operation } from "../../src/modules/operations/model";
import { eventually } from "../support/eventually";
import { executorEnv, startInProcessExecutor } from "../support/executor";
import { freePort } from "../support/ports";
import { spawnServe } from "../support/serve";
import { useStores } from "../support/stores";

const API_KEY = "restart-agent-key-0123456789";
const ADMIN_KEY = "restart-admin-key-0123456789";
const { dir, redis } = useStores("restart");

async function serve(store: string, port: number) {
  const server = spawnServe(["--port", String(port), "--store", store], {
    KUBENTLY_API_KEYS: `agent:${API_KEY}`,
    KUBENTLY_ADMIN_KEYS: `ops:${ADMIN_KEY}`,
    KUBENTLY_REDIS_PREFIX: `restart-${port}:`,
  });
  await server.waitForLine(/kubently listening/);
  return server;
}

/** The operation once final; the executor doing the work runs on its own, with nothing to wait on. */
const settled = (url: string, id: string) =>
  eventually(async () => {
    const response = await fetch(`${url}/debug/operations/${id}`, { headers: { "x-api-key": API_KEY } });
    const operation = (await response.json()) as Operation;
    if (["pending", "running"].includes(operation.status)) throw new Error(`still ${operation.status}`);
    return operation;
  });

const stores: [string, () => string][] = [
  ["sqlite", () => `sqlite://${join(dir, "restart.db")}`],
  ["redis", () => redis().url],
];

describe.each(stores)("on the %s store", (_, storeUrl) => {
  test("queued commands survive a SIGKILLed API process and run after the restart", async () => {
    const store = storeUrl();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await serve(store, port);
    const issued = await fetch(`${url}/admin/clusters/durable/token`, {
      method: "POST",
      headers: { "x-api-key": ADMIN_KEY },
    });
    const { token } = (await issued.json()) as { token: string };
    const queued: Operation[] = [];
    for (const name of ["first", "second"]) {
      const response = await fetch(`${url}/debug/execute/async`, {
        method: "POST",
        headers: { "x-api-key": API_KEY, "content-type": "application/json" },
        body: JSON.stringify({
          cluster_id: "durable",
          command_type: "get",
          args: ["pod", name],
          timeout_seconds: 60,
        }),
      });
      expect(response.status).toBe(202);
      queued.push((await response.json()) as Operation);
    }
    first.proc.kill("SIGKILL");
    await first.proc.exited;

    const second = await serve(store, port);
    let executor: RunningExecutor | null = null;
    try {
      for (const operation of queued) {
        const read = await fetch(`${url}/debug/operations/${operation.operation_id}`, {
          headers: { "x-api-key": API_KEY },
        });
        expect(((await read.json()) as Operation).status).toBe("pending");
      }
      executor = await startInProcessExecutor({
        ...executorEnv({
          apiUrl: url,
          clusterId: "durable",
          token,
          kubeconfig: "/dev/null",
          cacheDir: join(dir, "cache"),
        }),
        KUBENTLY_RUNNER: "echo",
      });
      for (const [i, operation] of queued.entries()) {
        const done = await settled(url, operation.operation_id);
        expect(done.status).toBe("succeeded");
        expect(done.result?.stdout).toBe(`get pod ${["first", "second"][i]}\n`);
      }
    } finally {
      await executor?.stop();
      second.proc.kill("SIGTERM");
      await second.proc.exited;
    }
  });
});
