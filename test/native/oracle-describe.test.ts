/**
 * `kubectl describe` against its oracle (oracle-harness.ts): real kubectl and native reads through
 * the same gate and stand-in, whose cluster here has describe-scenario.ts's `lab` namespace (and a
 * GPU node, a namespace being deleted, jobs, cron jobs, claims, ingresses, autoscalers, network
 * policies, disruption budgets and custom resources) beside the default one. Every pod, Deployment,
 * ReplicaSet, StatefulSet, DaemonSet, Service, Ingress, node, namespace, quota, limit range, Job,
 * CronJob, PersistentVolumeClaim, PersistentVolume, StorageClass, HorizontalPodAutoscaler,
 * NetworkPolicy, PodDisruptionBudget, Endpoints, EndpointSlice, ServiceAccount, Role, ClusterRole, their bindings and custom resource (and Leases, ControllerRevisions and Events, described generically) by name in
 * each way kubectl takes one, all of each namespace, of all namespaces and of selectors, and names that are not there; each line native
 * reads answer must print what kubectl prints, stdout, stderr and exit code (ages count seconds, so
 * the comparison allows either of two kubectl runs around the native one).
 */
import { describe, expect, test } from "bun:test";
import { describeScenario } from "../k8s/describe-scenario";
import { CRASHING_POD, HEALTHY_POD, NODE_NAMES } from "../k8s/scenario";
import { useOracle } from "./oracle-harness";

const PODS = [
  CRASHING_POD,
  HEALTHY_POD,
  "frontend-6b8d9c7f4d-k7m2p",
  "external-secrets-7b9c6d5f8-2xk4m",
  "batch-runner-x7k2p",
  "pending-abc12",
  "evicted-q8w9e",
  "draining-5d6f7",
  "debugged-8c4f2",
];
const NAMESPACE_OF: Record<string, string> = {
  "external-secrets-7b9c6d5f8-2xk4m": "external-secrets",
  "batch-runner-x7k2p": "lab",
  "pending-abc12": "lab",
  "evicted-q8w9e": "lab",
  "draining-5d6f7": "lab",
  "debugged-8c4f2": "lab",
};

/**
 * The lab's objects of one kind: each by name as `TYPE NAME` and as `TYPE/NAME`, then all of them
 * and those a selector picks, in lab, in shop (which has none) and in every namespace.
 */
function labKind(
  [byName, slashed, all, short]: [string, string, string, string],
  names: string[],
  selector: string,
): string[][] {
  return [
    ...names.flatMap((name) => [
      ["describe", byName, name, "-n", "lab"],
      ["describe", `${slashed}/${name}`, "-n", "lab"],
    ]),
    ...[["-n", "lab"], ["-n", "shop"], ["-A"]].flatMap((scope) => [
      ["describe", all, ...scope],
      ["describe", short, ...scope, "-l", selector],
    ]),
  ];
}

const NODES = [...NODE_NAMES, "ip-10-0-3-88.eu-west-1.compute.internal"];

