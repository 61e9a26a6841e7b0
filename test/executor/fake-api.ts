/**
 * A stand-in for the Kubently API that says exactly what a test scripts, for testing the executor
 * against a server that misbehaves: a real Bun.serve on 127.0.0.1 with the executor routes (SSE
 * stream, WebSocket, long-poll, results). Frames queued with `send` go out verbatim on the live
 * connection, or on the next one if there is none; a `close` frame ends the connection there.
 * Results are recorded, whichever way they arrive, and acknowledged; `arrivedBy` says which way.
 */
import type { ServerWebSocket } from "bun";
import { stayConnected } from "../../executor/connection";
import { silentLog } from "../../executor/log";
import { ResultPoster } from "../../executor/results";
import type { Endpoint } from "../../executor/transports/types";
import type { CommandResult } from "../../src/models";

/**
 * On SSE, `text` is raw bytes of the stream; on the WebSocket, one message (`binary` sends bytes);
 * on long-poll, the whole body of one answer to a poll.
 */
export type Frame = { text: string } | { binary: Uint8Array } | { close: true };

export interface FakeApi {
  url: string;
  send(frames: Frame[]): void;
  /** Resolves with the result posted for `commandId`, at once if it is already in. */
  result(commandId: string, withinMs?: number): Promise<CommandResult>;
  /** Every result posted, by command id. */
  results: ReadonlyMap<string, CommandResult>;
  /** How each result arrived, by command id. */
  arrivedBy: ReadonlyMap<string, "ws" | "http">;
  /** WebSockets opened so far. */
  readonly socketsOpened: number;
  /** The X-Executor-Policy header of each connecting request (stream, socket, poll), in order. */
  policyHeaders: readonly (string | null)[];
  stop(): void;
}

interface Live {
  /** Writes one frame; false when the frame ended the connection. */
  write(frame: Frame): boolean;
}

const encoder = new TextEncoder();
const CONNECTING = new Set(["/executor/stream", "/executor/ws", "/executor/commands"]);

/** An executor's endpoint at `url` (a fake API's), as cluster `clusterId`, with a token the fakes take. */
export function fakeEndpoint(url: string, clusterId: string, executorId: string): Endpoint {
  return { apiUrl: url, clusterId, version: "test", executorId, token: () => "kbt_x", tls: undefined };
}

/**
 * A ResultPoster whose connection loop holds a WebSocket to the fake API at `url` until `signal`:
 * `connected()` resolves at the next connection, `loop` when the loop has ended.
 */
export function connectedPoster(url: string, clusterId: string, executorId: string, signal: AbortSignal) {
  const endpoint = fakeEndpoint(url, clusterId, executorId);
  const results = new ResultPoster(endpoint, silentLog);
  const waiters: (() => void)[] = [];
  const connected = () => new Promise<void>((resolve) => waiters.push(resolve));
  const first = connected();
  const loop = stayConnected({
    endpoint,
    choice: "ws",
    accept: () => {},
    results,
    log: silentLog,
    signal,
    onConnected: () => {
      for (const waiter of waiters.splice(0)) waiter();
    },
  });
  return { results, first, connected, loop };
}

export interface FakeApiOptions {
  /** Bun's limit on a WebSocket message (its default, 16 MiB, otherwise); over it the socket is closed, 1009. */
  maxMessageBytes?: number;
  /** Each WebSocket result's ack waits for this (a server still storing it). */
  ackAfter?: () => Promise<void>;
}

