/**
 * WebSocket transport: GET /executor/ws upgraded, carrying the same messages both ways: the server
 * sends `connected`, `command`, `keepalive` and `closing`; the executor sends `result` and gets an
 * `ack`. Results go over the socket while it is open, with HTTP as the fallback.
 */
import type { Command, CommandResult } from "../../src/models";
import { READ_IDLE_MS } from "./sse";
import { ConnectError, executorHeaders, type ResultChannel, type TransportContext } from "./types";

const ACK_TIMEOUT_MS = 10_000;

type ServerMessage =
  | { type: "connected" }
  | { type: "command"; command: Command }
  | { type: "keepalive" }
  | { type: "closing"; reason: string }
  | { type: "ack"; command_id: string; stored: boolean }
  | { type: "error"; command_id?: string; code: string; error: string };

export function wsTransport({ endpoint, accept, connected, signal }: TransportContext): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = `${endpoint.apiUrl.replace(/^http/, "ws")}/executor/ws`;
    // Bun's WebSocket takes request headers and TLS options, so the token and the trusted CAs are the
    // same as on every other route.
    const socket = new WebSocket(url, { headers: executorHeaders(endpoint), tls: endpoint.tls });
    const acks = new Map<string, (ok: boolean) => void>();
    let opened = false;
    let timer = setTimeout(() => socket.close(4000, "read idle"), READ_IDLE_MS);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => socket.close(4000, "read idle"), READ_IDLE_MS);
    };
    const channel: ResultChannel = {
      sendResult(result: CommandResult) {
        if (socket.readyState !== WebSocket.OPEN) return Promise.resolve(false);
        return new Promise<boolean>((done) => {
          const ackTimer = setTimeout(() => {
            acks.delete(result.command_id);
            done(false);
          }, ACK_TIMEOUT_MS);
          acks.set(result.command_id, (ok) => {
            clearTimeout(ackTimer);
            done(ok);
          });
          socket.send(JSON.stringify({ type: "result", result }));
        });
      },
    };
    const onAbort = () => socket.close(1000, "executor stopping");
    signal.addEventListener("abort", onAbort, { once: true });

    socket.addEventListener("open", () => {
      opened = true;
    });
    socket.addEventListener("message", (event) => {
      touch();
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (message.type === "connected") connected(channel);
      else if (message.type === "command") accept(message.command);
      else if (message.type === "ack") acks.get(message.command_id)?.(true);
      else if (message.type === "error" && message.command_id) acks.get(message.command_id)?.(false);
    });
    socket.addEventListener("close", (event) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      for (const ack of acks.values()) ack(false);
      if (!opened && !signal.aborted)
        reject(new ConnectError(`WebSocket refused (close ${event.code})`, null));
      else resolve();
    });
    socket.addEventListener("error", () => {
      // "close" follows every "error" and settles the promise.
    });
  });
}
