/**
 * The executor's connection loop (executor/connection.ts, executor/backoff.ts) against a real fake
 * API on 127.0.0.1 that refuses what a test says: `auto` falls back from SSE to WebSocket to
 * long-poll; failed dials back off exponentially, capped, with jitter, and a connection resets the
 * backoff; a silent stream is ended by the read-idle timeout and redialled; the token file is read
 * afresh for a real reconnect. Time and jitter come in only through the loop's own parameters.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "bun";
import { Backoff } from "../../executor/backoff";
import { resolveExecutorConfig } from "../../executor/config";
import { stayConnected, type TransportChoice } from "../../executor/connection";
import { startExecutor } from "../../executor/executor";
import type { ExecutorLog } from "../../executor/log";
import { ResultPoster } from "../../executor/results";
import type { Endpoint, TransportName } from "../../executor/transports/types";
import type { CommandResult } from "../../src/models";
import { makeCommand } from "../support/fixtures";

const dir = mkdtempSync(join(tmpdir(), "kubently-reconnect-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const encoder = new TextEncoder();

/** Resolves once `ready()` holds, checked whenever `poke` is called; rejects after `withinMs`. */
function until(ready: () => boolean, hooks: Set<() => void>, what: () => string, withinMs = 10_000) {
  if (ready()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!ready()) return;
      hooks.delete(check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      hooks.delete(check);
      reject(new Error(`not within ${withinMs} ms: ${what()}`));
    }, withinMs);
    hooks.add(check);
  });
}
const poke = (hooks: Set<() => void>) => {
  for (const hook of [...hooks]) hook();
};

interface Seen {
  path: string;
  authorization: string | null;
}

/** A request the fake answers; returning undefined after `upgrade` accepts the WebSocket. */
type Route = (request: Request, server: Server<undefined>) => Response | Promise<Response> | undefined;

interface Fake {
  url: string;
  seen: Seen[];
  route: Route;
  /** Close codes of WebSockets as the server saw them end. */
  wsCloses: number[];
  results: CommandResult[];
  /** Resolves once `count` results have been posted (bounded). */
  posted(count: number): Promise<void>;
  stop(): void;
}

const fakes: Fake[] = [];
/** Responses held open (long-polls, silent streams) until the test's fakes stop. */
const held = new Set<() => void>();
afterEach(() => {
  for (const fake of fakes.splice(0)) fake.stop();
});

function startFake(route: Route): Fake {
  const seen: Seen[] = [];
  const wsCloses: number[] = [];
  const results: CommandResult[] = [];
  const resultHooks = new Set<() => void>();
  const fake: Fake = {
    url: "",
    seen,
    route,
    wsCloses,
    results,
    posted: (count) =>
      until(
        () => results.length >= count,
        resultHooks,
        () => `${results.length} of ${count} results`,
      ),
    stop() {
      for (const release of held) release();
      server.stop(true);
    },
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request, bun) {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith("/executor/results")) {
        const body = (await request.json()) as { results?: CommandResult[] } & CommandResult;
        const posted = body.results ?? [body];
        results.push(...posted);
        poke(resultHooks);
        return pathname.endsWith("/batch")
          ? Response.json({ outcomes: posted.map(({ command_id }) => ({ command_id, stored: true })) })
          : Response.json({ stored: true });
      }
      seen.push({ path: pathname, authorization: request.headers.get("authorization") });
      return fake.route(request, bun);
    },
    websocket: {
      open(ws) {
        ws.send(JSON.stringify({ type: "connected" }));
      },
      message() {},
      close(_ws, code) {
        wsCloses.push(code);
      },
    },
  });
  fake.url = `http://127.0.0.1:${server.port}`;
  fakes.push(fake);
  return fake;
}
/** A response held open until the fake stops: a long-poll with nothing to say, or a silent stream. */
function heldOpen(body?: string): Response {
  let release = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (body) controller.enqueue(encoder.encode(body));
      release = () => {
        held.delete(release);
        try {
          controller.close();
        } catch {
          // the client already went away
        }
      };
      held.add(release);
    },
    cancel() {
      held.delete(release);
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream" } });
}

const refuse = (status: number) => () => Response.json({ error: `refused with ${status}` }, { status });

interface LogLine {
  msg: string;
  fields: Record<string, unknown>;
}

