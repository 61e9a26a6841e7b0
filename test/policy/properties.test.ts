/**
 * Properties of `decide` over generated argv: safe commands pass whatever the flag order and
 * spelling; one forbidden flag in any spelling, anywhere among the flags, refuses the command;
 * a restricted resource in any spelling refuses get/describe; arbitrary input never throws and
 * always gets a well-formed decision; and an approved argv, run by real kubectl against the API
 * stand-in (a bounded sample), goes nowhere but the stand-in as its identity, and reaches no secret
 * and no namespace the policy denies. Run counts are bounded so the file takes seconds.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { DENY_CODES, type Decision, FORBIDDEN_FLAG_NAMES, type Policy } from "../../executor/policy";
import { EXTENDED, FULL, NO_KUBE, READ_ONLY, run, TEAM_ONLY } from "./helpers";
import {
  EVERY_NAMESPACE,
  KUBECTL_AT_ONCE,
  kubectlHome,
  NOT_KUBE,
  overreach,
  pooled,
  type Reachable,
  resourcePaths,
  runKubectl,
} from "./oracle";

const RUNS = { numRuns: 500 };

const KNOWN_CODES: ReadonlySet<string> = new Set(DENY_CODES);

/** A unit is one flag with its value, or one positional: inserting between units never splits a flag. */
type Unit = string[];

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
const namespace = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const label = fc.tuple(word, word).map(([key, value]) => `${key}=${value}`);

const namespaceFlag = namespace.chain((ns) =>
  fc.constantFrom<Unit>(["-n", ns], [`-n${ns}`], [`-n=${ns}`], [`--namespace=${ns}`], ["--namespace", ns]),
);
const selectorFlag = label.chain((selector) =>
  fc.constantFrom<Unit>(
    ["-l", selector],
    [`-l${selector}`],
    [`--selector=${selector}`],
    ["--selector", selector],
  ),
);
const commonFlag = fc.oneof(
  namespaceFlag,
  selectorFlag,
  fc.constantFrom<Unit>(
    ["-A"],
    ["--all-namespaces"],
    ["--all-namespaces=false"],
    ["-v=4"],
    ["--request-timeout=5s"],
  ),
);

const getFlag = fc.oneof(
  commonFlag,
  fc.constantFrom<Unit>(
    ["-o", "wide"],
    ["-oyaml"],
    ["-o=json"],
    ["--output=name"],
    ["-o", "jsonpath={.items[*].metadata.name}"],
    ["-w"],
    ["-Aw"],
    ["--show-labels"],
    ["--server-print=false"],
    ["--no-headers"],
    ["--watch-only"],
    ["--chunk-size", "50"],
    ["--sort-by=.metadata.name"],
    ["-L", "app"],
  ),
);
const describeFlag = fc.oneof(
  commonFlag,
  fc.constantFrom<Unit>(["--show-events=false"], ["--chunk-size=10"], ["--all_namespaces"]),
);

const safeType = fc.constantFrom(
  "pods",
  "po",
  "deployments",
  "deploy",
  "services",
  "svc",
  "configmaps",
  "nodes",
  "all",
  "events",
  "pods,services",
  "deployment.apps",
  "replicasets.v1.apps",
  "externalsecrets.external-secrets.io",
);

/** Positionals in order, with flags dropped in at random places between them. */
function interleave(positionals: Unit[], flags: Array<[Unit, number]>): Unit[] {
  const units = [...positionals];
  for (const [flag, at] of flags) units.splice(at % (units.length + 1), 0, flag);
  return units;
}

function command(verb: string, first: fc.Arbitrary<string>, flag: fc.Arbitrary<Unit>): fc.Arbitrary<Unit[]> {
  return fc
    .tuple(first, fc.array(word, { maxLength: 3 }), fc.array(fc.tuple(flag, fc.nat()), { maxLength: 6 }))
    .map(([type, names, flags]) => [[verb], ...interleave([[type], ...names.map((name) => [name])], flags)]);
}

const safeCommand = fc.oneof(
  command("get", safeType, getFlag),
  command("describe", safeType, describeFlag),
  command(
    "logs",
    word,
    fc.oneof(
      commonFlag.filter(
        (unit) => !unit.some((token) => token.includes("-A") || token.includes("all-namespaces")),
      ),
      fc.constantFrom<Unit>(["-f"], ["-p"], ["-c", "app"], ["--tail=-1"], ["--since=1h"], ["--timestamps"]),
    ),
  ),
);

function insertAt(units: Unit[], unit: Unit, at: number): string[] {
  const [verb = [], ...rest] = units;
  const spot = at % (rest.length + 1);
  return [...verb, ...rest.slice(0, spot).flat(), ...unit, ...rest.slice(spot).flat()];
}

