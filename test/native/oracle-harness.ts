/**
 * The oracle native reads are held to: real kubectl, through the same cluster gate (the same policy,
 * so refused and filtered requests happen on both sides) and the same stand-in. `useOracle` starts
 * both for a test file; `compare` runs each line natively and through kubectl and requires identical
 * stdout, stderr and exit code for every line native reads answer, and says which fell back. Where
 * kubectl prints in Go's random map order (a ConfigMap's or Secret's keys, the reads of logs), its
 * output is first put in the order native reads print, one of kubectl's own (map-order.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type GateHarness, startGateHarness } from "../gate/harness";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import type { Scenario } from "../k8s/types";
import { inKeyOrder, inReadOrder, readBlocks } from "./map-order";

const AT_ONCE = 4;
/** How many times a line is run before its output must have matched one kubectl run. */
const ATTEMPTS = 3;

interface Printed {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

async function kubectl(gated: GateHarness, argv: string[]): Promise<Printed> {
  const { outcome } = await gated.run(argv);
  expect(outcome.timedOut).toBe(false);
  return { stdout: outcome.stdout, stderr: outcome.stderr, exitCode: outcome.exitCode };
}

/** How kubectl's output for `argv` is put in native reads' order, given their output. */
async function orderFor(
  gated: GateHarness,
  argv: string[],
  native: string,
): Promise<(stdout: string) => string> {
  if (argv[0] === "describe") return inKeyOrder;
  if (argv[0] !== "logs") return (stdout) => stdout;
  const prefixed = argv.some((arg) => arg === "--prefix" || arg === "--prefix=true");
  const sourced = [...argv.filter((arg) => !arg.startsWith("--prefix")), "--prefix"];
  const withSources = prefixed ? native : (await gated.native(sourced)).output?.stdout;
  const blocks = withSources === undefined ? [] : readBlocks(withSources, prefixed);
  return (stdout) => inReadOrder(stdout, blocks);
}

/**
 * Each line through kubectl, native reads, and kubectl again (ages and `--since` count seconds, so
 * one of the two kubectl runs is in the same second), four lines at a time. Output long enough to
 * take a second boundary in the middle (many objects, each with its ages) may match neither run:
 * such a line is run again, three times at most, and must match on one of them.
 */
export async function compare(
  gated: GateHarness,
  lines: string[][],
): Promise<{ answered: string[]; fellBack: string[] }> {
  return compareEach(lines, async (argv, line) => {
    for (let attempt = 1; ; attempt++) {
      const raw = await kubectl(gated, argv);
      const { output } = await gated.native(argv);
      if (output === undefined) return "fellBack";
      const order = await orderFor(gated, argv, output.stdout);
      const before = { ...raw, stdout: order(raw.stdout) };
      const after = await kubectl(gated, argv);
      after.stdout = order(after.stdout);
      const same = (printed: Printed): boolean =>
        printed.stdout === output.stdout &&
        printed.stderr === output.stderr &&
        printed.exitCode === output.exitCode;
      if (!same(before) && !same(after) && attempt < ATTEMPTS) continue;
      const expected: Printed = same(before) ? before : after;
      expect({ line, ...output } as Printed & { line: string }).toEqual({ line, ...expected });
      return "answered";
    }
  });
}

/**
 * Checks each line, four at a time, and tallies which native reads answered (`check` has compared
 * them with kubectl) and which they left to kubectl.
 */
export async function compareEach(
  lines: string[][],
  check: (argv: string[], line: string) => Promise<"answered" | "fellBack">,
): Promise<{ answered: string[]; fellBack: string[] }> {
  const tally = { answered: [] as string[], fellBack: [] as string[] };
  const queue = [...lines];
  const worker = async () => {
    for (let argv = queue.shift(); argv !== undefined; argv = queue.shift()) {
      const line = argv.join(" ");
      tally[await check(argv, line)].push(line);
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  if (process.env.SHOW_FALLBACKS) console.log(tally.fellBack.join("\n"));
  expect(tally.answered.length + tally.fellBack.length).toBe(lines.length);
  return tally;
}

export interface Oracle {
  /** The gate harness, for a native read alone. */
  readonly gated: GateHarness;
  /** The stand-in both read, for a test that changes what it serves. */
  readonly standin: KubeStandin;
  compare(lines: string[][]): Promise<{ answered: string[]; fellBack: string[] }>;
  /**
   * A test of generated lines: each one native reads answer identical, and at least half answered
   * (a native path that always fell back would pass every comparison while proving nothing).
   */
  generated(what: string, lines: string[][]): void;
}

/**
 * The stand-in (the default cluster, or `scenario`) and the gate for this test file (kube-*
 * namespaces denied and Secrets restricted, unless `deniedNamespaces` and `restrictedResources` say
 * otherwise), started before its tests.
 */
export function useOracle({
  scenario,
  deniedNamespaces = ["kube-*"],
  restrictedResources,
}: {
  scenario?: Scenario;
  deniedNamespaces?: string[];
  restrictedResources?: string[];
} = {}): Oracle {
  let standin: KubeStandin | undefined;
  let gated: GateHarness | undefined;
  beforeAll(async () => {
    standin = await startKubeStandin({ tls: true, ...(scenario ? { scenario } : {}) });
    gated = await startGateHarness(standin, {
      deniedNamespaces,
      ...(restrictedResources ? { restrictedResources } : {}),
    });
  });
  afterAll(async () => {
    await gated?.stop();
    await standin?.stop();
  });
  const started = (): GateHarness => {
    if (!gated) throw new Error("the oracle starts before the tests");
    return gated;
  };
  return {
    get gated() {
      return started();
    },
    get standin() {
      if (!standin) throw new Error("the oracle starts before the tests");
      return standin;
    },
    compare: (lines) => compare(started(), lines),
    generated(what, lines) {
      test(`${lines.length} generated ${what} command lines`, async () => {
        const { answered } = await compare(started(), lines);
        console.log(
          `native reads answered ${answered.length} of ${lines.length} generated ${what} command lines`,
        );
        expect(answered.length).toBeGreaterThanOrEqual(lines.length / 2);
      }, 240_000);
    },
  };
}
