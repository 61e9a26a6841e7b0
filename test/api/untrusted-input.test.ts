/**
 * Input from callers who may be hostile, over real HTTP: credentials are checked before anything is
 * read of the request (its body, params, query), body limits hold on the bytes read whatever the
 * framing, and JSON too deeply nested is a 400, never a crash. Every refusal is in the error format.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import type { ErrorBody } from "../../src/models";
import { makeResult } from "../support/fixtures";
import { executorHeaders } from "../support/protocol-executor";
import { CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

const MAX_BODY_BYTES = 4096;
const MAX_RESULT_BYTES = 64 * 1024;

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: MAX_BODY_BYTES, maxResultBytes: MAX_RESULT_BYTES });
  token = await server.registerCluster("prod");
});
afterAll(() => server.stop());

const WRONG_TOKEN = executorHeaders("prod", "kbt_not-the-token");
const NO_CLUSTER = { authorization: "Bearer kbt_not-the-token" };
const WRONG_KEY = { "x-api-key": "not-a-key-0123456789" };
const NO_KEY = {};

/** A request as an outsider sends it: `body` as given (a string is sent verbatim). */
const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(server.url + path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });

const expectRefusal = async (response: Response, status: number, code: string): Promise<ErrorBody> => {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  const body = JSON.parse(text) as ErrorBody;
  expect(body.details.code).toBe(code);
  expect(body.request_id).toBe(response.headers.get("x-request-id") ?? "");
  return body;
};

describe("credentials come before the request is read", () => {
  // Each is a request that fails validation (body, params or query) or is not JSON at all.
  const malformed: [string, string, string, unknown][] = [
    ["a body not matching the schema", "POST", "/executor/results", { command_id: 42 }],
    ["a batch not matching the schema", "POST", "/executor/results/batch", { results: "all of them" }],
    ["a body that is not JSON", "POST", "/executor/results", "{not json"],
    ["a query not matching the schema", "GET", "/executor/commands?wait=forever", undefined],
  ];
  test.each(
    malformed.flatMap(([what, method, path, body]) => [
      [`a wrong executor token, ${what}`, method, path, WRONG_TOKEN, body],
      [`no X-Cluster-ID, ${what}`, method, path, NO_CLUSTER, body],
    ]),
  )("%s: 401", async (_, method, path, headers, body) => {
    const refusal = await expectRefusal(await send(method, path, headers, body), 401, "UNAUTHORIZED");
    expect(refusal.details.context).toEqual({});
  });

  const clientMalformed: [string, string, string, unknown][] = [
    ["a session body not matching the schema", "POST", "/debug/session", { cluster: ["prod"] }],
    ["an execute body not matching the schema", "POST", "/debug/execute", { args: 7 }],
    ["an async execute body not matching the schema", "POST", "/debug/execute/async", {}],
    ["a body that is not JSON", "POST", "/debug/session", "]["],
    ["a session id that is not one", "GET", "/debug/session/..%2F..", undefined],
    ["an operation id that is not one", "GET", "/debug/operations/%00", undefined],
    ["an MCP body that is not JSON", "POST", "/mcp", "{"],
  ];
  test.each(
    clientMalformed.flatMap(([what, method, path, body]) => [
      [`a wrong API key, ${what}`, method, path, WRONG_KEY, body],
      [`no API key, ${what}`, method, path, NO_KEY, body],
    ]),
  )("%s: 401", async (_, method, path, headers, body) => {
    const refusal = await expectRefusal(await send(method, path, headers, body), 401, "UNAUTHORIZED");
    expect(refusal.details.context).toEqual({});
  });

  const adminMalformed: [string, string, string][] = [
    ["a cluster id that is not one", "POST", "/admin/clusters/NOT%20AN%20ID/token"],
    ["a query not matching the schema", "POST", "/admin/clusters/prod/token?rotate=perhaps"],
    ["an audit query not matching the schema", "GET", "/audit?limit=lots"],
  ];
  test.each(
    adminMalformed.flatMap(([what, method, path]) => [
      [`a client key on an admin route, ${what}`, method, path, { "x-api-key": CLIENT_KEY }],
      [`a wrong admin key, ${what}`, method, path, WRONG_KEY],
    ]),
  )("%s: 401", async (_, method, path, headers) => {
    await expectRefusal(await send(method, path, headers), 401, "UNAUTHORIZED");
  });

  test("with the right credentials the same requests are still told what is wrong", async () => {
    const executor = executorHeaders("prod", token);
    await expectRefusal(
      await send("POST", "/executor/results", executor, { command_id: 42 }),
      400,
      "VALIDATION_ERROR",
    );
    await expectRefusal(
      await server.client("/debug/session", { method: "POST", body: "][" }),
      400,
      "INVALID_BODY",
    );
    await expectRefusal(await server.admin("/audit?limit=lots"), 400, "VALIDATION_ERROR");
  });
});