const LINES = [
  ...PODS.flatMap((pod) => {
    const ns = ["-n", NAMESPACE_OF[pod] ?? "shop"];
    return [
      ["describe", "pod", pod, ...ns],
      ["describe", "pods", pod, ...ns],
      ["describe", `po/${pod}`, ...ns],
      ["describe", "pod", pod, "--namespace", "default"],
    ];
  }),
  ...[
    ["-n", "shop"],
    [],
    ["-n", "lab"],
    ["-n", "external-secrets"],
    ["-n", "empty"],
    ["-n", "kube-system"],
    ["-A"],
  ].flatMap((scope) => [
    ["describe", "pods", ...scope],
    ["describe", "pod", ...scope, "-l", "app=frontend"],
    ["describe", "po", ...scope, "-l", "app=nothing"],
  ]),
  ["describe", "pod", "nope", "-n", "shop"],
  ["describe", "pod", "checkout", "-n", "shop"],
  ["describe", "pods", "-n", "lab", "-l", "tier=jobs"],
  // Deployments: each by name, all of each namespace, missing names and prefixes.
  ...[
    ["checkout", "shop"],
    ["frontend", "shop"],
    ["credit-service", "shop"],
    ["external-secrets", "external-secrets"],
    ["batch-runner", "lab"],
    ["coredns", "kube-system"],
  ].flatMap(([name = "", ns = ""]) => [
    ["describe", "deployment", name, "-n", ns],
    ["describe", `deploy/${name}`, "-n", ns],
  ]),
  ...[["-n", "shop"], [], ["-n", "lab"], ["-n", "empty"], ["-n", "kube-system"], ["-A"]].flatMap((scope) => [
    ["describe", "deployments", ...scope],
    ["describe", "deploy", ...scope, "-l", "app=frontend"],
  ]),
  ["describe", "deployment", "nope", "-n", "shop"],
  ["describe", "deployment", "credit", "-n", "shop"],
  // ReplicaSets: current and scaled-down ones, one no Deployment controls, each namespace, selectors.
  ...[
    ["checkout-7d9f8b6c5", "shop"],
    ["checkout-5f6b7c8d9", "shop"],
    ["frontend-6b8d9c7f4d", "shop"],
    ["external-secrets-7b9c6d5f8", "external-secrets"],
    ["batch-runner-6d5c8b7f9", "lab"],
    ["batch-runner-manual", "lab"],
  ].flatMap(([name = "", ns = ""]) => [
    ["describe", "replicaset", name, "-n", ns],
    ["describe", `rs/${name}`, "-n", ns],
  ]),
  ...[["-n", "shop"], [], ["-n", "lab"], ["-n", "empty"], ["-n", "kube-system"], ["-A"]].flatMap((scope) => [
    ["describe", "replicasets", ...scope],
    ["describe", "rs", ...scope, "-l", "app=frontend"],
  ]),
  ["describe", "rs", "nope", "-n", "shop"],
  ["describe", "replicaset", "checkout", "-n", "shop"],
  // Namespaces (cluster-scoped: -n changes nothing): with quotas and limit ranges, one being deleted.
  ...["lab", "shop", "sandbox", "empty", "kube-system", "default"].flatMap((name) => [
    ["describe", "namespace", name],
    ["describe", `ns/${name}`, "-n", "shop"],
  ]),
  ["describe", "namespaces"],
  ["describe", "ns", "-A"],
  ["describe", "ns", "-l", "kubernetes.io/metadata.name=lab"],
  ["describe", "ns", "-l", "app=nothing"],
  ["describe", "ns", "nope"],
  ["describe", "namespace", "sh"],
  // Quotas and limit ranges: each by name, all of a namespace, one of two resources a limit.
  ...[
    ["quota", "lab-compute", "lab"],
    ["resourcequota", "lab-besteffort", "lab"],
    ["quota", "lab-storage", "lab"],
    ["limitrange", "lab-defaults", "lab"],
    ["limits", "sandbox-defaults", "sandbox"],
  ].flatMap(([type = "", name = "", ns = ""]) => [
    ["describe", type, name, "-n", ns],
    ["describe", `${type}/${name}`, "-n", ns],
  ]),
  ...[["-n", "lab"], ["-n", "shop"], ["-A"], ["-n", "kube-system"]].flatMap((scope) => [
    ["describe", "quota", ...scope],
    ["describe", "limitranges", ...scope],
  ]),
  ["describe", "quota", "lab", "-n", "lab"],
  ["describe", "quota", "nope", "-n", "lab"],
  // Services: ClusterIP with ready and not-ready endpoints, none, a LoadBalancer, headless, ExternalName.
  ...[
    ["checkout", "shop"],
    ["frontend", "shop"],
    ["kubernetes", "default"],
    ["kube-dns", "kube-system"],
    ["gateway", "lab"],
    ["headless", "lab"],
    ["external-db", "lab"],
  ].flatMap(([name = "", ns = ""]) => [
    ["describe", "service", name, "-n", ns],
    ["describe", `svc/${name}`, "-n", ns],
  ]),
  ...[["-n", "shop"], ["-n", "lab"], [], ["-A"], ["-n", "empty"]].flatMap((scope) => [
    ["describe", "services", ...scope],
    ["describe", "svc", ...scope, "-l", "app=frontend"],
  ]),
  ["describe", "svc", "nope", "-n", "shop"],
  ["describe", "svc", "front", "-n", "shop"],
  // StatefulSets: a partitioned rolling update with a volume claim and two pods, and one on delete.
  ...labKind(["statefulset", "sts", "statefulsets", "sts"], ["postgres", "cache"], "app=postgres"),
  ["describe", "sts", "nope", "-n", "lab"],
  // DaemonSets: one with a pod not yet available, and all of each namespace.
  ...["log-agent", "legacy-agent"].flatMap((name) => [
    ["describe", "daemonset", name, "-n", "lab"],
    ["describe", `ds/${name}`, "-n", "lab"],
  ]),
  ...[["-n", "lab"], ["-A"], ["-n", "kube-system"]].flatMap((scope) => [
    ["describe", "daemonsets", ...scope],
    ["describe", "ds", ...scope, "-l", "app=log-agent"],
  ]),
  // Jobs: finished under a CronJob, failed, indexed (its completed indexes cut), running under a
  // CronJob with a selector of its own, a work queue, suspended; CronJobs with and without a zone.
  ...labKind(
    ["job", "jobs", "jobs", "job"],
    [
      "report-nightly-29412360",
      "migrate-db",
      "shard-index",
      "cleanup-29412345",
      "queue-workers",
      "export-archive",
    ],
    "team=data",
  ),
  ...labKind(["cronjob", "cj", "cronjobs", "cj"], ["report-nightly", "cleanup"], "team=data"),
  ["describe", "job", "nope", "-n", "lab"],
  ["describe", "job", "report", "-n", "lab"],
  ["describe", "cronjob", "nope", "-n", "lab"],
  // Ingresses: hosts and a catch-all over Services by port name and number, headless, ExternalName
  // and missing ones, TLS with and without a secret; a resource backend; a default backend alone.
  ...labKind(["ingress", "ing", "ingresses", "ing"], ["web", "assets", "fallback"], "app=web"),
  ["describe", "ingress", "nope", "-n", "lab"],
  ["describe", "ingress.networking.k8s.io/we", "-n", "lab"],
  ["describe", "ingress.networking.k8s.io", "we", "-n", "lab"],
  // A prefix is looked for only when the name is its own argument: TYPE/NAME not found is an error.
  ["describe", "pod/batch", "-n", "lab"],
  ["describe", "deploy/credit", "-n", "shop"],
  // Autoscalers: resource, pods, external, object and container metrics, read or not, a behaviour.
  ...labKind(
    ["hpa", "horizontalpodautoscaler", "horizontalpodautoscalers", "hpa"],
    ["rolling-web", "queue-scaler", "batch-runner"],
    "team=web",
  ),
  ["describe", "hpa", "nope", "-n", "lab"],
  ["describe", "hpa.autoscaling", "queue", "-n", "lab"],
  // Network policies: isolating both ways, ingress from peers of each kind on ports and a range,
  // egress to DNS, an open address block and anywhere on one port; selectors with expressions.
  ...labKind(
    ["networkpolicy", "netpol", "networkpolicies", "netpol"],
    ["default-deny", "web-allow", "dns-egress"],
    "team=platform",
  ),
  ["describe", "netpol", "nope", "-n", "lab"],
  // Disruption budgets: by number and by percentage, a selector expression, one matching no pod.
  ...labKind(
    ["pdb", "poddisruptionbudget", "poddisruptionbudgets", "pdb"],
    ["postgres-pdb", "web-pdb", "orphan-pdb"],
    "team=platform",
  ),
  ["describe", "pdb", "web", "-n", "lab"],
  // Claims: bound and provisioned, waiting for its pod, bound in two modes from a snapshot with a
  // resize pending, and one being deleted that an evicted pod still holds.
  ...labKind(
    ["pvc", "persistentvolumeclaim", "persistentvolumeclaims", "pvc"],
    ["data-postgres-0", "data-postgres-1", "worker-data", "old-scratch"],
    "app=postgres",
  ),
  ["describe", "pvc", "nope", "-n", "lab"],
  ["describe", "pvc", "data", "-n", "lab"],
  // Nodes (their Leases are in kube-node-lease, which this gate denies: kubectl says so).
  ...NODES.flatMap((name) => [
    ["describe", "node", name],
    ["describe", `no/${name}`, "-n", "shop"],
  ]),
  ["describe", "nodes"],
  ["describe", "nodes", "-l", "kubernetes.io/role=worker"],
  ["describe", "node", "nope"],
  ["describe", "node", "ip-10-0-3"],
  // Persistent volumes (CSI with attributes and node affinity, hostPath, local pinned to a node,
  // released NFS with a message and an event, one being deleted) and storage classes (the default
  // with parameters and topologies, one with mount options, a bare one); both cluster-scoped.
  ...["pv", "persistentvolume", "persistentvolumes"].flatMap((type) => [
    ["describe", type],
    ["describe", type, "-l", "team=platform"],
  ]),
  ...["local-cache", "local-ssd", "shared-nfs"].flatMap((name) => [
    ["describe", "pv", name],
    ["describe", `pv/${name}`, "-n", "lab"],
  ]),
  ["describe", "pv", "local"],
  ["describe", "pv", "nope"],
  ["describe", "pv", "-A"],
  ...["gp3", "standard", "manual"].flatMap((name) => [
    ["describe", "storageclass", name],
    ["describe", `sc/${name}`],
  ]),
  ["describe", "sc"],
  ["describe", "storageclasses.storage.k8s.io", "-A"],
  ["describe", "sc", "nope"],
  ["describe", "sc", "g"],
  // Priority classes (the API server's own two, a global default, one never preempting with a
  // description and annotations) and ingress classes (parameters with and without a group, none;
  // labels; an event), cluster-scoped, named every way.
  ...["system-node-critical", "standard", "batch-high"].flatMap((name) => [
    ["describe", "priorityclass", name],
    ["describe", `pc/${name}`],
  ]),
  ["describe", "pc"],
  ["describe", "priorityclasses.scheduling.k8s.io", "-A", "-l", "team=platform"],
  ["describe", "pc", "nope"],
  ["describe", "pc", "system"],
  ...["nginx", "alb", "traefik"].flatMap((name) => [
    ["describe", "ingressclass", name],
    ["describe", `ingressclasses.networking.k8s.io/${name}`],
  ]),
  ["describe", "ingressclasses", "-n", "lab"],
  ["describe", "ingressclass", "-l", "app.kubernetes.io/name=traefik"],
  ["describe", "ingressclass", "ng"],
  // Several types and categories, each object of each in turn, two blank lines apart.
  ["describe", "all", "-n", "shop"],
  ["describe", "all", "-n", "lab"],
  ["describe", "all", "-n", "empty"],
  ["describe", "pods,svc", "-n", "shop"],
  ["describe", "svc,pods,svc", "-n", "shop"],
  ["describe", "pods,deploy", "-A", "-l", "app=frontend"],
  ["describe", "cert-manager", "-n", "lab"],
  ["describe", "cert-manager", "-A"],
  ["describe", "priorityclass,ingressclass"],
  ["describe", "pods,pdos", "-n", "shop"],
  // CustomResourceDefinitions, which kubectl describes generically: nested schemas, printer columns.
  ["describe", "crd", "certificates.cert-manager.io"],
  ["describe", "crds"],
  // ConfigMaps of one key (each namespace's CA bundle, the lab's settings with a binary file; more
  // keys kubectl prints in Go's random order, so those run kubectl).
  ["describe", "configmap", "kube-root-ca.crt", "-n", "shop"],
  ["describe", "cm/app-settings", "-n", "lab"],
  ["describe", "configmaps", "-n", "lab", "-l", "tier=jobs"],
  ["describe", "cm", "kube-root", "-n", "default"],
  ["describe", "cm", "nope", "-n", "lab"],
  ["describe", "cm", "-n", "empty"],
  // Kinds kubectl has no describer of its own for, which its generic describer prints whole:
  // custom resources (Certificates, a cluster-scoped ClusterIssuer, a Canary with fractions, nulls
  // and a multi-line script), named every way, and built-in Leases, ControllerRevisions and Events.
  ...labKind(["certificate", "cert", "certificates", "certs"], ["web-tls", "api-tls"], "app=web"),
  ["describe", "certificates.cert-manager.io", "-A"],
  ["describe", "cert.cert-manager.io/web-tls", "-n", "lab"],
  ["describe", "certificates.v1.cert-manager.io", "api-tls", "-n", "lab"],
  ["describe", "cert", "nope", "-n", "lab"],
  ["describe", "cert", "we", "-n", "lab"],
  ["describe", "clusterissuer", "letsencrypt"],
  ["describe", "clusterissuers", "-n", "lab"],
  ["describe", "clusterissuers", "-l", "team=platform"],
  ["describe", "clusterissuer", "lets"],
  ["describe", "clusterissuer/lets"],
  ["describe", "canary", "podinfo", "-n", "lab"],
  ["describe", "canaries", "-A"],
  ["describe", "canaries.flagger.app/podinfo", "-n", "lab"],
  ["describe", "leases", "-A"],
  ["describe", "lease", "-n", "kube-node-lease"],
  ["describe", "controllerrevisions", "-n", "lab"],
  ["describe", "controllerrevision", "cache-7d4b9c8f6", "-n", "lab"],
  ["describe", "events", "-n", "shop"],
  ["describe", "ev", "-n", "lab", "-l", "app=nothing"],
  // RBAC: Roles whose rules kubectl breaks down, merges and sorts (verbs given twice, names, a
  // subresource, two groups, a rule granting nothing, none at all), bootstrap ClusterRoles (every
  // resource and URL; URLs alone) named with colons, an aggregated one; bindings of each subject kind.
  ...labKind(["role", "role", "roles", "roles"], ["pod-reader", "deployer", "placeholder"], "team=platform"),
  ...labKind(
    ["rolebinding", "rolebinding", "rolebindings", "rolebinding"],
    ["read-pods", "lab-metrics"],
    "team=platform",
  ),
  ["describe", "roles.rbac.authorization.k8s.io", "pod", "-n", "lab"],
  ["describe", "role", "nope", "-n", "lab"],
  ...["cluster-admin", "system:discovery", "monitoring"].flatMap((name) => [
    ["describe", "clusterrole", name],
    ["describe", `clusterroles.rbac.authorization.k8s.io/${name}`],
  ]),
  ["describe", "clusterroles"],
  ["describe", "clusterrole", "-l", "team=platform"],
  ["describe", "clusterrole", "system"],
  ["describe", "clusterrole", "nope"],
  ...["cluster-admin", "system:discovery", "monitoring"].map((name) => [
    "describe",
    "clusterrolebinding",
    name,
  ]),
  ["describe", "clusterrolebindings", "-n", "lab"],
  ["describe", "clusterrolebinding/system", "-n", "lab"],
  // Endpoints, as the endpoints controller keeps them beside the slices: ready and not-ready
  // addresses on two named ports, a headless service's without ports, one with only a pod not ready.
  ...labKind(["endpoints", "ep", "endpoints", "ep"], ["gateway", "headless"], "app=gateway"),
  ["describe", "ep", "-n", "shop"],
  ["describe", "endpoints", "checkout", "-n", "shop"],
  ["describe", "ep", "nope", "-n", "lab"],
  ["describe", "ep", "gate", "-n", "lab"],
  // EndpointSlices: ready and not-ready endpoints on two ports, none on a headless service's, and the
  // default cluster's with their pods, nodes and zones.
  ...labKind(
    ["endpointslice", "endpointslices", "endpointslices", "endpointslices"],
    ["gateway-q7x2m", "headless-w4k9d"],
    "kubernetes.io/service-name=gateway",
  ),
  ["describe", "endpointslices", "-n", "shop"],
  ["describe", "endpointslices.discovery.k8s.io", "-A", "-l", "kubernetes.io/service-name=checkout"],
  ["describe", "endpointslice", "gate", "-n", "lab"],
  // ServiceAccounts (a cloud role annotation, pull secrets, one gone, mounted token Secrets): the
  // gate refuses the namespace's Secrets here, which the describer tolerates.
  ...labKind(["serviceaccount", "sa", "serviceaccounts", "sa"], ["web", "ci", "builder"], "team=platform"),
  ["describe", "sa", "-n", "pipelines"],
  ["describe", "sa", "nope", "-n", "lab"],
  ["describe", "sa", "build", "-n", "lab"],
];

