/**
 * Native reads against their oracle (oracle-harness.ts): real kubectl through the same gate and
 * stand-in. `get` and `logs` command lines are generated over the stand-in's kinds, namespaces,
 * names, selectors, containers, output formats and log options (fixed seed, so a failure
 * reproduces); every line native reads answer must print exactly what kubectl prints, stdout,
 * stderr and exit code, and most must be answered. `logs -l` lines over selectors that match one
 * pod, several and none are answered but for several pods. Then the other commands native reads answer
 * (api-*, events, version), yaml's hard cases, what falls back, and the gate on a native read.
 * The output formats built on JSONPath are in oracle-output.test.ts, several objects at once in
 * oracle-several.test.ts.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { CRASHING_POD, HEALTHY_POD, NODE_NAMES } from "../k8s/scenario";
import { useOracle } from "./oracle-harness";

const TYPES = [
  "pods",
  "pod",
  "po",
  "deployments",
  "deploy",
  "services",
  "svc",
  "nodes",
  "no",
  "namespaces",
  "ns",
];
const MORE_TYPES = [
  "configmaps",
  "cm",
  "events",
  "ev",
  "replicasets",
  "rs",
  "serviceaccounts",
  "sa",
  "leases",
  "foos",
];
const NAMES = [CRASHING_POD, "checkout", "shop", NODE_NAMES[0] ?? "", "kube-root-ca.crt", "default", "nope"];
const SCOPES: string[][] = [
  [],
  ["-n", "shop"],
  ["-n", "default"],
  ["-n", "kube-system"],
  ["-n", "empty"],
  ["-A"],
  ["--namespace=shop"],
];
const FILTERS: string[][] = [
  [],
  ["-l", "app=checkout"],
  ["-l", "app=nothing"],
  ["--selector", "app in (checkout,frontend)"],
  ["--field-selector", "metadata.name=checkout"],
  ["-l", "app!=frontend"],
];
const FORMATS: string[][] = [
  [],
  ["-o", "wide"],
  ["-o", "name"],
  ["-owide"],
  ["--output=name"],
  ["-o", "json"],
  ["-o", "jsonpath={.items[*].metadata.name}"],
  ["-o=jsonpath={.metadata.name} {.kind}"],
  ["-o", "custom-columns=NAME:.metadata.name,LABELS:.metadata.labels"],
];
const EXTRAS: string[][] = [
  [],
  ["--show-labels"],
  ["-L", "app"],
  ["-L", "app,topology.kubernetes.io/zone"],
  ["--no-headers"],
  ["--show-labels", "--no-headers"],
  ["--sort-by=.metadata.name"],
  ["--show-kind"],
  ["--ignore-not-found"],
  ["--show-kind", "--ignore-not-found=true"],
];

const commandLine = fc
  .record({
    type: fc.constantFrom(...TYPES, ...TYPES, ...MORE_TYPES),
    name: fc.option(fc.constantFrom(...NAMES), { freq: 3 }),
    scope: fc.constantFrom(...SCOPES),
    filter: fc.constantFrom(...FILTERS),
    format: fc.constantFrom(...FORMATS),
    extra: fc.constantFrom(...EXTRAS),
    slash: fc.boolean(),
  })
  .map(({ type, name, scope, filter, format, extra, slash }) => [
    "get",
    ...(name === null ? [type] : slash ? [`${type}/${name}`] : [type, name]),
    ...scope,
    ...(name === null ? filter : []),
    ...format,
    ...extra,
  ]);

const logsLine = fc
  .record({
    target: fc.constantFrom(
      CRASHING_POD,
      HEALTHY_POD,
      `pod/${CRASHING_POD}`,
      `pods/${HEALTHY_POD}`,
      "nope",
      "deploy/checkout",
      "coredns-5d78c9869d-8k2lw",
    ),
    scope: fc.constantFrom<string[]>(
      [],
      ["-n", "shop"],
      ["-n", "shop"],
      ["-n", "kube-system"],
      ["-n", "empty"],
    ),
    container: fc.constantFrom<string[]>(
      [],
      [],
      ["-c", "checkout"],
      ["-c", "credit-service"],
      ["-c", "nope"],
    ),
    tail: fc.constantFrom<string[]>([], ["--tail", "1"], ["--tail=0"], ["--tail", "-1"], ["--tail", "5"]),
    previous: fc.constantFrom<string[]>([], [], ["-p"], ["--previous"]),
    since: fc.constantFrom<string[]>([], [], ["--since", "5m"], ["--since=1h30m"], ["--since", "90s"]),
    timestamps: fc.constantFrom<string[]>([], ["--timestamps"]),
    limit: fc.constantFrom<string[]>([], [], ["--limit-bytes", "40"], ["--limit-bytes=100"]),
    sources: fc.constantFrom<string[]>(
      [],
      [],
      ["--prefix"],
      ["--all-containers"],
      ["--all-containers=true", "--prefix"],
    ),
  })
  .map((parts) => [
    "logs",
    parts.target,
    ...parts.scope,
    ...parts.container,
    ...parts.tail,
    ...parts.previous,
    ...parts.since,
    ...parts.timestamps,
    ...parts.limit,
    ...parts.sources,
  ]);

/** `logs -l` lines: selectors matching one pod, several, none, or none that parse, in every scope. */
const SELECTOR_LOGS_LINES = [
  "app=checkout",
  "app=credit-service",
  "app=frontend",
  "app=nothing",
  "app in (checkout,nothing)",
  "app!=frontend",
  "app=checkout,pod-template-hash=7d9f8b6c5",
  "=checkout",
].flatMap((selector) =>
  [["-n", "shop"], ["--namespace=shop"], [], ["-n", "kube-system"], ["-n", "empty"]].flatMap((scope) =>
    [
      [],
      ["--tail=2"],
      ["--tail", "-1", "--timestamps"],
      ["-p"],
      ["-c", "checkout"],
      ["-c", "nope"],
      ["--since=1h", "--limit-bytes=100"],
      ["--all-containers", "--prefix"],
    ].map((options) => ["logs", "-l", selector, ...scope, ...options]),
  ),
);

