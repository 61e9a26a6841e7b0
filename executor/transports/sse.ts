/**
 * SSE transport: one long GET /executor/stream. A read-idle timer (reset by every byte, keepalive
 * comments included) ends a connection that went silent behind a proxy, so it is redialled.
 * Events of kinds this version does not know are skipped without a word: a newer server may send more.
 * A server whose `connected` says `"chunks": true` takes streamed output by POST /executor/chunks and
 * sends `cancel` events (a streaming caller went away).
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { readJson } from "./inbound";
import { connectionHeaders, refusal, type TransportContext } from "./types";

export const READ_IDLE_MS = 40_000;

export async function sseTransport({
  endpoint,
  receive,
  skip,
  cancel,
  connected,
  signal,
  readIdleMs = READ_IDLE_MS,
}: TransportContext): Promise<void> {
  const idle = new AbortController();
  const response = await fetch(`${endpoint.apiUrl}/executor/stream`, {
    headers: { ...connectionHeaders(endpoint), accept: "text/event-stream" },
    tls: endpoint.tls,
    signal: AbortSignal.any([signal, idle.signal]),
  });
  if (response.status !== 200 || !response.body) throw await refusal(response);

  let timer = setTimeout(() => idle.abort(), readIdleMs);
  const watchdog = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), readIdleMs);
      controller.enqueue(chunk);
    },
  });
  const events = response.body
    .pipeThrough(watchdog)
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream());
  try {
    for await (const event of events) {
      if (event.event === "connected") connected(undefined, saysChunks(event.data));
      else if (event.event === "cancel") {
        const id = (readJson(event.data)?.value as { command_id?: unknown } | undefined)?.command_id;
        if (typeof id === "string") cancel(id);
      } else if (event.event === "command") {
        const json = readJson(event.data);
        if (json) receive(json.value);
        else skip("a command event whose data is not JSON");
      } else if (event.event === "closing") return;
    }
  } catch (error) {
    if (signal.aborted) return;
    if (idle.signal.aborted) throw new Error(`no data for ${readIdleMs / 1000} s: the connection is dead`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the server's `connected` data says it takes streamed output. */
function saysChunks(data: string): boolean {
  return (readJson(data)?.value as { chunks?: unknown } | undefined)?.chunks === true;
}
