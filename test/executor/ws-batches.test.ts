/**
 * Results over the WebSocket to a server that takes batches (`connected` says `"batches": true`):
 * results handed over together leave in one `results` message and each is settled by its own
 * outcome; a refused one is posted by HTTP (which refuses it for good); and when the socket closes
 * before the answer, every unanswered result goes by HTTP instead, so none is lost. The executor
 * says it reads `commands` messages, and every command of one is received.
 */
import { afterAll, expect, test } from "bun:test";
import { stayConnected } from "../../executor/connection";
import { silentLog } from "../../executor/log";
import { ResultPoster } from "../../executor/results";
import type { Command, CommandResult } from "../../src/models";
import { makeCommand, makeResult } from "../support/fixtures";
import { fakeEndpoint } from "./fake-api";

/** What the fake server saw, and how it answers the next `results` message. */
const seen = {
  messages: [] as { type: string; count: number }[],
  http: [] as string[],
  batchesHeader: [] as (string | null)[],
  /** Close the socket instead of answering. */
  dropNext: false,
  refuse: new Set<string>(),
};
const commands: Command[] = [makeCommand("wsb"), makeCommand("wsb"), makeCommand("wsb")];

const fake = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch(request, server) {
    const { pathname } = new URL(request.url);
    if (pathname === "/executor/ws") {
      seen.batchesHeader.push(request.headers.get("x-executor-batches"));
      return server.upgrade(request) ? undefined : new Response("no", { status: 400 });
    }
    if (pathname === "/executor/results/batch") {
      return request.json().then((body) => {
        const { results } = body as { results: CommandResult[] };
        seen.http.push(...results.map((r) => r.command_id));
        return Response.json({
          outcomes: results.map((r) =>
            seen.refuse.has(r.command_id)
              ? { command_id: r.command_id, code: "COMMAND_NOT_FOUND", error: "no such command" }
              : { command_id: r.command_id, stored: true },
          ),
        });
      });
    }
    return new Response("not found", { status: 404 });
  },
  websocket: {
    open(ws) {
      ws.send(JSON.stringify({ type: "connected", batches: true }));
      if (seen.batchesHeader.length === 1) ws.send(JSON.stringify({ type: "commands", commands }));
    },
    message(ws, raw) {
      const message = JSON.parse(String(raw)) as { type: string; results: CommandResult[] };
      seen.messages.push({ type: message.type, count: message.results?.length ?? 0 });
      if (seen.dropNext) {
        seen.dropNext = false;
        return ws.close(1011, "gone");
      }
      ws.send(
        JSON.stringify({
          type: "outcomes",
          outcomes: message.results.map((r) =>
            seen.refuse.has(r.command_id)
              ? { command_id: r.command_id, code: "COMMAND_NOT_FOUND", error: "no such command" }
              : { command_id: r.command_id, stored: true },
          ),
        }),
      );
    },
  },
});
afterAll(() => fake.stop(true));

const stop = new AbortController();
afterAll(() => stop.abort());

const endpoint = fakeEndpoint(`http://127.0.0.1:${fake.port}`, "wsb", "ws-batches");
const results = new ResultPoster(endpoint, silentLog);
const received: Command[] = [];
let onConnected: () => void = () => {};
const connectedOnce = () => new Promise<void>((resolve) => (onConnected = resolve));
const firstConnection = connectedOnce();
void stayConnected({
  endpoint,
  choice: "ws",
  accept: (command) => received.push(command),
  results,
  log: silentLog,
  signal: stop.signal,
  onConnected: () => onConnected(),
});

const result = () => makeResult({ command_id: crypto.randomUUID(), cluster_id: "wsb" }, { stdout: "x\n" });
const deadline = () => Date.now() + 30_000;

test("results handed over together go in one message, each settled by its own outcome", async () => {
  await firstConnection;
  expect(seen.batchesHeader).toEqual(["1"]);
  const batch = Array.from({ length: 20 }, result);
  const refused = batch[3] as CommandResult;
  seen.refuse.add(refused.command_id);
  const delivered = await Promise.all(batch.map((r) => results.post(r, deadline())));
  expect(delivered.filter((ok) => !ok).length).toBe(1);
  expect(delivered[3]).toBe(false);
  expect(seen.messages).toEqual([{ type: "results", count: 20 }]);
  // The refused one was tried by HTTP too, where it was refused for good.
  expect(seen.http).toEqual([refused.command_id]);
});

test("results unanswered when the socket closes go by HTTP", async () => {
  seen.messages.length = 0;
  seen.http.length = 0;
  seen.dropNext = true;
  const reconnected = connectedOnce();
  const batch = Array.from({ length: 5 }, result);
  const delivered = await Promise.all(batch.map((r) => results.post(r, deadline())));
  expect(delivered).toEqual([true, true, true, true, true]);
  expect(seen.messages).toEqual([{ type: "results", count: 5 }]);
  expect(seen.http.sort()).toEqual(batch.map((r) => r.command_id).sort());
  await reconnected;
});

test("every command of a commands message is received", () => {
  // The fake sent the first connection three commands in one message.
  expect(received.map((c) => c.command_id)).toEqual(commands.map((c) => c.command_id));
});
