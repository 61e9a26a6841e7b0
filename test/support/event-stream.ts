/**
 * A caller of a route that answers as Server-Sent Events: posts, and reads the events as they come
 * (their data parsed as JSON), or goes away mid-stream.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { json } from "./server";

export interface StreamedEvent {
  event: string;
  data: Record<string, unknown>;
}

export async function postForEvents(
  fetchAs: (path: string, init?: RequestInit) => Promise<Response>,
  path: string,
  body: Record<string, unknown>,
) {
  const leaving = new AbortController();
  const response = await fetchAs(path, {
    ...json(body),
    headers: { accept: "text/event-stream" },
    signal: leaving.signal,
  });
  async function* events(): AsyncGenerator<StreamedEvent> {
    if (!response.body) throw new Error("no body");
    const parsed = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    for await (const { event, data } of parsed) yield { event: event ?? "message", data: JSON.parse(data) };
  }
  return { response, events: events(), leave: () => leaving.abort() };
}
