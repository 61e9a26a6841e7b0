/**
 * What a stream over the cap keeps, for any way its bytes arrive in chunks: the first `cap` bytes, or
 * for `logs` the newest whole lines within `cap`; and how many bytes the result says were dropped.
 */
import { expect, test } from "bun:test";
import fc from "fast-check";
import { CappedStream, capText, keptFor } from "../../executor/output-cap";

/** Text of lines, cut into chunks at arbitrary byte positions, as a pipe delivers it. */
const chunked = fc
  .tuple(
    fc.array(fc.string({ unit: "grapheme-ascii", maxLength: 40 }), { maxLength: 60 }),
    fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
  )
  .map(([lines, sizes]) => {
    const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(""));
    const chunks: Uint8Array[] = [];
    for (let at = 0, i = 0; at < bytes.byteLength; i++) {
      const size = sizes[i % sizes.length] as number;
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    return { text: bytes.toString(), chunks };
  });

const run = (chunks: Uint8Array[], cap: number, keep: "head" | "tail") => {
  const stream = new CappedStream(cap, keep);
  for (const chunk of chunks) stream.push(chunk);
  return stream.finish();
};

test("head keeps the first cap bytes, and says how many more there were", () => {
  fc.assert(
    fc.property(chunked, fc.integer({ min: 1, max: 400 }), ({ text, chunks }, cap) => {
      const kept = run(chunks, cap, "head");
      expect(kept.text).toBe(text.slice(0, cap));
      const over = Buffer.byteLength(text) - cap;
      expect(kept.cut).toEqual(over > 0 ? { kept: "head", dropped_bytes: over } : undefined);
    }),
  );
});

test("tail keeps the newest whole lines within the cap, and what it dropped adds up", () => {
  fc.assert(
    fc.property(chunked, fc.integer({ min: 1, max: 400 }), ({ text, chunks }, cap) => {
      const kept = run(chunks, cap, "tail");
      expect(text.endsWith(kept.text)).toBe(true);
      expect(Buffer.byteLength(kept.text)).toBeLessThanOrEqual(cap);
      if (Buffer.byteLength(text) <= cap) {
        expect(kept).toEqual({ text });
        return;
      }
      expect(kept.cut?.kept).toBe("tail");
      expect(kept.cut?.dropped_bytes).toBe(Buffer.byteLength(text) - Buffer.byteLength(kept.text));
      // Starts on a line: what was dropped ends with a newline, unless one line alone outgrew the cap.
      const dropped = text.slice(0, text.length - kept.text.length);
      const last = text.slice(text.lastIndexOf("\n", text.length - 2) + 1);
      if (Buffer.byteLength(last) <= cap) expect(dropped.endsWith("\n")).toBe(true);
    }),
  );
});

test("whole texts (native reads) are kept as a stream of them would be; logs keep the tail", () => {
  const text = Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join("");
  expect(capText(text, 30, keptFor("logs"))).toEqual(run([Buffer.from(text)], 30, "tail"));
  expect(capText(text, 30, keptFor("get"))).toEqual({
    text: text.slice(0, 30),
    cut: { kept: "head", dropped_bytes: text.length - 30 },
  });
  expect(capText(text, 30, "tail").text).toBe("line 97\nline 98\nline 99\n");
});
