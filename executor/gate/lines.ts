/**
 * Owns rewriting a stream of JSON lines (a watch: one event a line) line by line as it arrives,
 * never buffered whole: the namespace filter and redaction both work on watch events this way.
 */

/** A stream that passes on `edit(line)` for each non-empty line, or nothing when it is undefined. */
export function mapLines(
  edit: (line: string) => string | undefined,
): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  const emit = (line: string, controller: TransformStreamDefaultController<Uint8Array>) => {
    if (line.trim() === "") return;
    const kept = edit(line);
    if (kept !== undefined) controller.enqueue(encoder.encode(`${kept}\n`));
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf("\n");
      while (newline !== -1) {
        emit(pending.slice(0, newline), controller);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
      }
    },
    flush(controller) {
      emit(pending + decoder.decode(), controller);
    },
  });
}
