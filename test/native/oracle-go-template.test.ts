/**
 * `get -o go-template=…` (and `template=…`) answered natively, held to real kubectl through the same
 * gate and stand-in. Lines cover text and actions, trimming, comments, fields of lists and maps,
 * missing keys and nulls, numbers (int64s past 2^31 among them, as apimachinery decodes an
 * integer), whole objects, lists and maps printed as fmt prints them, variables declared and
 * assigned, range over lists and maps with one and two variables, else, break and continue, if /
 * else if / else, with / else, and, or, not, len, index, eq, ne, lt, gt (strings, ints), print
 * (its spaces), println, printf %s and %v, pipes and parentheses, `kubectl events` (its typed
 * EventList, nulls and empty fields as the Go struct writes them), errors before the template runs
 * (a missing object, a denied namespace), and lines kubectl fails on or prints in ways not modelled,
 * which are left to it.
 */
import { expect, test } from "bun:test";
import { describeScenario } from "../k8s/describe-scenario";
import { CRASHING_POD } from "../k8s/scenario";
import { useOracle } from "./oracle-harness";

const oracle = useOracle({ scenario: describeScenario() });
const template = (text: string, ...args: string[]) => ["get", ...args, "-o", `go-template=${text}`];
const FRONTEND = ["deploy", "frontend", "-n", "shop"];
const SHOP_PODS = ["pods", "-n", "shop"];