const oracle = useOracle({ scenario: describeScenario() });

describe("describe prints what kubectl prints", () => {
  test(`${LINES.length} describe lines over every kind native describe answers, namespace and selector`, async () => {
    const { answered } = await oracle.compare(LINES);
    console.log(`native reads answered ${answered.length} of ${LINES.length} describe command lines`);
    expect(answered.length).toBeGreaterThanOrEqual(LINES.length / 2);
  }, 240_000);
});

describe("describe --show-events prints what kubectl prints", () => {
  // A quarter of the lines above, every kind among them, with the events switched off (and a few on).
  const quiet = LINES.filter((_, i) => i % 4 === 0).map((line) => [...line, "--show-events=false"]);
  const lines = [...quiet, ...LINES.filter((_, i) => i % 20 === 1).map((line) => [...line, "--show-events"])];
  test(`${lines.length} describe lines with --show-events`, async () => {
    const { answered } = await oracle.compare(lines);
    console.log(`native reads answered ${answered.length} of ${lines.length} describe --show-events lines`);
    expect(answered.length).toBeGreaterThanOrEqual(lines.length / 2);
    const kinds = new Set(
      answered.filter((line) => line.endsWith("=false")).map((line) => line.split(" ")[1]),
    );
    expect(kinds.size).toBeGreaterThanOrEqual(10);
  }, 240_000);

  test("with --show-events=false no event is searched for, and no Events section printed", async () => {
    const { requests } = oracle.standin;
    const before = requests.length;
    const { output } = await oracle.gated.native([
      "describe",
      "pod",
      CRASHING_POD,
      "-n",
      "shop",
      "--show-events=false",
    ]);
    expect(output?.exitCode).toBe(0);
    expect(output?.stdout).not.toContain("Events:");
    expect(requests.slice(before).filter((r) => r.pathname.endsWith("/events"))).toEqual([]);
    const shown = await oracle.gated.native(["describe", "pod", CRASHING_POD, "-n", "shop"]);
    expect(shown.output?.stdout).toContain("Events:");
  });
});

