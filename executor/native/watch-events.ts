/**
 * Owns reading a watch as it comes: the API server sends one JSON event a line (the gate may start
 * the stream with an empty line, which is skipped). Reading stops when the stream ends or the
 * follow's `stop` aborts.
 */

/** Each JSON line of a watch's body, until it ends or `stop` aborts. */
export async function* watchEvents(
  body: ReadableStream<Uint8Array>,
  stop: AbortSignal,
): AsyncGenerator<unknown> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  stop.addEventListener("abort", cancel, { once: true });
  const decoder = new TextDecoder();
  let pending = "";
  try {
    while (!stop.aborted) {
      const { done, value } = await reader.read();
      if (done) return;
      let text = pending + decoder.decode(value, { stream: true });
      for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n")) {
        const line = text.slice(0, end).trim();
        text = text.slice(end + 1);
        if (line !== "") yield JSON.parse(line);
      }
      pending = text;
    }
  } finally {
    stop.removeEventListener("abort", cancel);
  }
}
