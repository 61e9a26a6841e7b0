/**
 * Result delivery against a real server, through a relay that records each post: a result goes out
 * at once when idle and results gather into batches under load; each result keeps its own fate
 * (retried, refused, cut to fit); a server without the batch route still gets every result.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { type ExecutorLog, silentLog } from "../../executor/log";
import { ResultPoster } from "../../executor/results";
import type { CommandResult } from "../../src/models";
import { makeResult } from "../support/fixtures";
import { type ResultsRelay, startResultsRelay } from "../support/results-relay";
import { json, startTestServer, type TestServer } from "../support/server";

const RESULT_LIMIT = 64 * 1024;
let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 4 * 1024, maxResultBytes: RESULT_LIMIT });
  token = await server.registerCluster("big");
  await server.registerCluster("other");
});
afterAll(() => server.stop());

const relays: ResultsRelay[] = [];
const relay = (options?: Parameters<typeof startResultsRelay>[1]) => {
  const started = startResultsRelay(server.url, options);
  relays.push(started);
  return started;
};
afterEach(async () => {
  await Promise.all(relays.splice(0).map((started) => started.stop()));
});

/** Queues a command (asynchronously: the operation id is the command id) and returns its id. */
async function queued(clusterId = "big"): Promise<string> {
  const response = await server.client(
    "/debug/execute/async",
    json({ cluster_id: clusterId, command_type: "get", args: ["pods"] }),
  );
  return ((await response.json()) as { operation_id: string }).operation_id;
}
const queuedMany = (count: number) => Promise.all(Array.from({ length: count }, () => queued()));

const poster = (apiUrl = server.url, log: ExecutorLog = silentLog) =>
  new ResultPoster(
    { apiUrl, clusterId: "big", version: "t", executorId: "e1", token: () => token, tls: undefined },
    log,
  );

const resultFor = (commandId: string, stdout = "ok", clusterId = "big"): CommandResult =>
  makeResult({ command_id: commandId, cluster_id: clusterId }, { stdout });

const soon = () => Date.now() + 20_000;
const stored = (commandId: string) => server.store.getResult(commandId);
const sizes = (through: ResultsRelay) => through.posts.map((post) => post.commandIds.length);

test("idle, a result goes out at once and alone; under load, results gather, at most 64 to a post", async () => {
  const through = relay({ hold: true });
  const ids = await queuedMany(102);
  const sink = poster(through.url);
  const delivered = ids.map((id) => sink.post(resultFor(id, `out ${id}`), soon()));
  // Two posts under way, each with the one result that was queued when it left; the rest wait.
  await through.arrived(2);
  expect(sizes(through)).toEqual([1, 1]);
  through.release();
  expect(await Promise.all(delivered)).toEqual(ids.map(() => true));
  expect(sizes(through).sort((a, b) => a - b)).toEqual([1, 1, 36, 64]);
  expect(through.posts.every((post) => post.route === "batch" && post.status === 200)).toBe(true);
  for (const id of ids) expect((await stored(id))?.stdout).toBe(`out ${id}`);
});