// A gate that denies no namespace and restricts no resource: the nodes' Leases are read, and
// kube-system's pods counted; a service account's describer lists its namespace's Secrets, whose data
// the gate redacts with markers kubectl still decodes (the lab's tokens found; the pipelines
// namespace's Secrets hold no data: a token found, a pull secret marked not found).
const open = useOracle({ scenario: describeScenario(), deniedNamespaces: [], restrictedResources: [] });

describe("describe node and serviceaccount print what kubectl prints where Leases and Secrets can be read", () => {
  const lines = [
    ...NODES.map((name) => ["describe", "node", name]),
    ["describe", "nodes"],
    ["describe", "nodes", "--show-events=false"],
    ["describe", "sa", "-n", "lab"],
    ["describe", "sa", "deployer", "-n", "pipelines"],
    ["describe", "sa", "-A", "-l", "team=platform"],
  ];
  test(`${lines.length} describe lines through a gate that denies no namespace and restricts no resource`, async () => {
    const { answered } = await open.compare(lines);
    console.log(
      `native reads answered ${answered.length} of ${lines.length} describe node and serviceaccount lines`,
    );
    expect(answered.length).toBe(lines.length);
    const [first] = NODES;
    const { output } = await open.gated.native(["describe", "node", first as string]);
    expect(output?.stdout).toContain(`HolderIdentity:  ${first}`);
    // The lists the describer decoded: tokens found, a pull secret missing.
    const account = await open.gated.native(["describe", "sa", "deployer", "-n", "pipelines"]);
    expect(account.output?.stdout).toContain("gone-registry (not found)");
    const web = await open.gated.native(["describe", "sa", "web", "-n", "lab"]);
    expect(web.output?.stdout).toMatch(/^Tokens: +web-token-x7k2p$/m);
  }, 240_000);
});

