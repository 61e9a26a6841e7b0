/**
 * Native reads of the output formats built on kubectl's JSONPath, against real kubectl
 * (oracle-harness.ts): -o jsonpath (fixed templates, and generated ones: nested ranges, filters,
 * slices, wildcards), -o custom-columns (fixed specs, and generated columns) and --sort-by. Every
 * line answered must print exactly what kubectl prints; what they do not model falls back.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { CRASHING_POD } from "../k8s/scenario";
import { useOracle } from "./oracle-harness";

/**
 * Random jsonpath templates: a path is a start an agent would write (over a list or one object), then
 * steps drawn from the fields and the step kinds the stand-in's pods, deployments and nodes exercise.
 */
const START = [
  ".items[*]",
  ".items[*].metadata",
  ".items[*].spec.containers[*]",
  ".items[*].status.containerStatuses[*]",
  '.items[?(@.status.phase=="Running")]',
  ".items[::2]",
  ".items[-1:]",
  ".metadata",
  ".metadata.labels",
  ".spec.containers[*]",
  ".status.conditions[*]",
  ".status",
  "",
];
const pathStep = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(".name", ".image", ".type", ".app", ".restartCount", ".ready") },
  { weight: 2, arbitrary: fc.constantFrom(".phase", ".status", ".kind", ".labels", ".namespace", ".nope") },
  {
    weight: 1,
    arbitrary: fc.constantFrom("[*]", "[0]", "[1:]", ".*", "[?(@.name)]", "[?(@.restartCount>0)]"),
  },
);
const path = fc
  .tuple(fc.constantFrom(...START), fc.array(pathStep, { maxLength: 2 }))
  .map(([start, steps]) => `${start}${steps.join("")}` || ".kind");
const relative = fc.array(pathStep, { minLength: 1, maxLength: 2 }).map((steps) => steps.join(""));
const action = fc.oneof(
  { weight: 4, arbitrary: path.map((p) => `{${p}}`) },
  { weight: 1, arbitrary: fc.constantFrom("x", " ", ": ", '{"\\n"}', "{'\\t'}") },
  {
    weight: 2,
    arbitrary: fc
      .tuple(path, relative, fc.constantFrom("", "{range .spec.containers[*]}{.name},{end}"))
      .map(([over, each, inner]) => `{range ${over}}{${each}}${inner}{"\\n"}{end}`),
  },
);
const template = fc.array(action, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(""));
const TEMPLATE_LINES = fc
  .sample(
    fc.tuple(
      template,
      fc.constantFrom<string[]>(
        ["pods", "-n", "shop"],
        ["deploy", "-A"],
        ["pod", CRASHING_POD, "-n", "shop"],
        ["nodes"],
      ),
    ),
    { numRuns: 200, seed: 2026 },
  )
  .map(([jsonPath, target]) => ["get", ...target, "-o", `jsonpath=${jsonPath}`]);

/** The same paths as custom columns, and the fields agents sort by, over lists of four kinds. */
const COLUMN_LINES = fc
  .sample(
    fc.tuple(
      fc.array(path, { minLength: 1, maxLength: 3 }),
      fc.constantFrom<string[]>(
        ["pods", "-n", "shop"],
        ["deploy", "-A"],
        ["nodes"],
        ["events", "-n", "shop"],
      ),
      fc.constantFrom<string[]>([], ["--no-headers"], ["--sort-by=.metadata.name"]),
      fc.constantFrom(
        ".metadata.name",
        "metadata.creationTimestamp",
        "{.status.phase}",
        ".spec.replicas",
        ".status.containerStatuses[0].restartCount",
        ".metadata.namespace",
        ".lastTimestamp",
        ".reason",
        ".metadata.labels.app",
        ".spec.nodeName",
        ".status.podIP",
      ),
    ),
    { numRuns: 200, seed: 2026 },
  )
  .flatMap(([columns, target, extra, sortBy]) => [
    ["get", ...target, "-o", `custom-columns=${columns.map((c, i) => `C${i}:${c}`).join(",")}`, ...extra],
    ["get", ...target, `--sort-by=${sortBy}`, "-o", "name"],
  ]);

const oracle = useOracle();
const { compare } = oracle;

