/**
 * The executor's policy report against a server older than it: a fake API (fake-api.ts) that knows
 * nothing of the header. On every transport the executor sends its report with each connecting
 * request, the header reads back as the policy it runs, and commands are served as ever.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveExecutorConfig } from "../../executor/config";
import { startExecutor } from "../../executor/executor";
import { silentLog } from "../../executor/log";
import type { TransportName } from "../../executor/transports/types";
import { type Command, decodePolicyReport } from "../../src/models";
import { DEFAULT_POLICY_REPORT, makeCommand } from "../support/fixtures";
import { type Frame, startFakeApi } from "./fake-api";

const dir = mkdtempSync(join(tmpdir(), "kubently-policy-header-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const carry: Record<TransportName, (command: Command) => Frame> = {
  sse: (command) => ({ text: `event: command\ndata: ${JSON.stringify(command)}\n\n` }),
  ws: (command) => ({ text: JSON.stringify({ type: "command", command }) }),
  poll: (command) => ({ text: JSON.stringify({ commands: [command] }) }),
};

describe.each(["sse", "ws", "poll"] as TransportName[])("over %s", (transport) => {
  test("a server that knows nothing of the report gets it on the connection and is served as ever", async () => {
    const api = startFakeApi();
    const env = {
      PATH: process.env.PATH,
      KUBENTLY_API_URL: api.url,
      KUBENTLY_CLUSTER_ID: "older-server",
      KUBENTLY_TOKEN: "kbt_x",
      KUBENTLY_TRANSPORT: transport,
      KUBENTLY_RUNNER: "echo",
      KUBENTLY_CACHE_DIR: join(dir, transport),
    };
    const executor = await startExecutor(resolveExecutorConfig({}, env), { log: silentLog, env });
    try {
      await executor.connected();
      const command = makeCommand("older-server");
      api.send([carry[transport](command)]);
      expect((await api.result(command.command_id)).status).toBe("success");

      expect(api.policyHeaders.length).toBeGreaterThan(0);
      for (const header of api.policyHeaders) {
        // The default policy; native reads off, as the echo runner has no cluster to read.
        expect(decodePolicyReport(header ?? "")).toEqual({
          policy: { ...DEFAULT_POLICY_REPORT, native_reads: false },
        });
      }
    } finally {
      await executor.stop(1_000);
      api.stop();
    }
  });
});
