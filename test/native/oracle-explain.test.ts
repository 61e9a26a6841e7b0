/**
 * `kubectl explain` answered natively, held to real kubectl through the same gate and stand-in,
 * which serves OpenAPI v3 documents shaped as a real API server's (test/k8s/openapi.ts). Lines cover
 * kinds by plural, singular, short name, kind and with their group, field paths through references,
 * lists and maps, fields with enums (of more than four values, one of them empty) and defaults,
 * required fields, IntOrString and Quantity, `--recursive` (whole kinds and below a field), a
 * custom resource whose schema keeps unknown fields, CustomResourceDefinitions down to JSONSchemaProps
 * (which refers to itself: the cycle kubectl's template stops at), a name two groups serve (pods and nodes, also
 * metrics), a kind served at two versions, `--api-version`, `-o plaintext`, and kubectl's errors
 * for a field that does not exist and a group-version with no document.
 */
import { expect, test } from "bun:test";
import { describeScenario } from "../k8s/describe-scenario";
import { useOracle } from "./oracle-harness";

const oracle = useOracle({ scenario: describeScenario() });
const explain = (...args: string[]) => ["explain", ...args];

const LINES = [
  explain("pods"),
  explain("pod"),
  explain("Pod"),
  explain("Pods.spec.restartPolicy"),
  explain("Deployment.spec"),
  explain("po.spec"),
  explain("pods.spec.containers"),
  explain("pods.spec.containers.name"),
  explain("pods.spec.containers.imagePullPolicy"),
  explain("pods.spec.containers.ports.protocol"),
  explain("pods.spec.volumes.hostPath.type"),
  explain("pods.spec.volumes.hostPath"),
  explain("pods.spec.containers.resources.limits"),
  explain("pods.spec.containers.readinessProbe.httpGet.port"),
  explain("pods.spec.overhead"),
  explain("pods.metadata"),
  explain("pods.metadata.labels"),
  explain("pods.metadata.creationTimestamp"),
  explain("pods.status.phase"),
  explain("pods.kind"),
  explain("pods", "--recursive"),
  explain("pods.spec.containers", "--recursive=true"),
  explain("pods", "--recursive=false"),
  explain("pods", "-o", "plaintext"),
  explain("pods.spec", "--api-version=v1"),
  explain("pods.spec.nope"),
  explain("pods.nope.deeper"),
  explain("pods.spec.containers.env.valueFrom"),
  explain("deploy"),
  explain("deployments.apps"),
  explain("deployments.apps.spec.strategy"),
  explain("deployments.appsx.spec"),
  explain("deployment.spec.strategy.type"),
  explain("deploy.spec", "--recursive"),
  explain("deployments.spec.template.spec.containers.resources.requests"),
  explain("deployments", "--api-version=apps/v1"),
  explain("deployments", "--api-version=apps/v2"),
  explain("svc"),
  explain("svc.spec.ports"),
  explain("svc.spec.ports.targetPort"),
  explain("services.spec.type"),
  explain("svc", "--recursive"),
  explain("cm"),
  explain("configmaps.data"),
  explain("configmaps.binaryData"),
  explain("nodes"),
  explain("nodes.spec"),
  explain("no", "--recursive"),
  explain("hpa"),
  explain("horizontalpodautoscalers.autoscaling.spec"),
  explain("jobs.spec"),
  explain("certificates"),
  explain("certificates.spec"),
  explain("cert", "--recursive"),
  explain("canaries"),
  explain("crd"),
  explain("crd", "--recursive"),
  explain("customresourcedefinitions.spec.versions.schema.openAPIV3Schema"),
  explain("crd.spec.versions.schema.openAPIV3Schema.properties"),
  explain("crd.spec.versions.schema.openAPIV3Schema.properties.properties.type"),
  explain("crd.spec.versions.schema.openAPIV3Schema.items"),
];

test(`explain: ${LINES.length} lines print what kubectl prints`, async () => {
  const { answered, fellBack } = await oracle.compare(LINES);
  expect(fellBack).toEqual([]);
  expect(answered).toHaveLength(LINES.length);
});

test("kubectl's errors reach the caller, after what it printed first", async () => {
  const missing = await oracle.gated.native(explain("pods.spec.nope"));
  expect(missing.output?.exitCode).toBe(1);
  expect(missing.output?.stdout).toStartWith("KIND:");
  expect(missing.output?.stderr).toContain('"nope"');
  const unserved = await oracle.gated.native(explain("deployments", "--api-version=apps/v2"));
  expect(unserved.output).toMatchObject({ stdout: "", exitCode: 1 });
});

test("a document is read once, then only the index again", async () => {
  const { requests } = oracle.standin;
  await oracle.gated.native(explain("cm"));
  const before = requests.length;
  const again = await oracle.gated.native(explain("configmaps.data"));
  expect(again.output?.exitCode).toBe(0);
  const read = requests.slice(before).map((r) => r.pathname);
  expect(read).toContain("/openapi/v3");
  expect(read.filter((path) => path.startsWith("/openapi/v3/"))).toEqual([]);
});

test("only the last four group-versions asked about are kept", async () => {
  const { requests } = oracle.standin;
  const documentsRead = async (type: string) => {
    const before = requests.length;
    expect((await oracle.gated.native(explain(type))).output?.exitCode).toBe(0);
    return requests.slice(before).filter((r) => r.pathname.startsWith("/openapi/v3/")).length;
  };
  for (const type of ["cm", "deploy", "jobs", "hpa", "cm"]) await documentsRead(type);
  // cm was asked about last but one, so the fifth group-version drops deploy's document, not its.
  expect(await documentsRead("certificates")).toBe(1);
  expect(await documentsRead("cm")).toBe(0);
  expect(await documentsRead("deploy")).toBe(1);
});

test("what kubectl's JSONPath would read its own way, and other outputs, are left to kubectl", async () => {
  for (const argv of [
    explain("pods."),
    explain("pods[0]"),
    explain("pods", "-o", "plaintext-openapiv2"),
    explain("pods", "extra"),
    explain("pods", "--api-version=apps/v1/x"),
    explain("nosuchtype"),
  ]) {
    expect((await oracle.gated.native(argv)).output).toBeUndefined();
  }
});