/**
 * POSTs `prefix`, `fillerBytes` of filler and `suffix` as a chunked body (no Content-Length), over a
 * raw socket so the framing is exactly that, and reads the answer.
 */
function sendChunked(
  path: string,
  headers: Record<string, string>,
  prefix: string,
  fillerBytes: number,
  suffix: string,
): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let received = "";
    // The server may answer and close before it has read everything sent: a write error then is expected.
    socket.on("error", (error) => {
      if (!received) reject(error);
    });
    socket.on("data", (data) => {
      received += data.toString("latin1");
      const end = received.indexOf("\r\n\r\n");
      if (end === -1) return;
      const head = received.slice(0, end);
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? Number.NaN);
      if (received.length - end - 4 < length) return;
      socket.destroy();
      resolve({ status: Number(head.split(" ")[1]), body: received.slice(end + 4, end + 4 + length) });
    });
    socket.on("connect", () => {
      const lines = Object.entries({ ...headers, "content-type": "application/json" }).map(
        ([name, value]) => `${name}: ${value}\r\n`,
      );
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n${lines.join("")}\r\n`,
      );
      const chunk = (text: string) => socket.write(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
      chunk(prefix);
      const filler = "x".repeat(1024);
      for (let sent = 0; sent < fillerBytes; sent += filler.length) chunk(filler);
      chunk(suffix);
      socket.write("0\r\n\r\n");
    });
  });
}

describe("body limits hold on the bytes read, whatever the framing", () => {
  test("a chunked body over the limit is 413 and nothing is created", async () => {
    const answer = await sendChunked(
      "/debug/session",
      { "x-api-key": CLIENT_KEY },
      '{"cluster_id":"prod","user_id":"',
      3 * MAX_BODY_BYTES,
      '"}',
    );
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as ErrorBody).details).toEqual({
      code: "PAYLOAD_TOO_LARGE",
      context: { limit_bytes: MAX_BODY_BYTES },
    });
    expect(await server.store.countActiveSessions(Date.now())).toBe(0);
  });

  /** A batch of one result whose stdout is `stdoutBytes` of filler. */
  const results = (stdoutBytes: number) => {
    const result = makeResult({ command_id: crypto.randomUUID(), cluster_id: "prod" }, { stdout: "FILL" });
    const [prefix = "", suffix = ""] = JSON.stringify({ results: [result] }).split("FILL");
    return sendChunked(
      "/executor/results/batch",
      executorHeaders("prod", token),
      prefix,
      stdoutBytes,
      suffix,
    );
  };

  test("a chunked result batch gets the results' larger limit, and no more", async () => {
    const within = await results(4 * MAX_BODY_BYTES);
    expect(within.status).toBe(200);
    expect(JSON.parse(within.body)).toMatchObject({ outcomes: [{ code: "COMMAND_NOT_FOUND" }] });

    const over = await results(2 * MAX_RESULT_BYTES);
    expect(over.status).toBe(413);
    expect((JSON.parse(over.body) as ErrorBody).details.context).toEqual({ limit_bytes: MAX_RESULT_BYTES });
  });
});

describe("deeply nested JSON", () => {
  let roomy: TestServer;
  let roomyToken: string;
  beforeAll(async () => {
    roomy = await startTestServer();
    roomyToken = await roomy.registerCluster("prod");
  });
  afterAll(() => roomy.stop());

  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

  test.each([
    ["arrays on a client route", "/debug/session", { "x-api-key": CLIENT_KEY }, nested(200_000)],
    [
      "objects on a client route",
      "/debug/execute",
      { "x-api-key": CLIENT_KEY },
      `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`,
    ],
    [
      "arrays on MCP",
      "/mcp",
      { "x-api-key": CLIENT_KEY, accept: "application/json, text/event-stream" },
      nested(200_000),
    ],
    ["arrays in a result", "/executor/results", undefined, `{"command_id":${nested(200_000)}}`],
  ])("%s is 400, not a crash", async (_, path, headers, body) => {
    const response = await fetch(roomy.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...(headers ?? executorHeaders("prod", roomyToken)) },
      body,
    });
    const refusal = await expectRefusal(response, 400, "INVALID_BODY");
    expect(refusal.details.context).toEqual({ max_depth: 64 });
  });

  test("nesting up to the documented depth is read as usual", async () => {
    const response = await roomy.client("/debug/session", {
      method: "POST",
      body: JSON.stringify({ cluster_id: "prod", extra: JSON.parse(nested(62)) }),
    });
    // Read as JSON, then refused by the schema (no `extra` field), as any other unknown field.
    await expectRefusal(response, 400, "VALIDATION_ERROR");
  });

  test("more brackets than the depth, side by side or inside strings, are read as usual", async () => {
    const response = await roomy.client("/debug/session", {
      method: "POST",
      body: JSON.stringify({
        cluster_id: "prod",
        extra: [Array.from({ length: 100 }, () => []), "[{".repeat(100)],
      }),
    });
    await expectRefusal(response, 400, "VALIDATION_ERROR");
  });
});