const LINES = [
  template('{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}', ...SHOP_PODS),
  template(
    "{{range .items}}{{.metadata.name}}:{{range .spec.containers}} {{.image}}{{end}}\n{{end}}",
    "pods",
    "-A",
  ),
  template(
    "{{.metadata.name}} {{.spec.replicas}} {{.status.readyReplicas}} {{.metadata.generation}}",
    ...FRONTEND,
  ),
  template("{{.}}", ...FRONTEND),
  template("{{.items}}", "pods", "-n", "lab"),
  template("{{.metadata.labels}} {{.spec.template.spec.containers}}", ...FRONTEND),
  template("{{.data}}", "cm", "app-settings", "-n", "lab"),
  template("{{.metadata.nope}} {{.metadata.nope.deeper}}", ...FRONTEND),
  template('{{index .metadata.labels "app"}} {{index .metadata.labels "nope"}}', ...FRONTEND),
  template("{{(index .items 0).metadata.name}} {{index .items 1 | len}}", ...SHOP_PODS),
  template('{{len .items}} {{len .metadata}} {{len .kind}} {{len "é"}} {{.items | len}}', ...SHOP_PODS),
  template("{{range $i, $p := .items}}{{$i}}={{$p.metadata.name}} {{end}}", ...SHOP_PODS),
  template("{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}", ...FRONTEND),
  template("{{range .items}}{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}\n{{end}}", "nodes"),
  template("{{range $p := .items}}{{$p.metadata.name}} {{end}}", ...SHOP_PODS),
  template(
    '{{range .items}}{{if eq .status.phase "Running"}}{{.metadata.name}} {{else if eq .status.phase "Pending"}}({{.metadata.name}}) {{else}}[{{.metadata.name}}] {{end}}{{end}}',
    "pods",
    "-A",
  ),
  template("{{range .items}}{{with .status.podIP}}{{.}}{{else}}none{{end}} {{end}}", "pods", "-A"),
  template("{{- range .items -}}\n  {{ .metadata.name }}\n{{- end }}", ...SHOP_PODS),
  template("{{- /* names */ -}}\n{{range .items}}{{.metadata.name}},{{end}}", "nodes"),
  template(
    '{{printf "%s/%s" .metadata.namespace .metadata.name}} {{.metadata.name | printf "%s!"}}',
    ...FRONTEND,
  ),
  template('{{printf "%v|%v|%v%%" .spec.replicas .metadata.labels .spec.selector}}', ...FRONTEND),
  template('{{print .spec.replicas .spec.replicas "x" 1 2 "y" .kind}}', ...FRONTEND),
  template("{{println .kind .apiVersion}}{{println}}", ...FRONTEND),
  template('{{"a" | printf "%s %s" "b"}}', ...FRONTEND),
  template(
    "{{$n := .metadata.name}}{{range .spec.template.spec.containers}}{{$n}}/{{.name}} {{end}}",
    ...FRONTEND,
  ),
  template("{{$c := 0}}{{range .items}}{{$c = len .metadata.name}}{{end}}{{$c}}", ...SHOP_PODS),
  template("{{range .items}}{{if and .spec .spec.nodeName}}{{.spec.nodeName}}{{end}} {{end}}", ...SHOP_PODS),
  template("{{range .items}}{{if or .status.podIP .spec.nodeName}}y{{else}}n{{end}}{{end}}", "pods", "-A"),
  template("{{range .items}}{{if not .status.podIP}}{{.metadata.name}} {{end}}{{end}}", "pods", "-A"),
  template("{{and .kind .apiVersion}} {{or .nope .kind}} {{or .nope .nada}} {{not .nope}}", ...FRONTEND),
  template(
    "{{if gt (len .items) 2}}many{{else}}few{{end}} {{if lt (len .items) 100}}under{{end}}",
    ...SHOP_PODS,
  ),
  template(
    '{{range .items}}{{if ne .metadata.namespace "shop"}}{{.metadata.name}} {{end}}{{end}}',
    "pods",
    "-A",
  ),
  template(
    '{{if eq .kind "Deployment" "StatefulSet"}}workload{{end}} {{if eq .nope "x"}}never{{end}}',
    ...FRONTEND,
  ),
  template("{{range .items}}{{.metadata.name}}{{break}}{{end}}", ...SHOP_PODS),
  template(
    "{{range $i, $p := .items}}{{if eq $i 1}}{{continue}}{{end}}{{$p.metadata.name}} {{end}}",
    ...SHOP_PODS,
  ),
  template("{{range .items}}x{{else}}none{{end}}", "pods", "-n", "empty"),
  template("{{.items}} {{.metadata}}", "pods", "-n", "empty"),
  template("{{with .spec.paused}}paused{{else}}running{{end}}", ...FRONTEND),
  template(
    "{{range .items}}{{.metadata.name}} {{.status.capacity.memory}} {{.status.capacity.cpu}}\n{{end}}",
    "nodes",
  ),
  template("{{.status.conditions}}", ...FRONTEND),
  // Integers are int64s once apimachinery decodes them: 2000001000, never 2.000001e+09.
  template("{{range .items}}{{.metadata.name}}={{.value}} {{end}}", "priorityclasses"),
  template(
    "{{if eq .spec.replicas 3}}three{{else}}not three{{end}} {{if gt .spec.replicas 1}}more{{end}}",
    ...FRONTEND,
  ),
  template("{{.}}", "pc", "system-node-critical"),
  ["get", ...SHOP_PODS, "-o", "template={{range .items}}{{.metadata.name}} {{end}}"],
  ["get", ...SHOP_PODS, "-o", "go-template", "--template={{range .items}}{{.metadata.name}} {{end}}"],
  ["get", ...SHOP_PODS, "--template", "{{len .items}}", "-o", "template"],
  ["get", ...FRONTEND, "--template={{.metadata.name}}"],
  // kubectl events hands its template the typed EventList, JSON-encoded as the Go struct writes it.
  [
    "events",
    "-n",
    "shop",
    "-o",
    'go-template={{range .items}}{{.reason}} {{.involvedObject.name}} {{.count}}{{"\\n"}}{{end}}',
  ],
  ["events", "-A", "-o", "go-template={{len .items}} {{.kind}} {{.metadata}}"],
  ["events", "-n", "shop", "--for", `pod/${CRASHING_POD}`, "-o", "go-template={{range .items}}{{.}}{{end}}"],
  [
    "events",
    "-n",
    "shop",
    "-o",
    "go-template={{range .items}}{{.eventTime}} {{.series}} {{.reportingComponent}}|{{end}}",
  ],
  ["events", "-n", "empty", "-o", "go-template={{.items}}"],
  template("{{.status}}", "pod", "nope", "-n", "shop"),
  template("{{range .items}}{{.metadata.name}}{{end}}", "pods", "-n", "kube-system"),
];

test(`go-template: ${LINES.length} lines print what kubectl prints`, async () => {
  const { answered, fellBack } = await oracle.compare(LINES);
  expect(fellBack).toEqual([]);
  expect(answered).toHaveLength(LINES.length);
});

test("what kubectl fails on, or prints in ways not modelled, is left to it", async () => {
  for (const argv of [
    // An int compared with a string: kubectl's "incompatible types for comparison".
    template('{{if eq .spec.replicas "3"}}three{{end}}', ...FRONTEND),
    template("{{index .items 99}}", ...SHOP_PODS),
    template("{{.metadata.name.first}}", ...FRONTEND),
    template('{{printf "%d" .spec.replicas}}', ...FRONTEND),
    template("{{nosuchfunction .kind}}", ...FRONTEND),
    template('{{define "x"}}y{{end}}{{template "x"}}', ...FRONTEND),
    template("{{.kind", ...FRONTEND),
    template("{{end}}", ...FRONTEND),
    ["get", ...FRONTEND, "-o", "go-template"],
    ["get", ...FRONTEND, "-o", "json", "--template={{.kind}}"],
    ["get", ...FRONTEND, "-o", "go-template={{.kind}}", "--template={{.metadata.name}}"],
  ]) {
    expect((await oracle.gated.native(argv)).output).toBeUndefined();
  }
});