// kubectl walks a ConfigMap's and a Secret's keys in Go's random map order; native reads print them
// in byte order, one of kubectl's orders, and kubectl's output is put in that order before comparing.
describe("ConfigMaps and Secrets of several keys print what kubectl prints, keys in byte order", () => {
  test("ConfigMaps: data blocks (multi-line, unicode, YAML-looking values) and binary lines", async () => {
    const lines = [
      ["describe", "cm", "-n", "lab"],
      ["describe", "configmap", "yaml-scalars", "-n", "lab"],
      ["describe", "configmaps", "-n", "shop"],
      ["describe", "cm", "-A", "-l", "tier=jobs"],
      ["describe", "all,cm", "-n", "shop"],
    ];
    const { answered } = await oracle.compare(lines);
    expect(answered.length).toBe(lines.length);
  }, 120_000);

  test("Secrets, their data redacted by the gate: sizes, a token as its marker", async () => {
    const lines = [
      ["describe", "secrets", "-n", "lab"],
      ["describe", "secret", "web-token-x7k2p", "-n", "lab"],
      ["describe", "secret/registry-creds", "-n", "lab"],
      ["describe", "secrets", "-n", "pipelines"],
      ["describe", "secrets", "-A"],
      ["describe", "secret", "nope", "-n", "lab"],
    ];
    const { answered } = await open.compare(lines);
    expect(answered.length).toBe(lines.length);
    const { output } = await open.gated.native(["describe", "secret", "web-token-x7k2p", "-n", "lab"]);
    expect(output?.stdout).toMatch(/^token: +\[REDACTED:secret-data\]$/m);
  }, 120_000);
});