const flagValue = fc.constantFrom("/tmp/x", "https://evil:6443", "system:admin", "abc", "true", "");
const forbiddenLong = fc
  .tuple(
    fc.constantFrom(...FORBIDDEN_FLAG_NAMES),
    flagValue,
    fc.constantFrom("equals", "space", "underscore", "bare"),
  )
  .map(([name, value, spelling]): Unit => {
    if (spelling === "space") return [`--${name}`, value || "x"];
    if (spelling === "underscore") return [`--${name.replaceAll("-", "_")}=${value}`];
    if (spelling === "bare") return [`--${name}`, "--request-timeout=1s"];
    return [`--${name}=${value}`];
  });
// Shorthands that mean a forbidden flag: -s everywhere, -f/-k where they are --filename/--kustomize.
const forbiddenShortFor = (verb: string): fc.Arbitrary<Unit> =>
  fc
    .tuple(
      fc.constantFrom(...(verb === "logs" ? ["s"] : ["s", "f", "k"])),
      flagValue.filter((v) => v !== ""),
    )
    .chain(([letter, value]) =>
      fc.constantFrom<Unit>(
        [`-${letter}`, value],
        [`-${letter}${value}`],
        [`-${letter}=${value}`],
        [`-A${letter}`, value],
      ),
    );

function isWellFormed(decision: Decision, commandType: string): boolean {
  if (decision.allowed) {
    return (
      Array.isArray(decision.argv) &&
      decision.argv.every((token) => typeof token === "string") &&
      decision.argv[0] === commandType
    );
  }
  return typeof decision.reason === "string" && decision.reason.length > 0 && KNOWN_CODES.has(decision.code);
}

describe("generated commands", () => {
  test("safe get/describe/logs commands are allowed as written", () => {
    fc.assert(
      fc.property(safeCommand, (units) => {
        const argv = units.flat();
        expect(run(READ_ONLY, argv)).toEqual({ allowed: true, argv });
      }),
      RUNS,
    );
  });

  test("one forbidden flag, in any spelling, anywhere among the flags, refuses the command", () => {
    const withForbidden = safeCommand.chain((units) =>
      fc.tuple(
        fc.constant(units),
        fc.oneof(forbiddenLong, forbiddenShortFor(units[0]?.[0] ?? "")),
        fc.nat(),
        fc.constantFrom(READ_ONLY, EXTENDED, FULL),
      ),
    );
    fc.assert(
      fc.property(withForbidden, ([units, forbidden, at, policy]) => {
        expect(run(policy, insertAt(units, forbidden, at))).toMatchObject({
          allowed: false,
          code: "FLAG_FORBIDDEN",
        });
      }),
      RUNS,
    );
  });

  test("a restricted resource, in any spelling, refuses get and describe", () => {
    const casing = (text: string) =>
      fc
        .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
        .map((upper) => [...text].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(""));
    const restricted = fc
      .tuple(
        fc.constantFrom("secret", "secrets").chain(casing),
        fc.constantFrom("", ".", ".v1", ".v1.", ".v1.core", ".anything.example.com"),
        fc.option(
          word.map((name) => `/${name}`),
          { nil: "" },
        ),
      )
      .map(([resource, group, name]) => `${resource}${group}${name}`);
    const typeToken = fc.oneof(
      restricted,
      fc.tuple(fc.array(safeType, { maxLength: 2 }), restricted, fc.nat()).map(([others, secret, at]) => {
        const types: string[] = [...others];
        types.splice(at % (types.length + 1), 0, secret);
        return types.join(",");
      }),
    );
    const withRestricted = fc.oneof(
      command("get", typeToken, getFlag),
      command("describe", typeToken, describeFlag),
    );
    fc.assert(
      fc.property(withRestricted, fc.constantFrom(READ_ONLY, EXTENDED, FULL), (units, policy) => {
        expect(run(policy, units.flat())).toMatchObject({ allowed: false, code: "RESOURCE_RESTRICTED" });
      }),
      RUNS,
    );
  });

  test("the request's namespace is appended as -n when the args name none", () => {
    const withoutNamespace = safeCommand.filter(
      (units) => !units.flat().some((token) => /^(-n|--namespace)/.test(token)),
    );
    fc.assert(
      fc.property(withoutNamespace, namespace, (units, ns) => {
        const argv = units.flat();
        expect(run(READ_ONLY, argv, ns)).toEqual({ allowed: true, argv: [...argv, "-n", ns] });
      }),
      RUNS,
    );
  });
});

/** Approved argv run through real kubectl in the last test. */
const KUBECTL_SAMPLE = 48;

/** Commands kubectl keeps running until stopped (watch, follow, rollout status): not for a run to its end. */
function streams(argv: readonly string[]): boolean {
  return argv.some((token) => /^-(w|Aw|f)$|^--(watch|follow)|^status$/.test(token));
}

/** The approvals the kubectl oracle's known-gaps test holds: describe of namespaces or nodes. */
function knownOverreach(argv: readonly string[]): boolean {
  return argv[0] === "describe" && argv.some((token) => /^(ns|namespaces?|no|nodes?)([/,.]|$)/i.test(token));
}

