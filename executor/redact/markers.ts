/**
 * Owns finding the markers a text already holds, so that no rule matches one again and the result
 * counts each once: `[REDACTED:<rule>]` as written, and the same marker base64-encoded whole, which
 * is how a Secret's data carries it (encoded-values.ts) and how `-o yaml` or `-o json` prints it. An
 * encoded one counts only when the whole base64 token decodes to exactly one marker.
 */

/** One marker in a text: where it is, what is there, and the rule it names. */
export interface FoundMarker {
  index: number;
  text: string;
  rule: string;
}

const PLAIN = /\[REDACTED:([a-z0-9-]{1,40})\]/g;
/** Every marker's base64 starts so: `[REDACTED:` is 10 bytes, and the 13th character holds the colon. */
const ENCODED_START = "W1JFREFDVEVEO";
const ENCODED = /(?<![A-Za-z0-9+/])W1JFREFDVEVEO[A-Za-z0-9+/]{3,60}={0,2}(?![A-Za-z0-9+/=])/g;
const WHOLE = /^\[REDACTED:([a-z0-9-]{1,40})\]$/;

/** Whether `text` may hold a marker: most outputs do not, and this is asked of every one. */
export function mayHoldMarker(text: string): boolean {
  return text.includes("[REDACTED:") || text.includes(ENCODED_START);
}

/** The markers in `text`, plain and encoded, in the order they appear. */
export function findMarkers(text: string): FoundMarker[] {
  const found: FoundMarker[] = [];
  if (text.includes("[REDACTED:")) {
    for (const match of text.matchAll(PLAIN)) {
      found.push({ index: match.index, text: match[0], rule: match[1] as string });
    }
  }
  if (text.includes(ENCODED_START)) {
    for (const match of text.matchAll(ENCODED)) {
      const rule = WHOLE.exec(Buffer.from(match[0], "base64").toString("latin1"))?.[1];
      if (rule !== undefined) found.push({ index: match.index, text: match[0], rule });
    }
    found.sort((a, b) => a.index - b.index);
  }
  return found;
}
