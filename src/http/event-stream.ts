/**
 * Answers as Server-Sent Events: when a caller asked for them (its Accept header, parsed), and the
 * response that carries them, with a keepalive comment and the caller's going away told once. The
 * routes that stream (a command, a fleet of them) say what the events are.
 */

/** A comment line this often keeps proxies from closing a quiet stream, and finds a caller gone. */
const KEEPALIVE_MS = 15_000;

/** Whether the caller asked for Server-Sent Events: a media range of the Accept header, parsed. */
export function wantsEvents(accept: string | undefined): boolean {
  return (accept ?? "")
    .split(",")
    .some((range) => range.split(";")[0]?.trim().toLowerCase() === "text/event-stream");
}

export interface EventSink {
  /** Sends one event; nothing once the stream ended. */
  send(event: string, data: unknown): void;
  /** Ends the stream: the answer is complete. */
  close(): void;
}

/**
 * A response whose events `run` sends. `leave` is called once if the caller goes away before
 * `close`: whatever the stream was waiting for is no longer wanted.
 */
export function eventStream(
  signal: AbortSignal,
  correlationId: string,
  run: (sink: EventSink) => void,
  leave: () => void,
): Response {
  const encoder = new TextEncoder();
  let finished = false;
  let keepalive: ReturnType<typeof setInterval> | undefined;
  const end = () => {
    finished = true;
    clearInterval(keepalive);
    signal.removeEventListener("abort", gone);
  };
  const gone = () => {
    if (finished) return;
    end();
    leave();
  };
  signal.addEventListener("abort", gone, { once: true });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (!finished) controller.enqueue(encoder.encode(text));
      };
      keepalive = setInterval(() => write(": keepalive\n\n"), KEEPALIVE_MS);
      run({
        send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        close: () => {
          if (finished) return; // the caller left first: there is no one to answer
          end();
          controller.close();
        },
      });
    },
    cancel: gone,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      "x-correlation-id": correlationId,
    },
  });
}
