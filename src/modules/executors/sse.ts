/**
 * Server-Sent Events framing of a delivery: a `connected` event, one `command` event per command
 * (its id is the SSE event id), keepalive comments, and a `closing` event before the server ends it.
 */
import type { Command } from "../../models";
import type { DeliveryChannel } from "./service";

const encoder = new TextEncoder();

export function sseStream(
  hello: Record<string, unknown>,
  run: (channel: DeliveryChannel, signal: AbortSignal) => Promise<void>,
): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  let open = true;
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
      void run(channel, abort.signal).finally(() => {
        if (!open) return;
        open = false;
        controller.close();
      });
    },
    cancel() {
      open = false;
      abort.abort();
    },
  });
}
