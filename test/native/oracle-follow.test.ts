/**
 * `logs -f` answered natively, held to real kubectl through the same gate and stand-in, each run as
 * the agent runs a following command: under a line bound (as many lines as the same read without
 * -f prints, so both stop once all of it has come, however fast each started) or, where it prints
 * none, a short window. One read must print byte for byte what kubectl prints; several, followed
 * at once, must each be an interleaving of the reads' lines, as every kubectl run is
 * (interleaving.ts). Either way a streaming caller is passed exactly what the result holds. Lines
 * the container writes while followed reach both as they are written.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { FollowBounds } from "../../executor/follow-bounds";
import type { RunOutcome } from "../../executor/runner";
import { CRASHING_POD, HEALTHY_POD } from "../k8s/scenario";
import { isInterleaving, linesOf } from "./interleaving";
import { compareEach, useOracle } from "./oracle-harness";
import { passedOn } from "./passed-on";

const oracle = useOracle();
/** Long enough never to be what ends a follow with lines still to come. */
const LONG_WINDOW_MS = 20_000;
/** For a follow that prints nothing: ended by its window, kubectl's notices (stderr) out well before. */
const QUIET_WINDOW_MS = 3_000;

const oneRead = fc
  .record({
    target: fc.constantFrom(
      CRASHING_POD,
      HEALTHY_POD,
      `pod/${HEALTHY_POD}`,
      "deploy/frontend",
      "deploy/checkout",
      "nope",
      "coredns-5d78c9869d-8k2lw",
    ),
    follow: fc.constantFrom(["-f"], ["--follow"], ["-f=true"]),
    scope: fc.constantFrom<string[]>(
      ["-n", "shop"],
      ["-n", "shop"],
      [],
      ["-n", "empty"],
      ["-n", "kube-system"],
    ),
    container: fc.constantFrom<string[]>(
      [],
      [],
      ["-c", "checkout"],
      ["-c", "credit-service"],
      ["-c", "nope"],
    ),
    tail: fc.constantFrom<string[]>([], ["--tail", "2"], ["--tail=0"], ["--tail", "-1"]),
    previous: fc.constantFrom<string[]>([], [], ["-p"]),
    since: fc.constantFrom<string[]>([], [], ["--since", "1h"]),
    timestamps: fc.constantFrom<string[]>([], ["--timestamps"]),
    limit: fc.constantFrom<string[]>([], [], ["--limit-bytes", "60"]),
    prefix: fc.constantFrom<string[]>([], ["--prefix"]),
  })
  .map((p) => [
    "logs",
    p.target,
    ...p.follow,
    ...p.scope,
    ...p.container,
    ...p.tail,
    ...p.previous,
    ...p.since,
    ...p.timestamps,
    ...p.limit,
    ...p.prefix,
  ]);

/** Selectors matching several pods (one crash-looping, whose stream ends by itself), one, none. */
const SEVERAL_READS = ["app=frontend", "app!=frontend", "app=checkout", "app=nothing"].flatMap((selector) =>
  [
    [],
    ["--prefix"],
    ["--tail=2", "--timestamps"],
    ["--prefix", "--max-log-requests=1"],
    ["--all-containers"],
  ].map((options) => ["logs", "-f", "-l", selector, "-n", "shop", ...options]),
);

const withoutFollow = (argv: string[]) => argv.filter((arg) => !/^(-f|--follow)(=true)?$/.test(arg));

/** Each read's lines, from the same read without -f and with --prefix, which names each line's read. */
async function readsOf(argv: string[]): Promise<string[][]> {
  const prefixed = argv.includes("--prefix");
  const whole = (await oracle.gated.native([...withoutFollow(argv), ...(prefixed ? [] : ["--prefix"])]))
    .output;
  const reads = new Map<string, string[]>();
  for (const line of linesOf(whole?.stdout ?? "")) {
    const source = /^\[pod\/[^\]]+\] /.exec(line)?.[0] ?? "";
    reads.set(source, [...(reads.get(source) ?? []), prefixed ? line : line.slice(source.length)]);
  }
  return [...reads.values()];
}

/** The bounds both runs get: stopped once the lines the read prints without -f have come. */
async function boundsFor(argv: string[]): Promise<FollowBounds> {
  const whole = (await oracle.gated.native(withoutFollow(argv))).output;
  const lines = linesOf(whole?.stdout ?? "").length;
  return lines > 0 ? { windowMs: LONG_WINDOW_MS, maxLines: lines } : { windowMs: QUIET_WINDOW_MS };
}

const several = (argv: string[]) => argv.includes("-l") || argv.includes("--all-containers");