test("a post carries about 1 MiB of output at most, and a larger result alone", async () => {
  // The relay answers for the server here: these outputs are over the test server's result limit.
  const through = relay({
    hold: true,
    answer: (post) =>
      Response.json({ outcomes: post.commandIds.map((command_id) => ({ command_id, stored: true })) }),
  });
  const sink = poster(through.url);
  const ids: string[] = Array.from({ length: 6 }, () => crypto.randomUUID());
  const outputs = [
    "",
    "",
    "a".repeat(400_000),
    "b".repeat(400_000),
    "c".repeat(400_000),
    "d".repeat(700_000),
  ];
  // The last is over 1 MiB with its stderr, while neither stream is large enough to go in parts.
  const delivered = ids.map((id, index) =>
    sink.post({ ...resultFor(id, outputs[index]), stderr: index === 5 ? "e".repeat(700_000) : "" }, soon()),
  );
  await through.arrived(2);
  through.release();
  expect(await Promise.all(delivered)).toEqual(ids.map(() => true));
  const carried = through.posts.map((post) => post.commandIds.map((id) => ids.indexOf(id)));
  expect(carried.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([[0], [1], [2, 3], [4], [5]]);
});

test("a result the server refuses resolves false with a warning; the rest of its batch is stored", async () => {
  const through = relay({ hold: true });
  const warnings: Record<string, unknown>[] = [];
  const sink = poster(through.url, (level, msg, fields) => {
    if (level === "warn") warnings.push({ msg, ...fields });
  });
  const [first, second, last] = await queuedMany(3);
  const foreign = await queued("other");
  const unknown = crypto.randomUUID();
  const results = [
    resultFor(first as string),
    resultFor(second as string),
    resultFor(unknown),
    resultFor(foreign, "forged", "other"),
    resultFor(last as string),
  ];
  const delivered = results.map((result) => sink.post(result, soon()));
  await through.arrived(2);
  through.release();
  expect(await Promise.all(delivered)).toEqual([true, true, false, false, true]);
  expect(sizes(through)).toEqual([1, 1, 3]);
  expect(warnings).toEqual([
    { msg: "result refused by the API", command_id: unknown, code: "COMMAND_NOT_FOUND" },
    { msg: "result refused by the API", command_id: foreign, code: "WRONG_CLUSTER" },
  ]);
  expect(await stored(last as string)).not.toBeNull();
  expect(await stored(foreign)).toBeNull();
});

test("503, 429, 408 and an answer that is not the API's are retried with backoff until stored", async () => {
  const answers = [
    new Response("unavailable", { status: 503 }),
    new Response("slow down", { status: 429 }),
    new Response("timeout", { status: 408 }),
    new Response("<html>a proxy's page</html>", { status: 200 }),
  ];
  const through = relay({ answer: (_, index) => answers[index] });
  const id = await queued();
  expect(await poster(through.url).post(resultFor(id, "at last"), soon())).toBe(true);
  expect(through.posts.map((post) => post.status)).toEqual([503, 429, 408, 200, 200]);
  expect((await stored(id))?.stdout).toBe("at last");
});

test("a batch answer whose outcomes are not outcomes is retried too, never thrown", async () => {
  const answers = [Response.json({ outcomes: [5] }), Response.json({ outcomes: [{ command_id: 7 }] })];
  const through = relay({ answer: (_, index) => answers[index] });
  const id = await queued();
  expect(await poster(through.url).post(resultFor(id, "at last"), soon())).toBe(true);
  expect(through.posts.map((post) => post.status)).toEqual([200, 200, 200]);
  expect((await stored(id))?.stdout).toBe("at last");
});

test("a result that cannot get through before its command's deadline resolves false", async () => {
  const through = relay({ answer: () => new Response("unavailable", { status: 503 }) });
  const id = await queued();
  // How close to the deadline it gives up is measured in bench/scenarios/failures.ts.
  expect(await poster(through.url).post(resultFor(id), Date.now() + 1_000)).toBe(false);
  expect(through.posts.length).toBeGreaterThan(0);
  expect(through.posts.every((post) => post.status === 503)).toBe(true);
  expect(await stored(id)).toBeNull();
});

test("a batch over the server's result limit is split, and each part is stored whole", async () => {
  const through = relay({ hold: true });
  const ids = await queuedMany(8);
  // Six outputs of a quarter of the limit each: over it together, under it three at a time.
  const output = (id: string) => `${id} `.repeat(Math.floor(RESULT_LIMIT / 4 / 37));
  const sink = poster(through.url);
  const delivered = ids.map((id, index) =>
    sink.post(resultFor(id, index < 2 ? "small" : output(id)), soon()),
  );
  await through.arrived(2);
  through.release();
  expect(await Promise.all(delivered)).toEqual(ids.map(() => true));
  expect(through.posts.map((post) => [post.commandIds.length, post.status])).toEqual([
    [1, 200],
    [1, 200],
    [6, 413],
    [3, 200],
    [3, 200],
  ]);
  for (const id of ids.slice(2))
    expect(await stored(id)).toMatchObject({ truncated: false, stdout: output(id) });
});

test("a lone result over the server's limit arrives cut and flagged, not lost", async () => {
  const id = await queued();
  const stdout = "x".repeat(RESULT_LIMIT * 3);
  expect(await poster().post(resultFor(id, stdout), soon())).toBe(true);
  const result = (await stored(id)) as CommandResult;
  expect(result.truncated).toBe(true);
  expect(result.stdout.length).toBeGreaterThan(RESULT_LIMIT / 4);
  expect(result.stdout.length).toBeLessThan(RESULT_LIMIT);
  expect(stdout.startsWith(result.stdout)).toBe(true);
});

test("a result larger than ordinary request bodies but under the result limit is stored whole", async () => {
  const id = await queued();
  const stdout = "y".repeat(RESULT_LIMIT / 2);
  expect(await poster().post(resultFor(id, stdout), soon())).toBe(true);
  expect(await stored(id)).toMatchObject({ truncated: false, stdout });
});

test("a server without the batch route gets each result by POST /executor/results", async () => {
  const through = relay({
    answer: (post) =>
      post.route === "batch"
        ? Response.json(
            { error: "no such route", details: { code: "ROUTE_NOT_FOUND", context: {} } },
            { status: 404 },
          )
        : undefined,
  });
  const warnings: string[] = [];
  const sink = poster(through.url, (level, msg) => {
    if (level === "warn") warnings.push(msg);
  });
  const [first, ...rest] = await queuedMany(3);
  expect(await sink.post(resultFor(first as string, "first"), soon())).toBe(true);
  expect(await Promise.all(rest.map((id) => sink.post(resultFor(id, "later"), soon())))).toEqual([
    true,
    true,
  ]);
  expect(through.posts.map((post) => [post.route, post.status])).toEqual([
    ["batch", 404],
    ["single", 200],
    ["single", 200],
    ["single", 200],
  ]);
  expect(warnings).toEqual(["the API has no batch route; posting results one at a time"]);
  expect((await stored(first as string))?.stdout).toBe("first");
  for (const id of rest) expect((await stored(id))?.stdout).toBe("later");
});

test("results go over the WebSocket while it takes them; one it does not take goes by HTTP", async () => {
  const through = relay();
  const sink = poster(through.url);
  const [overSocket, overHttp] = await queuedMany(2);
  sink.useChannel({ sendResult: async (result) => (result.command_id === overSocket ? "acked" : "failed") });
  expect(await sink.post(resultFor(overSocket as string), soon())).toBe(true);
  expect(await sink.post(resultFor(overHttp as string), soon())).toBe(true);
  expect(through.posts.map((post) => post.commandIds)).toEqual([[overHttp as string]]);
});