export function startFakeApi({ maxMessageBytes, ackAfter }: FakeApiOptions = {}): FakeApi {
  const outbox: Frame[] = [];
  const results = new Map<string, CommandResult>();
  const arrivedBy = new Map<string, "ws" | "http">();
  let socketsOpened = 0;
  const policyHeaders: (string | null)[] = [];
  const waiters = new Map<string, (result: CommandResult) => void>();
  let live: Live | null = null;
  /** A long-poll being held until a frame is queued. */
  let heldPoll: ((frame: Frame | null) => void) | null = null;

  const flush = () => {
    if (heldPoll && outbox.length > 0) {
      const answer = heldPoll;
      heldPoll = null;
      answer(outbox.shift() ?? null);
    }
    while (live && outbox.length > 0) {
      const frame = outbox.shift() as Frame;
      if (!live.write(frame)) live = null;
    }
  };
  const record = (result: CommandResult, by: "ws" | "http") => {
    results.set(result.command_id, result);
    arrivedBy.set(result.command_id, by);
    waiters.get(result.command_id)?.(result);
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request, bun) {
      const { pathname, searchParams } = new URL(request.url);
      if (CONNECTING.has(pathname)) policyHeaders.push(request.headers.get("x-executor-policy"));
      if (pathname === "/executor/stream") return sseStream();
      if (pathname === "/executor/ws") {
        return bun.upgrade(request) ? undefined : new Response("upgrade failed", { status: 400 });
      }
      if (pathname === "/executor/commands") {
        const frame = await pollFrame(Number(searchParams.get("wait") ?? 0), request.signal);
        return new Response(frame && "text" in frame ? frame.text : '{"commands":[]}');
      }
      if (pathname === "/executor/results/batch") {
        const { results: posted } = (await request.json()) as { results: CommandResult[] };
        for (const result of posted) record(result, "http");
        return Response.json({ outcomes: posted.map(({ command_id }) => ({ command_id, stored: true })) });
      }
      if (pathname === "/executor/results") {
        record((await request.json()) as CommandResult, "http");
        return Response.json({ stored: true });
      }
      return new Response("not found", { status: 404 });
    },
    websocket: {
      maxPayloadLength: maxMessageBytes,
      open(ws) {
        socketsOpened++;
        ws.send(JSON.stringify({ type: "connected" }));
        live = wsLive(ws);
        flush();
      },
      message(ws, message) {
        const { result } = JSON.parse(String(message)) as { result: CommandResult };
        record(result, "ws");
        const ack = () =>
          ws.send(JSON.stringify({ type: "ack", command_id: result.command_id, stored: true }));
        if (ackAfter) void ackAfter().then(ack);
        else ack();
      },
      close(ws) {
        if (live === sockets.get(ws)) live = null;
      },
    },
  });

  function sseStream(): Response {
    let connection: Live;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode("event: connected\ndata: {}\n\n"));
        connection = {
          write(frame) {
            if ("close" in frame) {
              controller.close();
              return false;
            }
            controller.enqueue("text" in frame ? encoder.encode(frame.text) : frame.binary);
            return true;
          },
        };
        live = connection;
        flush();
      },
      cancel() {
        if (live === connection) live = null;
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  }

  const sockets = new WeakMap<ServerWebSocket<unknown>, Live>();
  function wsLive(ws: ServerWebSocket<unknown>): Live {
    const connection: Live = {
      write(frame) {
        if ("close" in frame) {
          ws.close();
          return false;
        }
        ws.send("text" in frame ? frame.text : frame.binary);
        return true;
      },
    };
    sockets.set(ws, connection);
    return connection;
  }

  /** The next queued frame, waiting for one up to `waitSeconds` (the executor's own bound). */
  function pollFrame(waitSeconds: number, signal: AbortSignal): Promise<Frame | null> {
    const queued = outbox.shift();
    if (queued || waitSeconds === 0) return Promise.resolve(queued ?? null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => answer(null), waitSeconds * 1000);
      const answer = (frame: Frame | null) => {
        clearTimeout(timer);
        if (heldPoll === answer) heldPoll = null;
        resolve(frame);
      };
      heldPoll = answer;
      signal.addEventListener("abort", () => answer(null));
    });
  }

  return {
    url: `http://127.0.0.1:${server.port}`,
    results,
    arrivedBy,
    policyHeaders,
    get socketsOpened() {
      return socketsOpened;
    },
    send(frames) {
      outbox.push(...frames);
      flush();
    },
    result(commandId, withinMs = 10_000) {
      const known = results.get(commandId);
      if (known) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(commandId);
          reject(new Error(`no result for ${commandId} within ${withinMs} ms`));
        }, withinMs);
        waiters.set(commandId, (result) => {
          clearTimeout(timer);
          waiters.delete(commandId);
          resolve(result);
        });
      });
    },
    stop: () => void server.stop(true),
  };
}