function compareFollows(
  lines: string[][],
  boundsOf: (argv: string[]) => Promise<FollowBounds> = boundsFor,
): Promise<{ answered: string[]; fellBack: string[] }> {
  return compareEach(lines, async (argv, line) => {
    const bounds = await boundsOf(argv);
    const passed = { kubectl: passedOn(), native: passedOn() };
    const [printed, native] = await Promise.all([
      oracle.gated.follow(argv, "kubectl", bounds, passed.kubectl) as Promise<RunOutcome>,
      oracle.gated.follow(argv, "native", bounds, passed.native),
    ]);
    if (native === undefined) return "fellBack";
    // A streaming caller is passed exactly what the result holds, by either path.
    for (const [by, { stdout, stderr }] of [
      ["kubectl", printed],
      ["native", native],
    ] as const) {
      expect({ line, by, ...passed[by].text }).toEqual({ line, by, stdout, stderr });
    }
    const ended = ({ stderr, exitCode, timedOut }: RunOutcome) => ({ line, stderr, exitCode, timedOut });
    expect(ended(native)).toEqual(ended(printed));
    if (several(argv) && native.stdout !== printed.stdout) {
      const reads = await readsOf(argv);
      expect({ line, kubectl: isInterleaving(printed.stdout, reads) }).toEqual({ line, kubectl: true });
      expect({ line, native: isInterleaving(native.stdout, reads) }).toEqual({ line, native: true });
    } else {
      expect({ line, stdout: native.stdout }).toEqual({ line, stdout: printed.stdout });
    }
    return "answered";
  });
}

const ONE_READ_LINES = fc.sample(oneRead, { numRuns: 60, seed: 2026 });

describe("logs -f answered natively prints what kubectl prints", () => {
  test(`${ONE_READ_LINES.length} generated lines following one read: byte for byte`, async () => {
    const { answered, fellBack } = await compareFollows(ONE_READ_LINES);
    console.log(
      `native reads answered ${answered.length} of ${ONE_READ_LINES.length} generated logs -f lines`,
    );
    expect(fellBack).toEqual([]);
  }, 240_000);

  test(`${SEVERAL_READS.length} lines following several reads at once: each an interleaving kubectl prints too`, async () => {
    const { answered, fellBack } = await compareFollows(SEVERAL_READS);
    console.log(`native reads answered ${answered.length} of ${SEVERAL_READS.length} logs -f -l lines`);
    expect(fellBack).toEqual([]);
  }, 240_000);

  test("a line bound short of what the reads print: both stop there and pass on only those lines", async () => {
    const lines = [
      ["logs", "-f", "-n", "shop", "deploy/frontend"],
      ["logs", "-f", "-n", "shop", HEALTHY_POD, "--timestamps", "--prefix"],
      ["logs", "-f", "-n", "shop", CRASHING_POD],
    ];
    const { answered } = await compareFollows(lines, async () => ({ windowMs: LONG_WINDOW_MS, maxLines: 2 }));
    expect(answered).toHaveLength(lines.length);
  }, 60_000);

  test("a line the container writes while it is followed reaches both as it is written", async () => {
    const argv = ["logs", "-f", "-n", "shop", HEALTHY_POD, "--tail=1", "--timestamps"];
    const written = `written while followed ${crypto.randomUUID()}`;
    const follow = (by: "kubectl" | "native") => {
      const stop = new AbortController();
      const passed = passedOn();
      const run = oracle.gated.follow(
        argv,
        by,
        { windowMs: LONG_WINDOW_MS },
        { signal: stop.signal, onOutput: passed.onOutput },
      );
      return { run, printed: passed.printed, stop: () => stop.abort() };
    };
    const followers = [follow("kubectl"), follow("native")];
    // Each has its first line, so its stream is open at the stand-in: what is written now is new.
    await Promise.all(followers.map((f) => f.printed("")));
    oracle.standin.logs.append("shop", HEALTHY_POD, "credit-service", written);
    await Promise.all(followers.map((f) => f.printed(written)));
    for (const f of followers) f.stop();
    const [printed, native] = (await Promise.all(followers.map((f) => f.run))) as RunOutcome[];
    expect(native).toMatchObject({ exitCode: 0, stoppedBy: "cancelled", stderr: "" });
    expect(printed).toMatchObject({ exitCode: 0, stoppedBy: "cancelled", stderr: "" });
    expect(native?.stdout).toBe(printed?.stdout as string);
    expect(linesOf(native?.stdout ?? "")).toHaveLength(2);
    expect(native?.stdout).toEndWith(` ${written}\n`);
  }, 60_000);
});
