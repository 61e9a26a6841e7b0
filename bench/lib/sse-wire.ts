/**
 * One simulated executor's command stream at the wire: GET /executor/stream written by hand on a raw
 * TCP socket (Bun.connect), the chunked response and its Server-Sent Events parsed in place. A few
 * hundred bytes of state per connection instead of a fetch, a ReadableStream and two transform
 * streams, so one process holds tens of thousands. The socket is bound to a chosen loopback source
 * address: each source address has its own ephemeral port range, so 50,000 connections to one
 * 127.0.0.1:port fit without touching the system's settings.
 */
import type { Socket } from "bun";
import type { Command } from "../../src/models";

export interface WireTarget {
  hostname: string;
  port: number;
  /** The loopback address this end binds (127.0.0.2, 127.0.0.3…). */
  localAddress: string;
}

export interface WireHandlers {
  /** The server's `connected` event arrived: the stream is up. */
  connected(): void;
  command(command: Command): void;
  /** The stream is gone (server closed, connection refused, or a non-200 answer), for whatever reason. */
  ended(reason: string): void;
}

const CRLF2 = Buffer.from("\r\n\r\n");
const SIZE_LINE = -1;
const AFTER_CHUNK = -2;

/** Parse state of one response: its head, then chunk-size lines and chunk bytes, then SSE text. */
interface Wire {
  pending: Buffer;
  head: boolean;
  /** Bytes left in the current chunk, or SIZE_LINE / AFTER_CHUNK (its trailing CRLF). */
  chunkLeft: number;
  events: string;
  handlers: WireHandlers;
  done: boolean;
}

/**
 * Opens the stream; resolves once the TCP connection is up (not yet the `connected` event) and
 * rejects when it is refused (then `ended` is never called), so a caller can try the next address
 * the way a load balancer would.
 */
export async function openWireStream(
  target: WireTarget,
  clusterId: string,
  token: string,
  handlers: WireHandlers,
): Promise<Socket<Wire>> {
  const state: Wire = {
    pending: Buffer.alloc(0),
    head: true,
    chunkLeft: SIZE_LINE,
    events: "",
    handlers,
    done: false,
  };
  const finish = (wire: Wire, reason: string) => {
    if (wire.done) return;
    wire.done = true;
    wire.handlers.ended(reason);
  };
  const socket = await Bun.connect<Wire>({
    hostname: target.hostname,
    port: target.port,
    // Bun.connect binds the source address like node:net's `localAddress` (not in its typings yet).
    ...({ localAddress: target.localAddress } as object),
    data: state,
    socket: {
      data(s, bytes) {
        if (!feed(s.data, bytes)) s.end();
      },
      close(s) {
        finish(s.data, "closed");
      },
      error(s, error) {
        finish(s.data, error.message);
      },
    },
  });
  socket.write(
    `GET /executor/stream HTTP/1.1\r\nhost: ${target.hostname}:${target.port}\r\n` +
      `authorization: Bearer ${token}\r\nx-cluster-id: ${clusterId}\r\nx-executor-version: bench-wire\r\n` +
      "accept: text/event-stream\r\n\r\n",
  );
  return socket;
}

/** Takes bytes off the wire; false when the answer is not a stream this client understands. */
function feed(wire: Wire, bytes: Buffer): boolean {
  wire.pending = wire.pending.length === 0 ? bytes : Buffer.concat([wire.pending, bytes]);
  if (wire.head) {
    const end = wire.pending.indexOf(CRLF2);
    if (end < 0) return true;
    const head = wire.pending.subarray(0, end).toString("latin1");
    wire.pending = wire.pending.subarray(end + 4);
    wire.head = false;
    if (!head.startsWith("HTTP/1.1 200")) {
      wire.done = true;
      wire.handlers.ended(head.split("\r\n")[0] ?? "no status line");
      return false;
    }
    if (!/\r\ntransfer-encoding: chunked/i.test(head)) {
      wire.done = true;
      wire.handlers.ended("stream not chunked");
      return false;
    }
  }
  // Chunked framing: "SIZE\r\n" BYTES "\r\n", repeated; a zero size ends the body.
  for (;;) {
    if (wire.chunkLeft === AFTER_CHUNK) {
      if (wire.pending.length < 2) return true;
      wire.pending = wire.pending.subarray(2);
      wire.chunkLeft = SIZE_LINE;
    }
    if (wire.chunkLeft === SIZE_LINE) {
      const eol = wire.pending.indexOf("\r\n");
      if (eol < 0) return true;
      const size = Number.parseInt(wire.pending.subarray(0, eol).toString("latin1"), 16);
      wire.pending = wire.pending.subarray(eol + 2);
      if (size === 0) return false;
      wire.chunkLeft = size;
    }
    if (wire.pending.length === 0) return true;
    const take = Math.min(wire.chunkLeft, wire.pending.length);
    wire.events += wire.pending.subarray(0, take).toString("utf8");
    wire.pending = wire.pending.subarray(take);
    wire.chunkLeft -= take;
    if (wire.chunkLeft > 0) return true;
    wire.chunkLeft = AFTER_CHUNK;
    dispatchEvents(wire);
  }
}

function dispatchEvents(wire: Wire): void {
  let end = wire.events.indexOf("\n\n");
  while (end >= 0) {
    const block = wire.events.slice(0, end);
    wire.events = wire.events.slice(end + 2);
    end = wire.events.indexOf("\n\n");
    let event = "message";
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data = line.slice(6);
    }
    if (event === "connected") wire.handlers.connected();
    else if (event === "command") wire.handlers.command(JSON.parse(data) as Command);
  }
}
