/**
 * splitCommandLine's direct split of plain lines against shell-quote, the parser every other line
 * goes through, as the oracle: generated lines (runs of spaces, a leading `kubectl`, now and then a
 * character a shell treats specially) split the same as shell-quote splits them, or are refused
 * where it reads an operator or a comment; and a line with quotes still has them honoured.
 */
import { describe, expect, test } from "bun:test";
import { parse } from "shell-quote";
import { CommandLineError, splitCommandLine } from "../../src/client/command-line";

/** A small deterministic generator (mulberry32), so a failure names a line that can be rerun. */
function generator(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % below) as number;
  };
}

const PLAIN = "abcxyzABCXYZ0189_.,:/=@%+-";
/** Characters a shell may read specially: a line holding one must not be split directly. */
const SPECIAL = "\"'\\$*?#|&;<>(){}[]~!^\t\n`";
const WORDS = ["get", "pods", "-n", "shop", "-o", "wide", "--tail=50", "deploy/api", "-l", "app=web,tier=1"];

/**
 * What a shell makes of a line, by shell-quote ($VAR kept literal, a glob kept as written), with the
 * leading `kubectl` dropped; null where it reads an operator, a comment or a substitution.
 */
function oracle(line: string): { command_type: string; args: string[] } | null {
  if (/`|\$\(/.test(line)) return null;
  const words: string[] = [];
  for (const entry of parse(line, (name) => `$${name}`)) {
    if (typeof entry === "string") words.push(entry);
    else if ("op" in entry && entry.op === "glob") words.push(entry.pattern);
    else return null;
  }
  if (words[0] === "kubectl") words.shift();
  const [command_type, ...args] = words;
  return command_type ? { command_type, args } : null;
}

describe("splitCommandLine", () => {
  test("splits 3,000 generated lines exactly as shell-quote does, refusing what it reads as operators", () => {
    const next = generator(12);
    const character = () => (next(25) === 0 ? SPECIAL[next(SPECIAL.length)] : PLAIN[next(PLAIN.length)]);
    let plain = 0;
    for (let i = 0; i < 3_000; i++) {
      const words = Array.from({ length: 1 + next(6) }, () =>
        next(2) === 0
          ? (WORDS[next(WORDS.length)] as string)
          : Array.from({ length: 1 + next(8) }, character).join(""),
      );
      if (next(4) === 0) words.unshift("kubectl");
      const line = words.map((word) => `${" ".repeat(next(3))}${word}`).join(" ");
      if (![...line].some((c) => SPECIAL.includes(c))) plain += 1;
      const expected = oracle(line);
      if (expected === null) expect(() => splitCommandLine(line)).toThrow(CommandLineError);
      else expect({ line, split: splitCommandLine(line) }).toEqual({ line, split: expected });
    }
    // Both kinds were generated in numbers: the direct split and the shell's.
    expect(plain).toBeGreaterThan(1_000);
    expect(plain).toBeLessThan(2_800);
  });

  test("a line with any other character goes through the shell's rules", () => {
    expect(splitCommandLine("get pods -l 'app in (a, b)'")).toEqual({
      command_type: "get",
      args: ["pods", "-l", "app in (a, b)"],
    });
    expect(splitCommandLine("logs\tapi  -n\tshop")).toEqual({
      command_type: "logs",
      args: ["api", "-n", "shop"],
    });
    expect(splitCommandLine('get pods -o jsonpath="{.items[*].metadata.name}"').args).toEqual([
      "pods",
      "-o",
      "jsonpath={.items[*].metadata.name}",
    ]);
    for (const line of [
      "get pods | grep api",
      "get pods; rm -rf /",
      "get pods > out",
      "get $(whoami)",
      "get pods # x",
    ])
      expect(() => splitCommandLine(line)).toThrow(CommandLineError);
  });

  test("an empty line, or only kubectl, is refused", () => {
    for (const line of ["", "   ", "kubectl", " kubectl  "])
      expect(() => splitCommandLine(line)).toThrow(CommandLineError);
  });
});
