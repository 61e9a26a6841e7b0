/**
 * POST /executor/results/batch over real HTTP: each result stored on its own with its own outcome, in
 * order, on every store backend; what refuses a whole batch (validation, credentials, size) stores none.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CommandResult, ErrorBody } from "../../src/models";
import { makeResult } from "../support/fixtures";
import { executorHeaders } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";

const { backends } = useStores("results");

/** Queues a command (asynchronously: the operation id is the command id) and returns its id. */
async function queued(server: TestServer, clusterId: string): Promise<string> {
  const response = await server.client(
    "/debug/execute/async",
    json({ cluster_id: clusterId, command_type: "get", args: ["pods"] }),
  );
  expect(response.status).toBe(202);
  return ((await response.json()) as { operation_id: string }).operation_id;
}

const resultFor = (commandId: string, clusterId: string, stdout: string): CommandResult =>
  makeResult({ command_id: commandId, cluster_id: clusterId }, { stdout });

const postBatch = (server: TestServer, headers: Record<string, string>, body: unknown, path = "") =>
  fetch(`${server.url}/executor/results/batch${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe.each(backends)("a batch on the %s store", (_, storeUrl) => {
  let server: TestServer;
  let prod: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer({ storeUrl: storeUrl() });
    prod = executorHeaders("prod", await server.registerCluster("prod"));
    await server.registerCluster("staging");
  });
  afterAll(() => server.stop());

  test("each result gets its own outcome, in the order posted, and a refused one refuses no other", async () => {
    const [first, foreign, last] = await Promise.all([
      queued(server, "prod"),
      queued(server, "staging"),
      queued(server, "prod"),
    ]);
    const unknown = crypto.randomUUID();
    const response = await postBatch(server, prod, {
      results: [
        resultFor(first, "prod", "first"),
        resultFor(unknown, "prod", "nobody asked"),
        resultFor(foreign, "staging", "forged"),
        resultFor(last, "prod", "last"),
      ],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      outcomes: [
        { command_id: first, stored: true },
        { command_id: unknown, code: "COMMAND_NOT_FOUND", error: expect.any(String) },
        { command_id: foreign, code: "WRONG_CLUSTER", error: expect.any(String) },
        { command_id: last, stored: true },
      ],
    });
    expect((await server.store.getResult(first))?.stdout).toBe("first");
    expect((await server.store.getResult(last))?.stdout).toBe("last");
    expect(await server.store.getResult(foreign)).toBeNull();

    const again = await postBatch(server, prod, {
      results: [resultFor(last, "prod", "second try"), resultFor(first, "prod", "second try")],
    });
    expect(await again.json()).toEqual({
      outcomes: [
        { command_id: last, stored: false },
        { command_id: first, stored: false },
      ],
    });
    expect((await server.store.getResult(first))?.stdout).toBe("first");
  });
});

describe("what refuses a whole batch", () => {
  const BODY_LIMIT = 4 * 1024;
  const RESULT_LIMIT = 256 * 1024;
  let server: TestServer;
  let prod: Record<string, string>;
  let staging: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer({ maxBodyBytes: BODY_LIMIT, maxResultBytes: RESULT_LIMIT });
    prod = executorHeaders("prod", await server.registerCluster("prod"));
    staging = executorHeaders("staging", await server.registerCluster("staging"));
  });
  afterAll(() => server.stop());

  const refusal = async (response: Response) => {
    const body = (await response.json()) as ErrorBody;
    expect(body.request_id).toBe(response.headers.get("x-request-id") ?? "");
    return { status: response.status, code: body.details.code, context: body.details.context };
  };

  test("a result that fails validation is 400 in the error format, and none of the batch is stored", async () => {
    const id = await queued(server, "prod");
    const invalid = { ...resultFor(crypto.randomUUID(), "prod", ""), status: "finished" };
    const response = await postBatch(server, prod, { results: [resultFor(id, "prod", "valid"), invalid] });
    expect(await refusal(response)).toMatchObject({
      status: 400,
      code: "VALIDATION_ERROR",
      context: { location: "body", issues: [expect.objectContaining({ path: "/results/1/status" })] },
    });
    const unknownField = { ...resultFor(id, "prod", "valid"), note: "not a result field" };
    expect(await refusal(await postBatch(server, prod, { results: [unknownField] }))).toMatchObject({
      status: 400,
      code: "VALIDATION_ERROR",
    });
    expect(await server.store.getResult(id)).toBeNull();
  });

  test("an empty batch and one over 256 results are 400", async () => {
    const one = resultFor(crypto.randomUUID(), "prod", "");
    for (const results of [[], Array.from({ length: 257 }, () => one)]) {
      expect(await refusal(await postBatch(server, prod, { results }))).toMatchObject({
        status: 400,
        code: "VALIDATION_ERROR",
      });
    }
  });

  test("without the cluster's token the batch is 401 and nothing is stored", async () => {
    const id = await queued(server, "prod");
    const body = { results: [resultFor(id, "prod", "anonymous")] };
    const { authorization: _, ...anonymous } = prod;
    for (const headers of [anonymous, { ...staging, "x-cluster-id": "prod" }]) {
      expect(await refusal(await postBatch(server, headers, body))).toMatchObject({
        status: 401,
        code: "UNAUTHORIZED",
      });
    }
    expect(await server.store.getResult(id)).toBeNull();
  });

  test("the batch route takes the results limit, by its exact path", async () => {
    const id = await queued(server, "prod");
    const body = { results: [resultFor(id, "prod", "z".repeat(BODY_LIMIT * 2))] };
    expect(await refusal(await postBatch(server, prod, body, "/more"))).toMatchObject({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      context: { limit_bytes: BODY_LIMIT },
    });
    const accepted = await postBatch(server, prod, body, "?from=test");
    expect(await accepted.json()).toEqual({ outcomes: [{ command_id: id, stored: true }] });

    const huge = { results: [resultFor(crypto.randomUUID(), "prod", "z".repeat(RESULT_LIMIT))] };
    expect(await refusal(await postBatch(server, prod, huge))).toMatchObject({
      status: 413,
      context: { limit_bytes: RESULT_LIMIT },
    });
  });
});
