/**
 * `kubectl top` against its oracle (oracle-harness.ts): real kubectl and native reads through the
 * same gate, reading the stand-in's metrics.k8s.io (test/k8s/metrics.ts: every running pod and
 * every node measured, the crash-looping pod not). `top pod` lines are generated over names,
 * namespaces, selectors and the printer's options (fixed seed); `top node` lines are every
 * combination of names, selectors and options. Each line native reads answer must print what
 * kubectl prints, stdout, stderr and exit code.
 */
import { describe } from "bun:test";
import fc from "fast-check";
import { CRASHING_POD, HEALTHY_POD, NODE_NAMES } from "../k8s/scenario";
import { useOracle } from "./oracle-harness";

const topPodLine = fc
  .record({
    name: fc.constantFrom<string[]>([], [], [], [HEALTHY_POD], [CRASHING_POD], ["nope"]),
    scope: fc.constantFrom<string[]>(
      ["-n", "shop"],
      ["-n", "shop"],
      [],
      ["-A"],
      ["--all-namespaces"],
      ["-n", "kube-system"],
      ["-n", "empty"],
      ["-n", "external-secrets"],
    ),
    selector: fc.constantFrom<string[]>(
      [],
      [],
      ["-l", "app=frontend"],
      ["-l", "app=checkout"],
      ["-l", "app!=frontend"],
      ["-l", "app"],
      ["-l", "!app"],
      ["-l", "nothing=here"],
      ["--selector", "app.kubernetes.io/name=external-secrets"],
    ),
    containers: fc.constantFrom<string[]>([], ["--containers"]),
    sum: fc.constantFrom<string[]>([], ["--sum"], ["--sum=true"]),
    headers: fc.constantFrom<string[]>([], [], ["--no-headers"]),
    sort: fc.constantFrom<string[]>(
      [],
      [],
      ["--sort-by=cpu"],
      ["--sort-by", "memory"],
      [],
      ["--sort-by=name"],
    ),
    // kubectl refuses a NAME with a selector: a few such lines, most with one or the other.
    both: fc.constantFrom(false, false, false, false, true),
  })
  .map((parts) => [
    "top",
    "pod",
    ...parts.name,
    ...parts.scope,
    ...(parts.name.length > 0 && !parts.both ? [] : parts.selector),
    ...parts.containers,
    ...parts.sum,
    ...parts.headers,
    ...parts.sort,
  ]);

const TOP_POD_LINES = fc.sample(topPodLine, { numRuns: 200, seed: 2026 });

const NODE_OPTIONS = [
  [],
  ["--show-capacity"],
  ["--sort-by=cpu"],
  ["--sort-by=memory", "--no-headers"],
  ["--no-headers"],
];
const TOP_NODE_LINES = [
  ...[[], [NODE_NAMES[0] ?? ""], ["nope"]].flatMap((name) =>
    NODE_OPTIONS.map((options) => [...name, ...options]),
  ),
  ...[
    ["-l", "topology.kubernetes.io/zone=eu-west-1a"],
    ["-l", "nothing=here"],
    ["-l", "kubernetes.io/os"],
  ].flatMap((selector) => NODE_OPTIONS.map((options) => [...selector, ...options])),
  [NODE_NAMES[1] ?? "", "-l", "kubernetes.io/os"],
  ["--sort-by=name"],
].map((rest) => ["top", "node", ...rest]);

const oracle = useOracle();

describe("top prints what kubectl prints", () => {
  oracle.generated("top pod", TOP_POD_LINES);
  oracle.generated("top node", TOP_NODE_LINES);
});
