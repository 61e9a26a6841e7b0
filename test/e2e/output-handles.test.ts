/**
 * Output handles end to end: a 3 MB container log read through the real server and a real executor
 * against the stand-in, natively and with kubectl, on SQLite and Redis. Real kubectl, reading the
 * same log straight from the stand-in, is the oracle for every line: the answer's preview, every
 * page, tails, matches, the newest lines kept over the cluster's cap, and what the CLI prints. MCP
 * goes through the SDK's own client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { RunningExecutor } from "../../executor/executor";
import type { CommandResult, ErrorBody, OutputPage } from "../../src/models";
import { LARGE_LOG_ERROR, largeLogScenario } from "../k8s/large-log";
import { HEALTHY_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { runKubently } from "../support/cli";
import { eventually } from "../support/eventually";
import { connectExecutor, startInProcessExecutor } from "../support/executor";
import { runToEnd } from "../support/process";
import { CLIENT_KEY, json, startTestServer, type TestServer } from "../support/server";
import { persistentStores, useStores } from "../support/stores";

const dir = mkdtempSync(join(tmpdir(), "kubently-output-handles-"));
const { backends } = useStores("output-handles");

/** About 3 MB of log, as in the issue. */
const LOG_LINES = 30_000;

let standin: KubeStandin;
/** What kubectl itself prints for the log, straight from the stand-in. */
let oracle: string;
const LOGS = ["logs", HEALTHY_POD, "-n", SHOP_NAMESPACE];

beforeAll(async () => {
  standin = await startKubeStandin({ scenario: largeLogScenario(LOG_LINES) });
  const run = await runToEnd(["kubectl", "--kubeconfig", standin.kubeconfigPath, ...LOGS], {
    PATH: process.env.PATH,
    HOME: dir,
  });
  expect(run.code).toBe(0);
  oracle = run.stdout;
  expect(oracle.length).toBeGreaterThan(3_000_000);
});
afterAll(async () => {
  await standin.stop();
  rmSync(dir, { recursive: true, force: true });
});

const oracleLines = () => oracle.split("\n").slice(0, -1);

const stores = persistentStores(backends);

