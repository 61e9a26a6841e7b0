/**
 * /mcp's own CPU per `tools/call` (execute_kubectl), in one process: the HTTP core, the auth guard
 * and the MCP module as the server composes them, with an execute that answers at once, so what is
 * measured is the MCP layer and the request around it, not the queue or an executor. Each call
 * yields to the event loop once, as requests arriving on a socket do. `bun run
 * bench/scenarios/mcp-path.ts [calls]` prints CPU µs per call over five rounds, lowest first.
 */
import { Elysia } from "elysia";
import { httpCore } from "../../src/http/core";
import type { CommandResult } from "../../src/models";
import type { AuthService } from "../../src/modules/auth/service";
import { mcpModule } from "../../src/modules/mcp";
import type { InProcessServices } from "../../src/modules/mcp/in-process";

const calls = Number(process.argv[2] ?? 3_000);
const result: CommandResult = {
  command_id: "01930000-0000-7000-8000-000000000000",
  cluster_id: "bench",
  status: "success",
  exit_code: 0,
  stdout:
    "NAME           READY   STATUS    RESTARTS   AGE\ncheckout-7d9f   1/1     Running   0          3d\n",
  stderr: "",
  truncated: false,
  execution_time_ms: 1,
  completed_at: new Date().toISOString(),
};
const execute = async () => result;
const services = { execute, executeWithChunks: execute } as unknown as InProcessServices;
const auth = {
  identifyClient: async () => ({ identity: "bench", scope: null }),
  admitClient: async () => {},
} as unknown as AuthService;
const app = new Elysia({ normalize: false })
  .use(
    httpCore({
      maxBodyBytes: 1 << 20,
      maxResultBytes: 1 << 24,
      recorder: { request() {}, error() {} },
      accessLog: false,
    }),
  )
  .use(mcpModule(auth, services, { logsTail: 200 }));
const body = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "execute_kubectl", arguments: { cluster_id: "bench", command: "get pods -n shop" } },
});
const headers = {
  "x-api-key": "bench",
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-06-18",
};
const call = async () => {
  const response = await app.handle(new Request("http://127.0.0.1/mcp", { method: "POST", headers, body }));
  const answer = (await response.json()) as { result?: { isError?: boolean } };
  if (!answer.result || answer.result.isError) throw new Error(JSON.stringify(answer));
  await new Promise((resolve) => setImmediate(resolve));
};

for (let i = 0; i < calls; i++) await call();
const rounds: number[] = [];
for (let round = 0; round < 5; round++) {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  const used = process.cpuUsage(start);
  rounds.push(Math.round((used.user + used.system) / calls));
}
console.log(JSON.stringify({ cpu_us_per_call: rounds.sort((a, b) => a - b), calls }));