// The lab's batch objects, claims, ingresses and custom resources through `get`, which reads the API
// server's own Table for them (for a custom resource, its CRD's printer columns), and as YAML, where the jobs' container args (--flag=value) are strings that begin with a sign and
// annotations and scripts span lines.
describe("get jobs, cron jobs, claims, ingresses and custom resources prints what kubectl prints", () => {
  const lines = [
    ...[["-n", "lab"], ["-A"], ["-n", "shop"]].flatMap((scope) => [
      ["get", "jobs", ...scope],
      ["get", "jobs", ...scope, "-o", "wide"],
      ["get", "cronjobs", ...scope],
      ["get", "cj", ...scope, "-o", "wide"],
      ["get", "jobs,cronjobs", ...scope, "-l", "team=data"],
    ]),
    ["get", "all", "-n", "lab"],
    ["get", "job", "migrate-db", "-n", "lab", "-o", "yaml"],
    ["get", "cronjob/cleanup", "-n", "lab", "-o", "json"],
    ["get", "jobs", "-n", "lab", "-o", "name"],
    ["get", "job", "nope", "-n", "lab"],
    ["get", "pvc", "-n", "lab"],
    ["get", "ingress", "-n", "lab"],
    ["get", "ing", "-A", "-o", "wide"],
    ["get", "hpa", "-n", "lab"],
    ["get", "netpol", "-A"],
    ["get", "pdb", "-n", "lab"],
    ["get", "pvc", "-A", "-o", "wide"],
    ["get", "configmap", "yaml-scalars", "-n", "lab", "-o", "yaml"],
    ["get", "configmap", "yaml-scalars", "-n", "lab", "-o", "json"],
    // Multi-line strings as literal blocks: last-applied-configuration, long annotations, scripts.
    ["get", "deploy", "rolling-web", "-n", "lab", "-o", "yaml"],
    ["get", "pods", "-n", "lab", "-o", "yaml"],
    ["get", "all", "-n", "lab", "-o", "yaml"],
    ["get", "pv"],
    ["get", "pv", "-o", "wide", "-l", "type=local"],
    ["get", "sc"],
    ["get", "sc", "gp3", "-o", "yaml"],
    // Priority and ingress classes by the API server's printers; CRDs by the default one.
    ["get", "priorityclasses"],
    ["get", "pc", "-o", "wide", "--sort-by=.value"],
    ["get", "pc", "batch-high", "-o", "yaml"],
    ["get", "ingressclasses"],
    ["get", "ingressclass", "nginx", "-o", "wide"],
    ["get", "crd"],
    ["get", "crds", "-o", "name"],
    ["get", "crd", "canaries.flagger.app", "-o", "yaml"],
    // Categories the CRDs declare, expanded from discovery as kubectl expands them.
    ["get", "cert-manager", "-n", "lab"],
    ["get", "cert-manager", "-A", "-o", "wide"],
    ["get", "cert-manager,pods", "-n", "lab", "-o", "name"],
    ["get", "api-extensions"],
    // Custom resources, whose Table the CRD's printer columns make.
    ["get", "certificates", "-n", "lab"],
    ["get", "cert", "-A", "-o", "wide"],
    ["get", "clusterissuers"],
    ["get", "canaries", "-n", "lab", "-o", "wide"],
    // RBAC: Roles and ClusterRoles by the default Table, bindings with their subjects in -o wide.
    ["get", "roles,rolebindings", "-n", "lab"],
    ["get", "rolebindings", "-A", "-o", "wide"],
    ["get", "clusterroles"],
    ["get", "clusterrolebindings", "-o", "wide", "-l", "team=platform"],
    ["get", "clusterrole", "system:discovery", "-o", "yaml"],
    ["get", "sa", "-A"],
    // Endpoints: the first three addresses on each port, then how many more; one with none ready.
    ["get", "ep", "-A"],
    ["get", "endpoints", "gateway", "-n", "lab", "-o", "yaml"],
    // Sorted by quantities (by value: 1Gi after 500Mi) and by addresses (by bytes: no quantities).
    ["get", "pvc", "-A", "--sort-by=.spec.resources.requests.storage"],
    ["get", "nodes", "--sort-by=.status.allocatable.memory", "-o", "name"],
    ["get", "pods", "-n", "lab", "-o", "wide", "--sort-by=.status.hostIP"],
    // Numbers with a fraction, printed by each of Go's routes: encoding/json, goyaml's %g and fmt's %v.
    // Text beyond ASCII in cells: a certificate's status, an event's message with an emoji.
    ["get", "events", "-n", "lab"],
    ["events", "-n", "lab"],
    ["get", "canary", "podinfo", "-n", "lab", "-o", "yaml"],
    ["get", "canary", "podinfo", "-n", "lab", "-o", "json"],
    [
      "get",
      "canaries",
      "-n",
      "lab",
      "-o",
      "jsonpath={.items[0].spec.analysis.metrics[*].thresholdRange.max}",
    ],
    ["get", "canaries", "-n", "lab", "-o", "jsonpath={.items[0].spec.analysis.metrics}"],
    [
      "get",
      "canaries",
      "-n",
      "lab",
      "-o",
      "custom-columns=NAME:.metadata.name,RANGE:.spec.analysis.metrics[*].thresholdRange",
    ],
  ];
  test(`${lines.length} get lines over the lab's jobs, cron jobs, claims, ingresses and custom resources`, async () => {
    const { answered } = await oracle.compare(lines);
    console.log(
      `native reads answered ${answered.length} of ${lines.length} get lines of the lab's other kinds`,
    );
    expect(answered.length).toBe(lines.length);
  }, 240_000);
});
