// Custom resources in `lab`, shaped for what kubectl's generic describer prints (every field, keys
// sorted, names made labels, lists of maps and of values, nulls, empty maps and lists, multi-line
// strings, integers and numbers with a fraction): cert-manager Certificates (one issued, one
// waiting for its Secret, with the controllers' events) and a ClusterIssuer (cluster-scoped), and a
// Flagger Canary mid-analysis with its thresholds; and the CustomResourceDefinitions of the three.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const LAB = "lab";

const condition = (
  b: FixtureBuilder,
  type: string,
  status: string,
  reason: string,
  message: string,
  ago: number,
) => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: b.ago(ago),
  observedGeneration: 1,
});

function certificates(b: FixtureBuilder): KubeObject[] {
  const issued = b.add({
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: {
      ...b.meta("Certificate", "web-tls", LAB, 40 * DAY),
      generation: 1,
      labels: { app: "web", team: "web" },
      annotations: { "cert-manager.io/issue-temporary-certificate": "true" },
    },
    spec: {
      secretName: "web-tls",
      dnsNames: ["web.lab.example.com", "www.lab.example.com"],
      duration: "2160h0m0s",
      renewBefore: "360h0m0s",
      issuerRef: { name: "letsencrypt", kind: "ClusterIssuer", group: "cert-manager.io" },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      usages: ["digital signature", "key encipherment", "server auth"],
      isCA: false,
      secretTemplate: { labels: { "app.kubernetes.io/part-of": "web" } },
    },
    status: {
      conditions: [
        condition(
          b,
          "Ready",
          "True",
          "Ready",
          "Certificat à jour — valide jusqu’au renouvellement",
          10 * DAY,
        ),
      ],
      notBefore: b.ago(10 * DAY),
      notAfter: b.ago(-80 * DAY),
      renewalTime: b.ago(-65 * DAY),
      revision: 3,
    },
  });
  const waiting = b.add({
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { ...b.meta("Certificate", "api-tls", LAB, 3 * MIN), generation: 1, labels: { app: "api" } },
    spec: {
      secretName: "api-tls",
      commonName: "api.lab.example.com",
      dnsNames: ["api.lab.example.com"],
      issuerRef: { name: "lab-ca", kind: "Issuer" },
      subject: { organizations: ["Example Ltd"] },
    },
    status: {
      conditions: [
        condition(
          b,
          "Ready",
          "False",
          "DoesNotExist",
          "Issuing certificate as Secret does not exist",
          3 * MIN,
        ),
        condition(
          b,
          "Issuing",
          "True",
          "DoesNotExist",
          "Issuing certificate as Secret does not exist",
          3 * MIN,
        ),
      ],
      nextPrivateKeySecretName: "api-tls-7x2kq",
      failedIssuanceAttempts: 1,
      lastFailureTime: b.ago(2 * MIN),
    },
  });
  const event = (reason: string, message: string, component: string, ago: number, type?: "Warning") =>
    b.event({
      namespace: LAB,
      involved: waiting,
      reason,
      message,
      component,
      firstAgo: ago,
      ...(type ? { type } : {}),
    });
  return [
    issued,
    waiting,
    event(
      "Issuing",
      "Issuing certificate as Secret does not exist",
      "cert-manager-certificates-trigger",
      180,
    ),
    event(
      "Generated",
      'Stored new private key in temporary Secret resource "api-tls-7x2kq"',
      "cert-manager-certificates-key-manager",
      179,
    ),
    event(
      "Requested",
      'Created new CertificateRequest resource "api-tls-1"',
      "cert-manager-certificates-request-manager",
      179,
    ),
    event("Failed", 'Issuer "lab-ca" not found', "cert-manager-certificates-issuing", 120, "Warning"),
  ];
}

