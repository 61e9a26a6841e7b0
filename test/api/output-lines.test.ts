/**
 * The preview an answer carries instead of a large stream: for any text, its lines are the whole
 * stream's first and last lines as splitting it would give them, around one note, and the counts agree.
 */
import { expect, test } from "bun:test";
import fc from "fast-check";
import { countLines, PREVIEW_LINES, splitLines, summarize } from "../../src/modules/output/lines";

const texts = fc
  .tuple(
    fc.array(
      fc.string({ unit: "grapheme-ascii", maxLength: 12 }).map((s) => s.replace(/\n/g, "")),
      { minLength: 0, maxLength: 120, size: "max" },
    ),
    fc.boolean(),
  )
  .map(([lines, newline]) => lines.join("\n") + (newline && lines.length > 0 ? "\n" : ""));

test("a preview is the stream's first and last lines, whatever the text", () => {
  fc.assert(
    fc.property(texts, (text) => {
      const lines = splitLines(text);
      expect(countLines(text)).toBe(lines.length);
      const { text: shown, summary } = summarize(text, 0, "h");
      if (text === "") return expect(summary.preview).toBe(false);
      const previewed = shown.split("\n").slice(0, -1);
      const head = lines.slice(0, PREVIEW_LINES);
      const tail =
        lines.length > 2 * PREVIEW_LINES ? lines.slice(-PREVIEW_LINES) : lines.slice(PREVIEW_LINES);
      expect(previewed).toEqual([...head, expect.stringContaining("output handle h"), ...tail]);
      expect(summary).toEqual({ bytes: Buffer.byteLength(text), lines: lines.length, preview: true });
    }),
  );
});