const GET_LINES = fc.sample(commandLine, { numRuns: 320, seed: 2026 });
const LOGS_LINES = fc.sample(logsLine, { numRuns: 160, seed: 2026 });
const oracle = useOracle();
const { compare } = oracle;

describe("native reads print what kubectl prints", () => {
  oracle.generated("get", GET_LINES);
  oracle.generated("logs", LOGS_LINES);

  test(`${SELECTOR_LOGS_LINES.length} logs -l lines: one pod, several (in one of kubectl's orders) or none`, async () => {
    // kubectl reads several pods in Go's random map order: its output is put in native reads' order.
    const { answered, fellBack } = await compare(SELECTOR_LOGS_LINES);
    console.log(
      `native reads answered ${answered.length} of ${SELECTOR_LOGS_LINES.length} logs -l command lines`,
    );
    // A read that fails among several ends kubectl's walk wherever it stood: those are kubectl's.
    expect(fellBack.every((line) => /app=frontend|app!=frontend/.test(line))).toBe(true);
    expect(answered.length).toBeGreaterThanOrEqual(SELECTOR_LOGS_LINES.length / 2);
  }, 240_000);

  test("flags that change only the requests, a wait or a stream, or add to each other", async () => {
    const lines = [
      // --since-time as kubectl sends it: UTC, whole seconds (an offset and a fraction given).
      ["logs", CRASHING_POD, "-n", "shop", "--since-time=2020-01-01T00:00:00+02:00"],
      ["logs", CRASHING_POD, "-n", "shop", "--since-time", "2099-01-01T00:00:00.123Z"],
      [
        "logs",
        "-l",
        "app=frontend",
        "-n",
        "shop",
        `--since-time=${new Date(Date.now() - 3_600_000).toISOString()}`,
      ],
      ["logs", CRASHING_POD, "-n", "shop", "--ignore-errors", "--tail=3"],
      ["logs", "nope", "-n", "shop", "--ignore-errors"],
      ["logs", "-l", "app=frontend", "-n", "shop", "--max-log-requests=10", "--prefix"],
      ["logs", "deploy/checkout", "-n", "shop", "--pod-running-timeout=5s"],
      ["logs", CRASHING_POD, "-n", "shop", "-f=false", "--timestamps"],
      ["get", "pods", "-n", "shop", "--chunk-size=0"],
      ["get", "pods", "-A", "--chunk-size=1", "-o", "wide"],
      ["get", "pods", "-A", "--chunk-size=2", "-o", "yaml"],
      ["get", "all", "-n", "shop", "--chunk-size=1", "-o", "name"],
      ["get", "pods", "-n", "shop", "-L", "app", "-L", "tier"],
      ["get", "pods", "-n", "shop", "-L", "app,tier", "-L", "pod-template-hash", "--show-labels"],
    ];
    const { fellBack } = await compare(lines);
    expect(fellBack).toEqual([]);
  });

  test("types qualified by their group (as `get all` prints them) or by version and group", async () => {
    const answered = [
      ["get", "deployment.apps/checkout", "-n", "shop"],
      ["get", "deployments.v1.apps", "-n", "shop", "-o", "wide"],
      ["get", "deploy.apps", "-n", "shop", "-o", "name"],
      ["get", "rs.apps", "-A", "-l", "app=checkout"],
      ["get", "replicaset.apps", "nope", "-n", "shop"],
      ["get", "leases.coordination.k8s.io", "-n", "default", "-o", "yaml"],
      ["get", "endpointslices.discovery.k8s.io", "-n", "shop"],
      ["get", "deployment.apps,replicaset.apps", "-n", "shop"],
      ["describe", "deployment.apps/checkout", "-n", "shop"],
      ["describe", "deployments.v1.apps", "frontend", "-n", "shop"],
      ["describe", "rs.apps", "-n", "shop", "-l", "app=frontend"],
      ["logs", "deployment.apps/checkout", "-n", "shop", "--tail=3"],
    ];
    // Not what kubectl reads them as: a core type has no group to name, a version not served, no group.
    const kubectls = [
      ["get", "pods.v1", "-n", "shop"],
      ["get", "deployments.v2.apps", "-n", "shop"],
      ["get", "deployment.nope", "-n", "shop"],
      ["describe", "svc.apps", "checkout", "-n", "shop"],
    ];
    const { fellBack } = await compare([...answered, ...kubectls]);
    expect(fellBack.sort()).toEqual(kubectls.map((line) => line.join(" ")).sort());
  });

  test("a type the cluster serves nothing for: kubectl's error, after discovery is read again", async () => {
    const answered = [
      ["get", "pdos"],
      ["get", "pdos", "-n", "shop", "-o", "yaml"],
      ["get", "pdos", "nope", "-A"],
      ["get", "pods,pdos,nope", "-n", "shop"],
      ["get", "all,pdos", "-n", "shop"],
      ["get", "pdos.apps", "-n", "shop"],
      ["get", "pdos", "--show-labels", "-o", "name"],
      ["describe", "pdos", "-n", "shop"],
      ["describe", "pdos.v1.apps", "x", "-n", "shop"],
      ["logs", "pdos/x", "-n", "shop"],
      ["events", "--for", "pdos/x", "-n", "shop", "--types=Bogus"],
    ];
    // A name some resource answers to, in a group that does not serve it: kubectl's mapper tries
    // kinds too, so those are kubectl's to word.
    const kubectls = [
      ["get", "pods.apps", "-n", "shop"],
      ["describe", "deployments.v9.apps", "-n", "shop"],
    ];
    const { fellBack } = await compare([...answered, ...kubectls]);
    expect(fellBack.sort()).toEqual(kubectls.map((line) => line.join(" ")).sort());
  });

  test("events --for one object: by its type's kind, version and name, as kubectl selects them", async () => {
    const answered = [
      ["events", "--for", `pod/${CRASHING_POD}`, "-n", "shop"],
      ["events", `--for=po/${HEALTHY_POD}`, "-n", "shop", "--types=Warning"],
      ["events", "--for", "deployment/checkout", "-n", "shop"],
      ["events", "--for", "deployment.apps/checkout", "-n", "shop", "--no-headers"],
      ["events", "--for", `node/${NODE_NAMES[0]}`, "-A"],
      ["events", "--for", "pod/nope", "-n", "shop"],
      ["events", "--for", `pod/${CRASHING_POD}`, "-n", "kube-system"],
      ["events", "--for", "nope/x", "-n", "shop"],
    ];
    // kubectl refuses these (no name), or prints in its own way.
    const kubectls = [
      ["events", "--for", "pod", "-n", "shop"],
      ["events", "--for", "pod/a/b", "-n", "shop"],
    ];
    const { fellBack } = await compare([...answered, ...kubectls]);
    expect(fellBack.sort()).toEqual(kubectls.map((line) => line.join(" ")).sort());
  });

  test("api-versions and api-resources, with every flag combination they answer", async () => {
    const lines = [["api-versions"]];
    for (const output of [[], ["-o", "wide"], ["-o", "name"]]) {
      for (const scope of [
        [],
        ["--namespaced=true"],
        ["--namespaced=false"],
        ["--api-group=apps"],
        ["--api-group="],
      ]) {
        for (const headers of [[], ["--no-headers"]])
          lines.push(["api-resources", ...output, ...scope, ...headers]);
      }
    }
    const { answered } = await compare(lines);
    expect(answered.length).toBe(lines.length);
  });

  test("events, with the flags they answer", async () => {
    const lines: string[][] = [];
    for (const scope of [[], ["-n", "shop"], ["-n", "kube-system"], ["-n", "empty"], ["-A"]]) {
      for (const types of [[], ["--types=Warning"], ["--types", "normal,Warning"], ["--types=Bogus"]]) {
        for (const headers of [[], ["--no-headers"]]) lines.push(["events", ...scope, ...types, ...headers]);
      }
    }
    const { answered } = await compare(lines);
    console.log(`native reads answered ${answered.length} of ${lines.length} events command lines`);
    expect(answered.length).toBeGreaterThanOrEqual(lines.length / 2);
  });

  test("events -o json and yaml: the EventList kubectl's typed client hands its printer", async () => {
    const lines: string[][] = [];
    for (const scope of [[], ["-n", "shop"], ["-n", "kube-system"], ["-n", "empty"], ["-A"]]) {
      for (const output of [["-o", "json"], ["-o=yaml"]]) {
        for (const types of [[], ["--types=Warning"]]) lines.push(["events", ...scope, ...output, ...types]);
      }
    }
    lines.push(["events", "--for", `pod/${CRASHING_POD}`, "-n", "shop", "-o", "yaml"]);
    const { answered, fellBack } = await compare(lines);
    console.log(
      `native reads answered ${answered.length} of ${lines.length} events -o json|yaml command lines`,
    );
    expect(fellBack).toEqual([]);
  });

  test("-o yaml of objects with quoted, folded and nested values is answered, and identical", async () => {
    // Events carry long messages with ': ' (single-quoted, folded past column 80), timestamps and
    // resource versions (double-quoted), nulls, nested maps and lists.
    const lines = [
      ["get", "events", "-n", "shop", "-o", "yaml"],
      ["get", "pods", "-n", "shop", "-o", "yaml"],
      ["get", "deploy", "checkout", "-n", "shop", "-o", "yaml"],
      ["get", "nodes", "-o", "yaml"],
    ];
    const { answered } = await compare(lines);
    expect(answered.sort()).toEqual(lines.map((line) => line.join(" ")).sort());
  });

  test("version and version --client, as text, JSON and YAML", async () => {
    const lines = [
      ["version"],
      ["version", "--client"],
      ["version", "--client=false"],
      ["version", "-o", "json"],
      ["version", "--output=yaml"],
      ["version", "--client", "-o", "json"],
      ["version", "--client", "-o", "yaml"],
    ];
    const { answered } = await compare(lines);
    expect(answered.sort()).toEqual(lines.map((line) => line.join(" ")).sort());
  });

  test("what native reads do not know runs kubectl: other flags, several types or names", async () => {
    for (const argv of [
      ["get", "pods", "--sort-by={.metadata.name}{.kind}"],
      ["get", "pods,services", "-n", "shop", "--sort-by=.metadata.name"],
      ["get", "all", "checkout", "-n", "shop"],
      ["get", "pods", "checkout", "-l", "app=checkout", "-n", "shop"],
      ["get", "pod/checkout", "svc/checkout", "-n", "shop"],
      ["get", "pod/checkout/x", "-n", "shop"],
      ["get", "pods", "-o", "jsonpath={..metadata.name}"],
      ["get", "pods", "-o", "jsonpath={.items[0,1].metadata.name}"],
      ["get", "pods", "-o", "jsonpath={.items[*]['metadata']}"],
      ["get", "pods", "-o", "jsonpath={range .items[*]}{.metadata.name}"],
      ["get", "pods", "-o", "jsonpath="],
      ["get", "pods", "-o", "jsonpath={end}"],
      ["get", "pods", "-o", "jsonpath={.items[*].metadata.name"],
      ["get", "pods", "-o", 'jsonpath={"ends in an escaped backslash\\\\"}'],
      ["get", "pods", "-o", "jsonpath-as-json={.items}"],
      ["get", "pods", "-o", "custom-columns=NAME"],
      ["get", "pods", "-o", "custom-columns=NAME:..metadata.name"],
      ["version", "-o", "wide"],
      ["get", "Pods", "-n", "shop"],
      ["describe", "pods", "-n", "shop", "--chunk-size=10"],
      ["logs", "-n", "shop", "cm/kube-root-ca.crt"],
      ["logs", "-n", "shop", "-l", "app=checkout", CRASHING_POD],
      ["logs", "-n", "shop", "-l", " app=checkout"],
    ]) {
      expect((await oracle.gated.native(argv)).output).toBeUndefined();
    }
  });

  test("a native read goes through the gate: a denied namespace is refused there, as for kubectl", async () => {
    const { output, report } = await oracle.gated.native(["get", "pods", "-n", "kube-system"]);
    expect(report.first_refusal?.rule).toBe("NAMESPACE_DENIED");
    expect(output?.exitCode).toBe(1);
    expect(output?.stderr).toStartWith("Error from server (Forbidden): kubently cluster gate refused GET");
  });
});