describe("jsonpath, custom columns and --sort-by print what kubectl prints", () => {
  oracle.generated("-o jsonpath", TEMPLATE_LINES);
  oracle.generated("custom-columns and --sort-by", COLUMN_LINES);

  test("-o jsonpath templates over lists and objects are answered, and identical", async () => {
    const targets = [
      ["pods", "-n", "shop"],
      ["pods", "-A"],
      ["pods", "-n", "empty"],
      ["pods", "-n", "kube-system"],
      ["pod", CRASHING_POD, "-n", "shop"],
      ["pod", "nope", "-n", "shop"],
      ["deploy", "-n", "shop"],
      ["nodes"],
      ["ns"],
      ["events", "-n", "shop"],
    ];
    const templates = [
      "{.items[*].metadata.name}",
      '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}',
      "{.metadata.name}",
      "name={.metadata.name} uid={.metadata.uid}",
      "{.metadata.labels}",
      "{.items[*].metadata.labels}",
      "{.spec.containers[*].image}",
      "{.items[0].metadata.name}",
      "{.items[-1].metadata.name}",
      "{.items[1:3].metadata.name}",
      "{.items[::2].metadata.name}",
      '{.items[?(@.status.phase=="Running")].metadata.name}',
      "{.items[?(@.status.phase!='Running')].metadata.name}",
      "{.items[?(@.metadata.labels.app)].metadata.name}",
      "{.items[*].status.containerStatuses[?(@.restartCount>0)].name}",
      "{.items[*].metadata.labels.topology.kubernetes.io/zone}",
      "{.status.containerStatuses[*].restartCount}",
      "{.items[*].spec.replicas}",
      "{.items[*].status.conditions[*].type}",
      '{range .items[*]}{.metadata.name}:{range .spec.containers[*]} {.name}={.image}{end}{"\\n"}{end}',
      "{.items[*].metadata}",
      "{.spec}",
      "{.kind} {.apiVersion} {.metadata.resourceVersion}",
      "{@.kind}",
      "{.nope} and {.metadata.nope}",
      "{ .items[*].metadata.namespace }",
      "{.items[*].spec.containers[*]}",
      "{.items[?(@.spec.replicas>=2)].metadata.name} {.items[?(@.spec.replicas<2)].metadata.name}",
      "{.metadata.labels.*} {.items[*].metadata.labels.*}",
      '{$.kind} {\'single-quoted\'} {"a\\"quote\\""}',
      "{.items[*].status.containerStatuses[*].ready}",
      "{.items[*].eventTime}",
    ];
    const lines = targets.flatMap((target) =>
      templates.map((template) => ["get", ...target, "-o", `jsonpath=${template}`]),
    );
    const { answered, fellBack } = await compare(lines);
    console.log(`native reads answered ${answered.length} of ${lines.length} jsonpath command lines`);
    // What falls back is what kubectl fails on (an index out of bounds), or prints in a way native
    // reads do not model: a map's several values (in Go's random order).
    expect(answered.length).toBeGreaterThanOrEqual(lines.length * 0.75);
    expect(fellBack.every((line) => /\[(0|-1|1:3)\]|labels\.\*/.test(line))).toBe(true);
  }, 240_000);

  test("--sort-by over lists, objects and output formats is answered where its order is certain, and identical", async () => {
    const targets = [
      ["pods", "-n", "shop"],
      ["pods", "-A"],
      ["pods", "-n", "empty"],
      ["pod", CRASHING_POD, "-n", "shop"],
      ["deploy", "-n", "shop"],
      ["nodes"],
      ["ns"],
      ["events", "-n", "shop"],
      ["events", "-A"],
      ["events", "-n", "shop", "--field-selector", "involvedObject.kind=Pod"],
      ["events", "-n", "shop", "--field-selector", "type=Warning"],
    ];
    const fields = [
      "metadata.namespace",
      "{.metadata.creationTimestamp}",
      ".status.containerStatuses[0].restartCount",
      ".spec.replicas",
      ".lastTimestamp",
      ".count",
      ".metadata.labels",
      ".status.capacity.cpu",
      ".status.podIP",
      ".nope",
    ];
    const formats = [[], ["-o", "name"], ["-o", "jsonpath={.items[*].metadata.name}"], ["-o", "wide"]];
    const lines = targets.flatMap((target) =>
      fields.flatMap((field) => formats.map((format) => ["get", ...target, `--sort-by=${field}`, ...format])),
    );
    const { answered } = await compare(lines);
    console.log(`native reads answered ${answered.length} of ${lines.length} --sort-by command lines`);
    // Most fields here are missing on most kinds, on purpose: kubectl puts such items first, and
    // answers a field no item has in its own words. Falling back: a map, which kubectl cannot sort.
    // Ties are answered (the stand-in's 16 events share names and times): Go's sort order is followed.
    expect(answered.length).toBeGreaterThanOrEqual(lines.length * 0.75);
    expect(answered.filter((line) => line.startsWith("get pods -A --sort-by=")).length).toBeGreaterThan(8);
  }, 240_000);

  test("-o custom-columns over lists and objects is answered, and identical", async () => {
    const targets = [
      ["pods", "-n", "shop"],
      ["pods", "-A", "--no-headers"],
      ["pods", "-n", "empty"],
      ["pods", "-n", "kube-system"],
      ["pod", CRASHING_POD, "-n", "shop"],
      ["pod", "nope", "-n", "shop"],
      ["deploy", "-n", "shop"],
      ["nodes", "--no-headers"],
      ["events", "-n", "shop"],
    ];
    const specs = [
      "NAME:.metadata.name,STATUS:.status.phase",
      "NAME:metadata.name,LABELS:.metadata.labels,IMAGES:.spec.containers[*].image",
      "NS:{.metadata.namespace},RESTARTS:.status.containerStatuses[*].restartCount",
      "KIND:.kind,MISSING:.nope",
      'CONDITIONS:.status.conditions[*].type,READY:.status.conditions[?(@.type=="Ready")].status',
      "REPLICAS:.spec.replicas,SELECTOR:.spec.selector",
      "N:.metadata.name,LAST:.lastTimestamp,COUNT:.count",
      "CONTAINERS:.spec.containers[*].ports",
      "name:.metadata.name,a b:.metadata.uid",
    ];
    const lines = targets.flatMap((target) =>
      specs.map((spec) => ["get", ...target, "-o", `custom-columns=${spec}`]),
    );
    const { answered } = await compare(lines);
    console.log(`native reads answered ${answered.length} of ${lines.length} custom-columns command lines`);
    expect(answered.length).toBeGreaterThanOrEqual(lines.length * 0.75);
  }, 240_000);
});
