/**
 * Owns redacting output that leaves as it arrives (a streaming caller's chunks), with the same rules
 * as the final text. Only whole lines leave, and never the last one seen: it is redacted again with
 * the lines after it, so a `name: DB_PASSWORD` line and the `value: …` line under it are always
 * judged together. A private key's block is held back until its END line (or the end of output),
 * as its rule matches across lines.
 */
import type { Redactor } from "./compile";
import { redactText } from "./text";

const KEY_BEGIN = /-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY/;
const KEY_END = /-----END[A-Z0-9 ]{0,40} PRIVATE KEY/;

export class ChunkRedactor {
  /** Output not yet sent: at least the last line seen, and a key block still open. */
  private held = "";

  constructor(
    private readonly redactor: Redactor,
    private readonly send: (text: string) => void,
  ) {}

  push(text: string): void {
    this.held += text;
    const lastBreak = this.held.lastIndexOf("\n");
    if (lastBreak < 0) return;
    // Keep the last whole line (and what follows it) for the next round.
    const keepFrom = this.held.lastIndexOf("\n", lastBreak - 1) + 1;
    let cut = keepFrom;
    const begin = this.held.search(KEY_BEGIN);
    if (begin >= 0 && begin < cut && !KEY_END.test(this.held.slice(begin))) {
      cut = this.held.lastIndexOf("\n", begin) + 1;
    }
    if (cut === 0) return;
    // Redacted with the held line after it, so a pair split at `cut` is seen whole.
    const redacted = redactText(this.redactor, this.held);
    const tail = redactText(this.redactor, this.held.slice(cut));
    if (redacted.endsWith(tail)) {
      this.emit(redacted.slice(0, redacted.length - tail.length));
      this.held = this.held.slice(cut);
    }
  }

  /** At the end of output: whatever is held, redacted. */
  finish(): void {
    this.emit(redactText(this.redactor, this.held));
    this.held = "";
  }

  private emit(text: string): void {
    if (text !== "") this.send(text);
  }
}
