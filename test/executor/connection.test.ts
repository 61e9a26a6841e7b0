/** The connection loop's word to the operator when the API cannot be reached as configured or refuses. */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveExecutorConfig } from "../../executor/config";
import { startExecutor } from "../../executor/executor";
import type { ExecutorLog } from "../../executor/log";

const dir = mkdtempSync(join(tmpdir(), "kubently-connection-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves with the fields of the first "connection failed" line of an executor pointed at `apiUrl`. */
async function firstFailure(apiUrl: string): Promise<Record<string, unknown>> {
  let failed: (fields: Record<string, unknown>) => void = () => {};
  const failure = new Promise<Record<string, unknown>>((resolve) => {
    failed = resolve;
  });
  const log: ExecutorLog = (_level, msg, fields) => {
    if (msg === "connection failed; retrying") failed(fields ?? {});
  };
  const env = {
    PATH: process.env.PATH,
    KUBENTLY_API_URL: apiUrl,
    KUBENTLY_CLUSTER_ID: "lost",
    KUBENTLY_TOKEN: "kbt_x",
    KUBENTLY_TRANSPORT: "sse",
    KUBENTLY_RUNNER: "echo",
    KUBENTLY_CACHE_DIR: join(dir, "cache"),
  };
  const executor = await startExecutor(resolveExecutorConfig({}, env), { log, env });
  try {
    return await failure;
  } finally {
    await executor.stop(1_000);
  }
}

const notFound = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: () => new Response("", { status: 404 }),
});
afterAll(() => notFound.stop(true));

test("a 404 for an API URL with a path says the path is the likely cause", async () => {
  const failure = await firstFailure(`http://127.0.0.1:${notFound.port}/kubently`);
  expect(failure.status).toBe(404);
  expect(String(failure.hint)).toContain("KUBENTLY_API_URL has a path (/kubently)");
});

test("a 404 for an API URL without a path asks whether it is the Kubently API", async () => {
  const failure = await firstFailure(`http://127.0.0.1:${notFound.port}`);
  expect(String(failure.hint)).toContain("is KUBENTLY_API_URL the Kubently API?");
});

test("a refusal's message is quoted only when it is text, and cut short", async () => {
  const answers = [{ error: "x".repeat(100_000) }, { error: { nested: "object" } }];
  for (const body of answers) {
    const refusing = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => Response.json(body, { status: 503 }),
    });
    try {
      const failure = await firstFailure(`http://127.0.0.1:${refusing.port}`);
      expect(failure.status).toBe(503);
      expect(String(failure.error).length).toBeLessThan(300);
      expect(String(failure.error)).not.toContain("[object Object]");
    } finally {
      refusing.stop(true);
    }
  }
});
