/** The oracle's test of a followed output: an interleaving of its reads' lines, each read's in order. */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { isInterleaving, linesOf } from "./interleaving";

/** Reads of a few short lines, often the same line in several reads (health checks look alike). */
const reads = fc.array(
  fc.array(fc.constantFrom("GET /healthz 200\n", "ready\n", "a\n", "b\n", "tick\n"), { maxLength: 6 }),
  {
    minLength: 1,
    maxLength: 4,
  },
);

/** The reads merged in an order `picks` chooses, each read's lines kept in order. */
function merged(lines: string[][], picks: number[]): string {
  const left = lines.map((read) => [...read]);
  let out = "";
  for (let pick = 0; left.some((read) => read.length > 0); pick++) {
    const open = left.filter((read) => read.length > 0);
    out += (open[(picks[pick % Math.max(1, picks.length)] ?? 0) % open.length] as string[]).shift();
  }
  return out;
}

describe("isInterleaving", () => {
  test("every merge of the reads is one", () => {
    fc.assert(
      fc.property(reads, fc.array(fc.nat(), { minLength: 1 }), (lines, picks) =>
        isInterleaving(merged(lines, picks), lines),
      ),
    );
  });

  test("a line missing, added or out of its read's order is not", () => {
    expect(isInterleaving("a\nb\n", [["a\n"], ["b\n", "c\n"]])).toBe(false);
    expect(isInterleaving("a\nb\nc\nd\n", [["a\n"], ["b\n", "c\n"]])).toBe(false);
    expect(isInterleaving("c\na\nb\n", [["a\n"], ["b\n", "c\n"]])).toBe(false);
    expect(isInterleaving("b\na\nc\n", [["a\n"], ["b\n", "c\n"]])).toBe(true);
  });

  test("a read's last line may lack its newline", () => {
    expect(linesOf("one\ntwo")).toEqual(["one\n", "two"]);
    expect(isInterleaving("one\ntwo", [linesOf("one\ntwo")])).toBe(true);
  });
});
