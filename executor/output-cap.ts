/**
 * Owns what a command's output keeps when a stream is larger than the policy's cap (maxOutputBytes,
 * per stream): the first bytes for most commands, and for `logs` the newest lines, since the end of
 * a log is what a reader needs first. Bytes are counted as they arrive, so kubectl's pipes are always
 * drained and memory stays bounded by the cap however much a command prints.
 */
import type { OutputCut, OutputKept } from "../src/models";

/** The kept text of one stream, and how it was cut (absent when nothing was dropped). */
export interface CappedText {
  text: string;
  cut?: OutputCut;
}

/** What `logs` keeps: its newest lines. Everything else keeps the start of its output. */
export const keptFor = (verb: string): OutputKept => (verb === "logs" ? "tail" : "head");

const NEWLINE = 0x0a;

/** Takes a stream's chunks as they come and keeps at most `cap` bytes of them, as `kept` says. */
export class CappedStream {
  private readonly chunks: Uint8Array[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(
    private readonly cap: number,
    private readonly keep: OutputKept,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.keep === "head") {
      const room = this.cap - this.kept;
      const part = chunk.byteLength > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
      this.dropped += chunk.byteLength - part.byteLength;
      if (part.byteLength > 0) {
        this.chunks.push(part);
        this.kept += part.byteLength;
      }
      return;
    }
    this.chunks.push(chunk);
    this.kept += chunk.byteLength;
    // Drop whole chunks from the front while the rest still fills the cap, then trim the first.
    while (this.kept > this.cap) {
      const first = this.chunks[0] as Uint8Array;
      const over = this.kept - this.cap;
      if (first.byteLength <= over) {
        this.chunks.shift();
        this.kept -= first.byteLength;
        this.dropped += first.byteLength;
      } else {
        this.chunks[0] = first.subarray(over);
        this.kept -= over;
        this.dropped += over;
      }
    }
  }

  finish(): CappedText {
    let bytes = Buffer.concat(this.chunks);
    let dropped = this.dropped;
    if (dropped > 0 && this.keep === "tail") {
      // Start on a whole line: a line cut at its start would read as a different line.
      const newline = bytes.indexOf(NEWLINE);
      if (newline >= 0 && newline < bytes.byteLength - 1) {
        dropped += newline + 1;
        bytes = bytes.subarray(newline + 1);
      }
    }
    const text = new TextDecoder().decode(bytes);
    return dropped > 0 ? { text, cut: { kept: this.keep, dropped_bytes: dropped } } : { text };
  }
}

/** A whole text (what native reads print) kept as a stream of it would be. */
export function capText(text: string, cap: number, keep: OutputKept): CappedText {
  const stream = new CappedStream(cap, keep);
  stream.push(Buffer.from(text));
  return stream.finish();
}