/** A log that records every line and lets a test wait for the n-th line with a message. */
function recordingLog() {
  const lines: LogLine[] = [];
  const waiters: { msg: string; count: number; resolve(): void }[] = [];
  const log: ExecutorLog = (_level, msg, fields) => {
    lines.push({ msg, fields: fields ?? {} });
    for (const waiter of waiters.filter((w) => count(w.msg) >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const count = (msg: string) => lines.filter((line) => line.msg === msg).length;
  const nth = (msg: string, n: number, withinMs = 10_000): Promise<void> =>
    count(msg) >= n
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const timer = setTimeout(
            () =>
              reject(
                new Error(
                  `${count(msg)} of ${n} "${msg}" lines within ${withinMs} ms: ${JSON.stringify(lines)}`,
                ),
              ),
            withinMs,
          );
          waiters.push({
            msg,
            count: n,
            resolve() {
              clearTimeout(timer);
              resolve();
            },
          });
        });
  return { log, lines, nth, of: (msg: string) => lines.filter((line) => line.msg === msg) };
}

/** Runs the connection loop itself against `apiUrl`, with a test's backoff and read-idle timeout. */
function connect(
  apiUrl: string,
  choice: TransportChoice,
  log: ExecutorLog,
  tuning: { backoff?: Backoff; readIdleMs?: number } = {},
) {
  const endpoint: Endpoint = {
    apiUrl,
    clusterId: "reconnect",
    version: "test",
    executorId: crypto.randomUUID(),
    token: () => "kbt_test",
    tls: undefined,
  };
  const stopping = new AbortController();
  const connections: TransportName[] = [];
  const hooks = new Set<() => void>();
  const loop = stayConnected({
    endpoint,
    choice,
    accept: () => {},
    results: new ResultPoster(endpoint, log),
    log,
    signal: stopping.signal,
    onConnected: (transport) => {
      connections.push(transport);
      poke(hooks);
    },
    ...tuning,
  });
  return {
    connections,
    /** Resolves once `count` connections have been established (bounded). */
    established: (count: number) =>
      until(
        () => connections.length >= count,
        hooks,
        () => `${connections.length} of ${count} connections`,
      ),
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

describe("the backoff", () => {
  test("grows from its base, doubling, up to its cap, and a reset starts it over", () => {
    const backoff = new Backoff(500, 4_000, () => 1);
    expect([1, 2, 3, 4, 5].map(() => backoff.next())).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });

  test("is jittered over the whole range below its ceiling, and never below 100 ms", () => {
    const draws = [0.5, 0.25, 0.9, 0];
    const backoff = new Backoff(1_000, 30_000, () => draws.shift() ?? 0);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([500, 500, 3_600, 100]);
  });

  test("with the real random source, the delays differ and stay within their ceilings", () => {
    const delays = Array.from({ length: 40 }, () => {
      const backoff = new Backoff(500, 30_000);
      backoff.next();
      return backoff.next(); // the second delay: within [100, 1000]
    });
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(1_000);
    }
    expect(new Set(delays).size).toBeGreaterThan(20);
  });
});

describe("the connection loop", () => {
  test("auto falls back from a refused WebSocket and a refused SSE to long-poll, and works there", async () => {
    const command = makeCommand("reconnect", { args: ["pods", "-n", "shop"] });
    let firstPoll = true;
    const fake = startFake((request) => {
      const { pathname } = new URL(request.url);
      if (pathname === "/executor/stream") return refuse(404)();
      if (pathname === "/executor/ws") return refuse(426)(); // no upgrade: a proxy that drops it
      if (pathname === "/executor/commands") {
        if (!firstPoll) return heldOpen();
        firstPoll = false;
        return Response.json({ commands: [command] });
      }
      return refuse(404)();
    });
    const env = {
      PATH: process.env.PATH,
      KUBENTLY_API_URL: fake.url,
      KUBENTLY_CLUSTER_ID: "reconnect",
      KUBENTLY_TOKEN: "kbt_fallback",
      KUBENTLY_TRANSPORT: "auto",
      KUBENTLY_RUNNER: "echo",
      KUBENTLY_CACHE_DIR: join(dir, "cache-fallback"),
    };
    const { log, of } = recordingLog();
    const executor = await startExecutor(resolveExecutorConfig({}, env), { log, env });
    try {
      expect(await executor.connected()).toBe("poll");
      expect(fake.seen.slice(0, 3).map((s) => s.path)).toEqual([
        "/executor/ws",
        "/executor/stream",
        "/executor/commands",
      ]);
      expect(of("connected").map((line) => line.fields.transport)).toEqual(["poll"]);
      // The command that came on the fallback transport was run and answered.
      await fake.posted(1);
      expect(fake.results.map((r) => [r.command_id, r.stdout])).toEqual([
        [command.command_id, "get pods -n shop\n"],
      ]);
    } finally {
      await executor.stop(1_000);
    }
  });

  test("failed dials wait out a growing, capped backoff; a connection resets it", async () => {
    let accept = false;
    const fake = startFake((request) => {
      if (accept && new URL(request.url).pathname === "/executor/stream") {
        accept = false; // once: the stream ends at once, and the redial is refused again
        return new Response("event: connected\ndata: {}\n\n", {
          headers: { "content-type": "text/event-stream" },
        });
      }
      return refuse(503)();
    });
    const { log, nth, of } = recordingLog();
    const loop = connect(fake.url, "sse", log, { backoff: new Backoff(100, 400, () => 1) });
    try {
      await nth("connection failed; retrying", 4);
      accept = true;
      await nth("connection closed; reconnecting", 1);
      await nth("connection failed; retrying", 5);
    } finally {
      await loop.stop();
    }
    expect(loop.connections).toEqual(["sse"]);
    const failed = of("connection failed; retrying").map((line) => line.fields.retry_in_ms);
    expect(failed.slice(0, 4)).toEqual([100, 200, 400, 400]);
    // Reset by the connection: the first wait after it is the base again, and it grows from there.
    expect(of("connection closed; reconnecting")[0]?.fields.retry_in_ms).toBe(100);
    expect(failed[4]).toBe(200);
    expect(of("connection failed; retrying")[0]?.fields.status).toBe(503);
  });

  test("a silent SSE stream is ended by the read-idle timeout and redialled", async () => {
    const fake = startFake(() => heldOpen("event: connected\ndata: {}\n\n"));
    const { log, nth, of } = recordingLog();
    const loop = connect(fake.url, "sse", log, { readIdleMs: 300, backoff: new Backoff(100, 100, () => 1) });
    try {
      await nth("connection failed; retrying", 1);
      await loop.established(2);
    } finally {
      await loop.stop();
    }
    expect(of("connection failed; retrying")[0]?.fields.error).toBe(
      "no data for 0.3 s: the connection is dead",
    );
    expect(fake.seen.slice(0, 2).map((s) => s.path)).toEqual(["/executor/stream", "/executor/stream"]);
    expect(loop.connections.slice(0, 2)).toEqual(["sse", "sse"]);
  });

  test("a silent WebSocket is closed by the read-idle timeout and redialled", async () => {
    const fake = startFake((request, server) =>
      server.upgrade(request) ? undefined : new Response("no upgrade", { status: 400 }),
    );
    const { log, nth } = recordingLog();
    const loop = connect(fake.url, "ws", log, { readIdleMs: 300, backoff: new Backoff(100, 100, () => 1) });
    try {
      await nth("connection closed; reconnecting", 1);
      await loop.established(2);
    } finally {
      await loop.stop();
    }
    expect(fake.wsCloses[0]).toBe(4000); // "read idle", closed by the executor
    expect(loop.connections.slice(0, 2)).toEqual(["ws", "ws"]);
  });

  test("a real reconnect reads the token file afresh", async () => {
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, "kbt_before_rotation\n");
    let closeFirst = () => {};
    const fake = startFake((request) => {
      if (new URL(request.url).pathname !== "/executor/stream") return refuse(404)();
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode("event: connected\ndata: {}\n\n"));
          closeFirst = () => controller.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    });
    const env = {
      PATH: process.env.PATH,
      KUBENTLY_API_URL: fake.url,
      KUBENTLY_CLUSTER_ID: "reconnect",
      KUBENTLY_TOKEN_FILE: tokenFile,
      KUBENTLY_TRANSPORT: "sse",
      KUBENTLY_RUNNER: "echo",
      KUBENTLY_CACHE_DIR: join(dir, "cache-token"),
    };
    const { log } = recordingLog();
    const executor = await startExecutor(resolveExecutorConfig({}, env), { log, env });
    try {
      await executor.connected();
      writeFileSync(tokenFile, "kbt_after_rotation\n");
      const again = executor.connected();
      closeFirst();
      await again;
      expect(fake.seen.map((s) => s.authorization)).toEqual([
        "Bearer kbt_before_rotation",
        "Bearer kbt_after_rotation",
      ]);
    } finally {
      await executor.stop(1_000);
    }
  });
});