function clusterIssuer(b: FixtureBuilder): KubeObject {
  const spec = {
    acme: {
      server: "https://acme-v02.api.letsencrypt.org/directory",
      email: "platform@example.com",
      privateKeySecretRef: { name: "letsencrypt-account" },
      solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
    },
  };
  return b.add({
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: {
      ...b.meta("ClusterIssuer", "letsencrypt", undefined, 90 * DAY),
      generation: 1,
      labels: { team: "platform" },
      annotations: {
        "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify({
          apiVersion: "cert-manager.io/v1",
          kind: "ClusterIssuer",
          metadata: { annotations: {}, name: "letsencrypt" },
          spec,
        })}\n`,
      },
    },
    spec,
    status: {
      acme: {
        uri: "https://acme-v02.api.letsencrypt.org/acme/acct/1234567890",
        lastRegisteredEmail: "platform@example.com",
        lastPrivateKeyHash: "x2fSOo6gW0C+S7Hgs4Kmq3I0UgOHbTRWn1SDm2kHxyI=",
      },
      conditions: [
        condition(
          b,
          "Ready",
          "True",
          "ACMEAccountRegistered",
          "The ACME account was registered with the ACME server",
          90 * DAY,
        ),
      ],
    },
  });
}

function canary(b: FixtureBuilder): KubeObject[] {
  const podinfo = b.add({
    apiVersion: "flagger.app/v1beta1",
    kind: "Canary",
    metadata: {
      ...b.meta("Canary", "podinfo", LAB, 2 * HOUR),
      generation: 4,
      labels: { app: "podinfo" },
      // Past describe's 140 bytes in UTF-8 though not in characters: kubectl counts and cuts bytes.
      annotations: { "example.com/notes": `xx${"é".repeat(80)}` },
    },
    spec: {
      targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "podinfo" },
      progressDeadlineSeconds: 60,
      skipAnalysis: false,
      autoscalerRef: null,
      service: {
        port: 9898,
        targetPort: 9898,
        gateways: ["public-gateway.istio-system.svc.cluster.local"],
        hosts: ["app.example.com"],
        retries: { attempts: 3, perTryTimeout: "1s" },
      },
      analysis: {
        interval: "1m",
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        alerts: [],
        metrics: [
          { name: "request-success-rate", thresholdRange: { min: 99.5 }, interval: "1m" },
          { name: "request-duration", thresholdRange: { max: 500 }, interval: "30s" },
          { name: "error-budget-burn", thresholdRange: { max: 0.00001 }, interval: "1m" },
          { name: "bytes-per-request", thresholdRange: { max: 1234567.5 }, interval: "1m" },
        ],
        webhooks: [
          {
            name: "smoke",
            type: "pre-rollout",
            url: "http://flagger-loadtester.test/",
            timeout: "15s",
            metadata: {
              type: "bash",
              cmd: "curl -sf http://podinfo-canary.test:9898/healthz\ncurl -sf http://podinfo-canary.test:9898/readyz\n",
            },
          },
          {
            name: "load-test",
            url: "http://flagger-loadtester.test/",
            timeout: "5s",
            metadata: { cmd: "hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/" },
          },
        ],
      },
    },
    status: {
      phase: "Progressing",
      canaryWeight: 20,
      failedChecks: 0,
      iterations: 0,
      lastAppliedSpec: "5d8c9b7f6",
      lastTransitionTime: b.ago(4 * MIN),
      trackedConfigs: {},
      conditions: [
        {
          type: "Promoted",
          status: "Unknown",
          reason: "Progressing",
          message: "New revision detected, progressing canary analysis.",
          lastUpdateTime: b.ago(4 * MIN),
          lastTransitionTime: b.ago(4 * MIN),
        },
      ],
    },
  });
  const synced = (message: string, ago: number) =>
    b.event({
      namespace: LAB,
      involved: podinfo,
      reason: "Synced",
      message,
      component: "flagger",
      firstAgo: ago,
    });
  return [
    podinfo,
    synced("New revision detected! Scaling up podinfo.lab", 5 * MIN),
    synced("Starting canary analysis for podinfo.lab", 4 * MIN),
    synced("Advance podinfo.lab canary weight 20", 60),
    // Text beyond ASCII, an emoji beyond the BMP among it: one column a code point, as Go counts.
    synced("Poids du canari : 10 → 20 ✅", 30),
  ];
}

interface Definition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  columns: Record<string, unknown>[];
  createdAgo: number;
  meta?: Record<string, unknown>;
}

const readyColumn = (name: string, field: string, priority?: number) => ({
  jsonPath: `.status.conditions[?(@.type=="Ready")].${field}`,
  name,
  ...(priority !== undefined ? { priority } : {}),
  type: "string",
});
const ageColumn = { jsonPath: ".metadata.creationTimestamp", name: "Age", type: "date" };

/** The CustomResourceDefinition of one kind above, as the API server returns it once established. */
function definition(b: FixtureBuilder, d: Definition): KubeObject {
  const names = {
    ...(d.categories.length > 0 ? { categories: d.categories } : {}),
    kind: d.kind,
    listKind: `${d.kind}List`,
    plural: d.plural,
    ...(d.shortNames.length > 0 ? { shortNames: d.shortNames } : {}),
    singular: d.kind.toLowerCase(),
  };
  const name = `${d.plural}.${d.group}`;
  const accepted = (type: string, reason: string, message: string) => ({
    lastTransitionTime: b.ago(d.createdAgo),
    message,
    reason,
    status: "True",
    type,
  });
  return b.add({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      ...b.meta("CustomResourceDefinition", name, undefined, d.createdAgo),
      generation: 1,
      ...d.meta,
    },
    spec: {
      conversion: { strategy: "None" },
      group: d.group,
      names,
      scope: d.namespaced ? "Namespaced" : "Cluster",
      versions: [
        {
          additionalPrinterColumns: d.columns,
          name: d.version,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          served: true,
          storage: true,
          subresources: { status: {} },
        },
      ],
    },
    status: {
      acceptedNames: names,
      conditions: [
        accepted("NamesAccepted", "NoConflicts", "no conflicts found"),
        accepted("Established", "InitialNamesAccepted", "the initial names have been accepted"),
      ],
      storedVersions: [d.version],
    },
  });
}

/** The definitions of the kinds above, with the printer columns the stand-in prints them by. */
function definitions(b: FixtureBuilder): KubeObject[] {
  const certManager = {
    labels: { "app.kubernetes.io/instance": "cert-manager", "app.kubernetes.io/name": "cert-manager" },
    annotations: { "helm.sh/resource-policy": "keep" },
  };
  return [
    definition(b, {
      group: "cert-manager.io",
      version: "v1",
      kind: "Certificate",
      plural: "certificates",
      namespaced: true,
      shortNames: ["cert", "certs"],
      categories: ["cert-manager"],
      columns: [
        readyColumn("Ready", "status"),
        { jsonPath: ".spec.secretName", name: "Secret", type: "string" },
        { jsonPath: ".spec.issuerRef.name", name: "Issuer", priority: 1, type: "string" },
        readyColumn("Status", "message", 1),
        ageColumn,
      ],
      createdAgo: 90 * DAY,
      meta: certManager,
    }),
    definition(b, {
      group: "cert-manager.io",
      version: "v1",
      kind: "ClusterIssuer",
      plural: "clusterissuers",
      namespaced: false,
      shortNames: [],
      categories: ["cert-manager"],
      columns: [readyColumn("Ready", "status"), readyColumn("Status", "message", 1), ageColumn],
      createdAgo: 90 * DAY,
      meta: certManager,
    }),
    definition(b, {
      group: "flagger.app",
      version: "v1beta1",
      kind: "Canary",
      plural: "canaries",
      namespaced: true,
      shortNames: [],
      categories: [],
      columns: [
        { jsonPath: ".status.phase", name: "Status", type: "string" },
        { jsonPath: ".status.canaryWeight", name: "Weight", type: "integer" },
        { jsonPath: ".status.lastTransitionTime", name: "LastTransitionTime", type: "string" },
        ageColumn,
      ],
      createdAgo: 60 * DAY,
    }),
  ];
}

export function labCustomResources(b: FixtureBuilder): KubeObject[] {
  return [...definitions(b), ...certificates(b), clusterIssuer(b), ...canary(b)];
}
