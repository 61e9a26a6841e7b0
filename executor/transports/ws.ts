/**
 * WebSocket transport: GET /executor/ws upgraded, carrying the same messages both ways: the server
 * sends `connected`, `command`, `keepalive` and `closing`; the executor sends `result` and gets an
 * `ack`. Results go over the socket while it is open, with HTTP as the fallback. A message over the
 * server's limit makes it close the socket with 1009; the largest result unanswered then is reported
 * as too large, so it and any as large go by HTTP (results.ts).
 *
 * A server whose `connected` says `"batches": true` takes `results` messages: results handed over in
 * one event-loop turn, and those that gather while MAX_BATCHES_IN_FLIGHT messages are unanswered, go
 * in one message (at most MAX_BATCH results and about MAX_BATCH_OUTPUT of output) answered by one
 * `outcomes`. A lone result still leaves in the turn it was handed over. The executor says, with
 * `X-Executor-Batches: 1`, that it reads `commands` messages, so a claim of several commands comes
 * in one message.
 *
 * A server whose `connected` says `"chunks": true` takes `chunk` messages (a streamed command's output
 * as it arrives, unanswered) and sends `cancel` when that command's caller went away.
 */
import { Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { CommandResult } from "../../src/models";
import { readJson } from "./inbound";
import { READ_IDLE_MS } from "./sse";
import {
  type ChannelDelivery,
  ConnectError,
  connectionHeaders,
  type ResultChannel,
  type TransportContext,
} from "./types";

const ACK_TIMEOUT_MS = 10_000;
const MAX_BATCHES_IN_FLIGHT = 2;
const MAX_BATCH = 64;
/** stdout + stderr of one batch message: well under the server's message limit (4 MiB by default). */
const MAX_BATCH_OUTPUT = 1024 * 1024;
/** The close code for a message larger than the peer takes (RFC 6455, 7.4.1). */
const MESSAGE_TOO_BIG = 1009;

/** A result sent and not yet answered: its message's size, and how to settle it. */
interface Unanswered {
  bytes: number;
  settle(delivery: ChannelDelivery): void;
}

/**
 * What the executor reads of any message: its type, and the command or the command id it is about.
 * A command is checked on its own (inbound.ts); a message of a type this version does not know is
 * skipped without a word, as a newer server may send more.
 */
const serverMessage = TypeCompiler.Compile(
  t.Object({
    type: t.String(),
    command: t.Optional(t.Unknown()),
    commands: t.Optional(t.Array(t.Unknown())),
    command_id: t.Optional(t.String()),
    batches: t.Optional(t.Boolean()),
    chunks: t.Optional(t.Boolean()),
    outcomes: t.Optional(t.Array(t.Object({ command_id: t.String(), stored: t.Optional(t.Boolean()) }))),
  }),
);

/** A result waiting for the next batch message. */
interface Outgoing {
  result: CommandResult;
  output: number;
  settle(delivery: ChannelDelivery): void;
}

export function wsTransport({
  endpoint,
  receive,
  skip,
  cancel,
  connected,
  signal,
  readIdleMs = READ_IDLE_MS,
}: TransportContext): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = `${endpoint.apiUrl.replace(/^http/, "ws")}/executor/ws`;
    // Bun's WebSocket takes request headers and TLS options, so the token and the trusted CAs are the
    // same as on every other route.
    // X-Executor-Batches: this executor reads `commands` messages (several commands in one).
    const socket = new WebSocket(url, {
      headers: { ...connectionHeaders(endpoint), "x-executor-batches": "1" },
      tls: endpoint.tls,
    });
    const unanswered = new Map<string, Unanswered>();
    let opened = false;
    let timer = setTimeout(() => socket.close(4000, "read idle"), readIdleMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => socket.close(4000, "read idle"), readIdleMs);
    };
    /** Set by the server's `connected`: results may go many to a message. */
    let batches = false;
    /** Set by the server's `connected`: it passes `chunk` messages on to streaming callers. */
    let chunks = false;
    const outgoing: Outgoing[] = [];
    let batchesInFlight = 0;
    let flushScheduled = false;
    const scheduleFlush = () => {
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(flush);
    };
    /** Sends what waits, as batch messages, while fewer than MAX_BATCHES_IN_FLIGHT are unanswered. */
    const flush = () => {
      flushScheduled = false;
      while (outgoing.length > 0 && batchesInFlight < MAX_BATCHES_IN_FLIGHT) {
        if (socket.readyState !== WebSocket.OPEN) {
          for (const item of outgoing.splice(0)) item.settle("failed");
          return;
        }
        let count = 0;
        let output = 0;
        for (; count < Math.min(MAX_BATCH, outgoing.length); count++) {
          output += (outgoing[count] as Outgoing).output;
          if (count > 0 && output > MAX_BATCH_OUTPUT) break;
        }
        sendBatch(outgoing.splice(0, count));
      }
    };
    const sendBatch = (items: Outgoing[]) => {
      const message = JSON.stringify({ type: "results", results: items.map((item) => item.result) });
      let left = items.length;
      batchesInFlight++;
      const entries = items.map((item) => {
        let done = false;
        const entry: Unanswered = {
          // A batch the server refuses as too large makes its largest result the one too large.
          bytes: item.output,
          settle(delivery) {
            if (done) return;
            done = true;
            if (unanswered.get(item.result.command_id) === entry) unanswered.delete(item.result.command_id);
            item.settle(delivery);
            if (--left > 0) return;
            clearTimeout(ackTimer);
            batchesInFlight--;
            scheduleFlush();
            closeIfAnswered();
          },
        };
        unanswered.set(item.result.command_id, entry);
        return entry;
      });
      const ackTimer = setTimeout(() => {
        for (const entry of entries) entry.settle("failed");
      }, ACK_TIMEOUT_MS);
      socket.send(message);
    };
    const channel: ResultChannel = {
      sendChunk(chunk) {
        // Unanswered and unretried: a chunk lost with the socket is still in the result.
        if (chunks && socket.readyState === WebSocket.OPEN)
          socket.send(JSON.stringify({ type: "chunk", ...chunk }));
      },
      sendResult(result: CommandResult) {
        if (socket.readyState !== WebSocket.OPEN) return Promise.resolve("failed");
        if (batches) {
          return new Promise<ChannelDelivery>((settle) => {
            outgoing.push({ result, output: result.stdout.length + result.stderr.length, settle });
            scheduleFlush();
          });
        }
        return new Promise<ChannelDelivery>((done) => {
          const message = JSON.stringify({ type: "result", result });
          const settle = (delivery: ChannelDelivery) => {
            clearTimeout(ackTimer);
            unanswered.delete(result.command_id);
            done(delivery);
            closeIfAnswered();
          };
          const ackTimer = setTimeout(() => settle("failed"), ACK_TIMEOUT_MS);
          unanswered.set(result.command_id, { bytes: Buffer.byteLength(message), settle });
          socket.send(message);
        });
      },
    };
    /**
     * Stopping closes the socket once the results sent on it are answered (each is, or fails at its
     * ack timeout): closed before, a result the server stored would go again by HTTP, to a server
     * that may be stopping too, and keep the executor's stop waiting on it until its deadline.
     */
    let stopping = false;
    const closeIfAnswered = () => {
      if (stopping && unanswered.size === 0 && outgoing.length === 0) socket.close(1000, "executor stopping");
    };
    const onAbort = () => {
      stopping = true;
      closeIfAnswered();
    };
    signal.addEventListener("abort", onAbort, { once: true });

    socket.addEventListener("open", () => {
      opened = true;
    });
    socket.addEventListener("message", (event) => {
      touch();
      if (typeof event.data !== "string") return skip("a binary frame (the API sends JSON text)");
      const json = readJson(event.data);
      if (!json || !serverMessage.Check(json.value)) {
        return skip("a message that is not a JSON object with a string type and command_id");
      }
      const message = json.value;
      if (message.type === "connected") {
        batches = message.batches === true;
        chunks = message.chunks === true;
        connected(channel);
      } else if (message.type === "command") receive(message.command);
      else if (message.type === "commands") for (const command of message.commands ?? []) receive(command);
      else if (message.type === "outcomes") {
        for (const outcome of message.outcomes ?? []) {
          unanswered.get(outcome.command_id)?.settle(outcome.stored === undefined ? "failed" : "acked");
        }
      } else if (message.command_id === undefined) return;
      else if (message.type === "ack") unanswered.get(message.command_id)?.settle("acked");
      else if (message.type === "error") unanswered.get(message.command_id)?.settle("failed");
      else if (message.type === "cancel") cancel(message.command_id);
    });
    socket.addEventListener("close", (event) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      // The message the server refused was one of those unanswered, so the largest of them is too large.
      const tooLarge = event.code === MESSAGE_TOO_BIG ? largest(unanswered) : undefined;
      for (const entry of [...unanswered.values()]) entry.settle(entry === tooLarge ? "too-large" : "failed");
      for (const item of outgoing.splice(0)) item.settle("failed");
      if (!opened && !signal.aborted)
        reject(new ConnectError(`WebSocket refused (close ${event.code})`, null));
      else resolve();
    });
    socket.addEventListener("error", () => {
      // "close" follows every "error" and settles the promise.
    });
  });
}

function largest(unanswered: Map<string, Unanswered>): Unanswered | undefined {
  let found: Unanswered | undefined;
  for (const entry of unanswered.values()) if (!found || entry.bytes > found.bytes) found = entry;
  return found;
}
