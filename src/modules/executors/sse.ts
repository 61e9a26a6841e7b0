/**
 * Server-Sent Events framing of a delivery: a `connected` event, one `command` event per command
 * (its id is the SSE event id), keepalive comments, a `closing` event before the server ends it, and
 * whatever `extra` sends while the stream is open (`cancel` events).
 */
import type { Command } from "../../models";
import type { DeliveryChannel } from "./service";

const encoder = new TextEncoder();

export function sseStream(
  hello: Record<string, unknown>,
  run: (channel: DeliveryChannel, signal: AbortSignal) => Promise<void>,
  /** Starts more events of the stream's own; the function it returns stops them. */
  extra: (send: (event: string, data: unknown) => void) => () => void = () => () => {},
): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  let open = true;
  let stopExtra = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const channel: DeliveryChannel = {
        send(commands: Command[]) {
          write(
            commands
              .map((c) => `id: ${c.command_id}\nevent: command\ndata: ${JSON.stringify(c)}\n\n`)
              .join(""),
          );
        },
        keepalive: () => write(": keepalive\n\n"),
        close: (reason) => write(`event: closing\ndata: ${JSON.stringify({ reason })}\n\n`),
      };
      write(`retry: 2000\nevent: connected\ndata: ${JSON.stringify(hello)}\n\n`);
      stopExtra = extra((event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      void run(channel, abort.signal).finally(() => {
        stopExtra();
        if (!open) return;
        open = false;
        controller.close();
      });
    },
    cancel() {
      open = false;
      stopExtra();
      abort.abort();
    },
  });
}