const POLICIES: Policy[] = [READ_ONLY, EXTENDED, FULL, NO_KUBE, TEAM_ONLY];
const VERBS = [
  "get",
  "describe",
  "logs",
  "exec",
  "top",
  "rollout",
  "auth",
  "cluster-info",
  "config",
  "delete",
  "cp",
];
// Tokens that matter to kubectl, mixed with arbitrary text, so generated argv reach deep checks.
const kubectlToken = fc.constantFrom(
  "--",
  "-",
  "-n",
  "kube-system",
  "kube-public",
  "shop",
  "team-a-x",
  "-A",
  "-Afalse",
  "-Aw",
  "--all-namespaces=true",
  "--kubeconfig=x",
  "-s",
  "-shttps://evil",
  "--server",
  "secrets",
  "Secret.v1./db",
  "pods",
  "pods,secrets",
  "ns",
  "-o",
  "yaml",
  "go-template-file=/x",
  "-f",
  "-k",
  "-l",
  "app=web",
  "=",
  "--raw",
  "status",
  "history",
  "can-i",
  "dump",
  "view",
  "pod",
  "-v=9",
  "--as_group=x",
  "-nkube-system",
  "--namespace=",
);
const interestingToken = fc.oneof(kubectlToken, fc.string({ maxLength: 12 }));

describe("arbitrary input", () => {
  test("decide never throws and always returns a well-formed decision", () => {
    const commandType = fc.oneof(fc.string(), fc.constantFrom(...VERBS));
    const args = fc.oneof(
      fc.array(fc.string()),
      fc.array(fc.string({ unit: "binary" })),
      fc.array(interestingToken),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...POLICIES),
        commandType,
        args,
        fc.option(fc.oneof(fc.string(), namespace), { nil: undefined }),
        (policy, verb, rest, ns) => {
          const decision = run(policy, [verb, ...rest], ns);
          expect(isWellFormed(decision, verb)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test("an approved argv, as real kubectl runs it, stays with the stand-in's identity, its namespaces and no secret", async () => {
    // Not the parser decide uses: kubectl itself, against the Kubernetes API stand-in, judged from
    // the requests it made (./oracle.ts). A bounded sample, a few kubectl at a time.
    const reachable = new Map<Policy, Reachable>([
      [READ_ONLY, EVERY_NAMESPACE],
      [NO_KUBE, NOT_KUBE],
      [TEAM_ONLY, { namespace: (ns) => ns === "shop" || ns.startsWith("team-a-"), allNamespaces: false }],
    ]);
    const sample = fc.sample(
      fc.tuple(
        fc.constantFrom(...reachable.keys()),
        fc.constantFrom(...VERBS),
        fc.array(kubectlToken, { maxLength: 8 }),
        fc.option(fc.constantFrom("shop", "kube-system", "team-a-x"), { nil: undefined }),
      ),
      { numRuns: 4_000, seed: 20240612 },
    );
    const approved = new Map<string, [Policy, string[]]>();
    for (const [policy, verb, rest, ns] of sample) {
      const decision = run(policy, [verb, ...rest], ns);
      if (!decision.allowed || streams(decision.argv) || knownOverreach(decision.argv)) continue;
      approved.set(JSON.stringify([POLICIES.indexOf(policy), decision.argv]), [policy, decision.argv]);
      if (approved.size === KUBECTL_SAMPLE) break;
    }
    expect(approved.size).toBe(KUBECTL_SAMPLE);
    const home = kubectlHome();
    try {
      const results = await pooled([...approved.values()], KUBECTL_AT_ONCE, async ([policy, argv]) => ({
        policy,
        ran: await runKubectl(argv, home.dir),
      }));
      const failures = results.flatMap(({ policy, ran }) => {
        const problems = [
          ...(ran.killed ? ["killed"] : []),
          ...overreach(ran.requests, reachable.get(policy) ?? NOT_KUBE),
          ...ran.requests
            .filter((request) => Object.keys(request.headers).some((name) => name.startsWith("impersonate-")))
            .map((request) => `${request.path}: impersonates`),
          // Another server, kubeconfig, context or file than the stand-in's would show in kubectl's errors.
          ...(/evil|no such host|dial tcp|does not exist|context was not found|kubeconfig/i.test(ran.stderr)
            ? [`went elsewhere: ${ran.stderr.trim()}`]
            : []),
        ];
        return problems.length ? [{ argv: ran.argv.join(" "), problems }] : [];
      });
      // Most generated argv are ones kubectl itself rejects; enough of them must reach the cluster.
      const reached = results.filter(({ ran }) => resourcePaths(ran.requests).length > 0).length;
      expect(reached).toBeGreaterThanOrEqual(12);
      expect(failures).toEqual([]);
    } finally {
      home.remove();
    }
  }, 600_000);
});