describe.each(stores)("on the %s store", (_, storeUrl) => {
  let server: TestServer;
  const executors: RunningExecutor[] = [];
  beforeAll(async () => {
    server = await startTestServer({ storeUrl: storeUrl() });
  });
  afterAll(async () => {
    await Promise.all(executors.map((executor) => executor.stop()));
    await server.stop();
  });

  const connect = async (clusterId: string, policy?: string) => {
    executors.push(await connectExecutor(server, clusterId, standin.kubeconfigPath, dir, policy));
  };

  const execute = async (clusterId: string, args: string[]) => {
    const [command_type, ...rest] = args;
    const response = await server.client(
      "/debug/execute",
      json({ cluster_id: clusterId, command_type, args: rest }),
    );
    expect(response.status).toBe(200);
    return (await response.json()) as CommandResult;
  };
  const read = async (commandId: string, query: string, as = server.client) => {
    const response = await as(`/debug/results/${commandId}/output?${query}`);
    return { status: response.status, body: (await response.json()) as OutputPage & ErrorBody };
  };
  /** Every line of a stream, page after page. */
  async function readAll(commandId: string, query = ""): Promise<OutputPage["lines"]> {
    const lines: OutputPage["lines"] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const { status, body } = await read(commandId, `limit=5000&offset=${offset}${query}`);
      expect(status).toBe(200);
      lines.push(...body.lines);
      offset = body.next_offset;
    }
    return lines;
  }

  for (const [path, policy] of [
    ["native reads", undefined],
    ["kubectl", "mode: readOnly\nnativeReads: false\n"],
  ] as const) {
    test(`${path}: a 3 MB log answers with a preview and a handle, and every page is kubectl's`, async () => {
      const clusterId = `whole-${path === "kubectl" ? "kubectl" : "native"}`;
      await connect(clusterId, policy);
      const result = await execute(clusterId, LOGS);
      const lines = oracleLines();
      expect(result.status).toBe("success");
      expect(result.truncated).toBe(false);
      expect(result.output).toEqual({
        handle: result.command_id,
        url: `/debug/results/${result.command_id}/output`,
        stdout: { bytes: Buffer.byteLength(oracle), lines: lines.length, preview: true },
        stderr: { bytes: 0, lines: 0, preview: false },
      });
      // The preview: kubectl's first and last lines around one line that says how to read the rest.
      const preview = result.stdout.split("\n").slice(0, -1);
      expect(preview.slice(0, 20)).toEqual(lines.slice(0, 20));
      expect(preview.slice(-20)).toEqual(lines.slice(-20));
      expect(preview[20]).toContain(result.command_id);
      expect(result.stdout.length).toBeLessThan(64 * 1024);

      const paged = await readAll(result.command_id);
      expect(paged.map((line) => line.text)).toEqual(lines);
      expect(paged.map((line) => line.n)).toEqual(lines.map((_, i) => i + 1));
    });
  }

  describe("reading an output", () => {
    let commandId: string;
    beforeAll(async () => {
      await connect("reader");
      commandId = (await execute("reader", LOGS)).command_id;
    });

    test("tail, a negative offset and grep select what kubectl's output has there", async () => {
      const lines = oracleLines();
      const tail = await read(commandId, "tail=7");
      expect(tail.body.lines.map((line) => line.text)).toEqual(lines.slice(-7));
      expect(tail.body.next_offset).toBeNull();
      const fromEnd = await read(commandId, "offset=-12&limit=5");
      expect(fromEnd.body.lines.map((line) => line.n)).toEqual(
        [0, 1, 2, 3, 4].map((i) => lines.length - 11 + i),
      );
      expect(fromEnd.body.next_offset).toBe(lines.length - 7);

      const errors = lines.flatMap((text, i) => (text.includes(LARGE_LOG_ERROR) ? [{ n: i + 1, text }] : []));
      const matched = await readAll(commandId, `&grep=${encodeURIComponent(LARGE_LOG_ERROR)}`);
      expect(matched).toEqual(errors);
      const last = await read(commandId, `grep=${encodeURIComponent("(?i)error upstream")}&tail=2`);
      expect(last.body).toMatchObject({
        matched_lines: errors.length,
        lines: errors.slice(-2),
        next_offset: null,
      });
    });

    test("a pattern that backtracks without end elsewhere answers at once: RE2 runs in linear time", async () => {
      const page = await read(commandId, `grep=${encodeURIComponent('^(\\{|"|[a-z:,]+)+x$')}`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ matched_lines: 0, lines: [], next_offset: null });
    });

    test("another key, an unknown id and bad queries get the error format and change nothing", async () => {
      const other = await read(commandId, "tail=1", server.other);
      expect(other.status).toBe(404);
      expect(other.body.details.code).toBe("OUTPUT_NOT_FOUND");
      const unknown = await read(crypto.randomUUID(), "tail=1");
      expect([unknown.status, unknown.body.details.code]).toEqual([404, "OUTPUT_NOT_FOUND"]);
      for (const [query, code] of [
        ["limit=-1", "VALIDATION_ERROR"],
        ["limit=0", "VALIDATION_ERROR"],
        ["stream=stdin", "VALIDATION_ERROR"],
        ["grep=(unclosed", "INVALID_PATTERN"],
        [`offset=${LOG_LINES}`, "OFFSET_OUT_OF_RANGE"],
        ["offset=3&tail=2", "INVALID_QUERY"],
      ]) {
        const refused = await read(commandId, query as string);
        expect([query, refused.status, refused.body.details.code]).toEqual([query, 400, code]);
      }
      expect((await read(commandId, "tail=1")).body.lines.map((line) => line.text)).toEqual(
        oracleLines().slice(-1),
      );
    });

    test("an async operation's result carries the same handle", async () => {
      const [command_type, ...args] = LOGS;
      const started = await server.client(
        "/debug/execute/async",
        json({ cluster_id: "reader", command_type, args }),
      );
      const { operation_id } = (await started.json()) as { operation_id: string };
      const operation = await eventually(async () => {
        const response = await server.client(`/debug/operations/${operation_id}`);
        const body = (await response.json()) as { status: string; result?: CommandResult };
        if (body.status === "pending" || body.status === "running") throw new Error("not final yet");
        return body;
      }, 30_000);
      expect(operation.status).toBe("succeeded");
      expect(operation.result?.output?.stdout).toEqual({
        bytes: Buffer.byteLength(oracle),
        lines: oracleLines().length,
        preview: true,
      });
    });
  });

  test("over the cluster's cap, logs keep their newest lines and say how much was dropped", async () => {
    const cap = 1024 * 1024;
    await connect("capped", `mode: readOnly\nmaxOutputBytes: ${cap}\n`);
    const result = await execute("capped", LOGS);
    const kept = (await readAll(result.command_id)).map((line) => `${line.text}\n`).join("");
    expect(oracle.endsWith(kept)).toBe(true);
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(cap);
    expect(oracle.slice(0, oracle.length - kept.length).endsWith("\n")).toBe(true);
    expect(result.truncated).toBe(true);
    expect(result.truncation).toEqual({
      stdout: { kept: "tail", dropped_bytes: Buffer.byteLength(oracle) - Buffer.byteLength(kept) },
    });
  });
});

