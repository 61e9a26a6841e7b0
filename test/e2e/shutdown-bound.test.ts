/**
 * A real SIGTERM to a `kubently serve` process while a caller is still waiting for a command that
 * an attached executor holds and never answers: /ready fails from the moment the stop begins, the
 * waiting caller is answered (503 DRAINING once the drain's bound passes), the executor's stream is
 * ended with `closing`, and the process exits 0, which it does only when the stop finished inside
 * SHUTDOWN_BOUND_MS (past it, it exits 1 with "shutdown took too long").
 */
import { expect, test } from "bun:test";
import type { ErrorBody } from "../../src/models";
import { connectSse } from "../support/protocol-executor";
import { startServe } from "../support/serve";

const API_KEY = "shutdown-agent-key-0123456789";
const ADMIN_KEY = "shutdown-admin-key-0123456789";

test("SIGTERM with a caller waiting and an executor attached: /ready fails, the caller is answered, exit 0", async () => {
  const { url, process: server } = await startServe(["--store", "memory://"], {
    KUBENTLY_API_KEYS: `agent:${API_KEY}`,
    KUBENTLY_ADMIN_KEYS: `ops:${ADMIN_KEY}`,
  });
  try {
    const issued = await fetch(`${url}/admin/clusters/stopping/token`, {
      method: "POST",
      headers: { "x-api-key": ADMIN_KEY },
    });
    const { token } = (await issued.json()) as { token: string };
    const executor = await connectSse(url, "stopping", token, () => "ignore");
    expect((await fetch(`${url}/ready`)).status).toBe(200);

    const waiting = fetch(`${url}/debug/execute`, {
      method: "POST",
      headers: { "x-api-key": API_KEY, "content-type": "application/json" },
      body: JSON.stringify({
        cluster_id: "stopping",
        command_type: "get",
        args: ["pods"],
        timeout_seconds: 60,
      }),
    });
    await executor.nextCommand();

    server.proc.kill("SIGTERM");
    await server.waitForLine(/"msg":"shutting down","signal":"SIGTERM"/);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as ErrorBody).details.code).toBe("DRAINING");

    const answered = await waiting;
    expect(answered.status).toBe(503);
    expect(((await answered.json()) as ErrorBody).details.code).toBe("DRAINING");
    expect(await executor.ended).toBe("server shutting down; reconnect");

    // A generous wait for the exit; its code says whether the stop kept to its own bound.
    const exited = await Promise.race([server.proc.exited, Bun.sleep(30_000).then(() => "still running")]);
    expect(exited).toBe(0);
    await server.drained;
    expect(server.stdout()).not.toContain("shutdown took too long");
  } finally {
    server.proc.kill("SIGKILL");
  }
}, 45_000);