describe("for agents and people", () => {
  let server: TestServer;
  let executor: RunningExecutor;
  beforeAll(async () => {
    server = await startTestServer();
    executor = await startInProcessExecutor({
      apiUrl: server.url,
      clusterId: "desk",
      token: await server.registerCluster("desk"),
      kubeconfig: standin.kubeconfigPath,
      cacheDir: join(dir, "cache-desk"),
    });
  });
  afterAll(async () => {
    await executor.stop();
    await server.stop();
  });

  test("MCP: logs without --tail get the default tail, said in the text; a large output is read with read_output", async () => {
    const client = new Client({ name: "kubently-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { "x-api-key": CLIENT_KEY } },
      }),
    );
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult;
    const textOf = (result: CallToolResult) =>
      result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
    try {
      const lines = oracleLines();
      const tailed = await call("execute_kubectl", { cluster_id: "desk", command: LOGS.join(" ") });
      expect(tailed.isError).toBeFalsy();
      expect((tailed.structuredContent as CommandResult).stdout).toBe(`${lines.slice(-200).join("\n")}\n`);
      expect(textOf(tailed)).toContain("[logs without --tail: showing the last 200 lines");

      const whole = await call("execute_kubectl", {
        cluster_id: "desk",
        command: `${LOGS.join(" ")} --tail=-1`,
      });
      const { output, command_id } = whole.structuredContent as CommandResult;
      expect(output?.stdout).toMatchObject({ lines: lines.length, preview: true });
      expect(textOf(whole)).toContain(`read_output {"command_id": "${command_id}"}`);

      const matches = await call("read_output", { command_id, grep: LARGE_LOG_ERROR, tail: 3 });
      const errors = lines.flatMap((text, i) => (text.includes(LARGE_LOG_ERROR) ? [{ n: i + 1, text }] : []));
      expect(matches.structuredContent).toMatchObject({
        matched_lines: errors.length,
        lines: errors.slice(-3),
      });
      const refused = await call("read_output", { command_id, grep: "(" });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toStartWith("INVALID_PATTERN");
    } finally {
      await client.close();
    }
  });

  test("CLI: exec prints the whole log as kubectl does; output --tail and --grep read it by its handle", async () => {
    const env = { KUBENTLY_URL: server.url, KUBENTLY_API_KEY: CLIENT_KEY };
    const printed = await runKubently(["exec", "desk", ...LOGS], env);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(oracle);
    const answered = await runKubently(["exec", "desk", "--json", ...LOGS], env);
    const { command_id } = JSON.parse(answered.stdout) as CommandResult;
    const tail = await runKubently(["output", command_id, "--tail", "3"], env);
    expect(tail.stdout).toBe(`${oracleLines().slice(-3).join("\n")}\n`);
    const grep = await runKubently(
      ["output", command_id, "--grep", LARGE_LOG_ERROR, "--limit", "2", "-N"],
      env,
    );
    const errors = oracleLines().flatMap((text, i) =>
      text.includes(LARGE_LOG_ERROR) ? [`${i + 1}:${text}`] : [],
    );
    expect(grep.stdout).toBe(`${errors.slice(0, 2).join("\n")}\n`);
    const other = await runKubently(["output", command_id, "--tail", "1"], {
      ...env,
      KUBENTLY_API_KEY: "other-key-0123456789abcdef",
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("OUTPUT_NOT_FOUND");
  });
});
