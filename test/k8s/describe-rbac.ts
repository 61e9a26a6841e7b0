// RBAC objects shaped for what `kubectl describe role|clusterrole|rolebinding|clusterrolebinding`
// prints: the lab's Roles (one over pods and their logs; one whose rules kubectl breaks down and
// merges again: verbs given twice over one resource, names, a subresource, two groups, a rule with
// no group that grants nothing), the bootstrap ClusterRoles a cluster has (cluster-admin over every
// resource and URL, system:discovery's URLs), an aggregated one with no rules of its own and one it
// aggregates; bindings to users, groups and service accounts, to a ClusterRole from a namespace,
// and one with no subjects.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const DAY = 24 * 60 * 60;
const LAB = "lab";
const RBAC = "rbac.authorization.k8s.io";
const BOOTSTRAP = {
  labels: { "kubernetes.io/bootstrapping": "rbac-defaults" },
  annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
};

const AGGREGATE = "rbac.example.com/aggregate-to-monitoring";
const METRICS_RULES = [
  { apiGroups: ["metrics.k8s.io"], resources: ["pods", "nodes"], verbs: ["get", "list", "watch"] },
  { apiGroups: [""], resources: ["nodes/metrics", "nodes/stats"], verbs: ["get"] },
  { nonResourceURLs: ["/metrics"], verbs: ["get"] },
];

type Meta = { labels?: Record<string, string>; annotations?: Record<string, string> };
type Subject = { kind: string; name: string; namespace?: string };

function object(b: FixtureBuilder, kind: string, name: string, namespace: string | undefined, meta: Meta) {
  return {
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: { ...b.meta(kind, name, namespace, namespace ? 25 * 60 : 400 * DAY), ...meta },
  };
}

const user = (name: string): Subject => ({ kind: "User", name });
const group = (name: string): Subject => ({ kind: "Group", name });
const account = (name: string, namespace: string): Subject => ({ kind: "ServiceAccount", name, namespace });

function roles(b: FixtureBuilder): KubeObject[] {
  const role = (kind: string, name: string, namespace: string | undefined, meta: Meta, rest: object) =>
    b.add({ ...object(b, kind, name, namespace, meta), ...rest });
  return [
    role(
      "Role",
      "pod-reader",
      LAB,
      { labels: { team: "platform" } },
      {
        rules: [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "watch", "list"] }],
      },
    ),
    role(
      "Role",
      "deployer",
      LAB,
      { annotations: { description: "What the delivery pipeline may change in lab" } },
      {
        rules: [
          {
            apiGroups: ["apps"],
            resources: ["deployments", "replicasets"],
            verbs: ["get", "list", "watch", "update", "patch"],
          },
          { apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["update"] },
          {
            apiGroups: [""],
            resources: ["configmaps"],
            resourceNames: ["app-settings", "feature-flags"],
            verbs: ["get", "update"],
          },
          { apiGroups: ["apps"], resources: ["deployments"], verbs: ["create", "get"] },
          { apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["list", "watch"] },
          { resources: ["secrets"], verbs: ["get"] },
        ],
      },
    ),
    role("ClusterRole", "cluster-admin", undefined, BOOTSTRAP, {
      rules: [
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        { nonResourceURLs: ["*"], verbs: ["*"] },
      ],
    }),
    role("ClusterRole", "system:discovery", undefined, BOOTSTRAP, {
      rules: [
        {
          nonResourceURLs: [
            "/api",
            "/api/*",
            "/apis",
            "/apis/*",
            "/healthz",
            "/livez",
            "/openapi",
            "/openapi/*",
            "/readyz",
            "/version",
            "/version/",
          ],
          verbs: ["get"],
        },
      ],
    }),
    // The aggregation controller copies in the rules of every ClusterRole its selector picks.
    role(
      "ClusterRole",
      "monitoring",
      undefined,
      { labels: { team: "platform" } },
      {
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE]: "true" } }] },
        rules: METRICS_RULES,
      },
    ),
    role(
      "ClusterRole",
      "metrics-reader",
      undefined,
      { labels: { team: "platform", [AGGREGATE]: "true" } },
      {
        rules: METRICS_RULES,
      },
    ),
    // A Role made before its rules: the API server writes its empty rules as null.
    role("Role", "placeholder", LAB, {}, { rules: null }),
  ];
}

function bindings(b: FixtureBuilder): KubeObject[] {
  const binding = (
    kind: string,
    name: string,
    namespace: string | undefined,
    roleRef: [string, string],
    subjects: Subject[] | undefined,
    meta: Meta = {},
  ) =>
    b.add({
      ...object(b, kind, name, namespace, meta),
      roleRef: { apiGroup: RBAC, kind: roleRef[0], name: roleRef[1] },
      ...(subjects
        ? { subjects: subjects.map((s) => (s.kind === "ServiceAccount" ? s : { apiGroup: RBAC, ...s })) }
        : {}),
    });
  return [
    binding(
      "RoleBinding",
      "read-pods",
      LAB,
      ["Role", "pod-reader"],
      [user("jane"), group("qa"), account("ci", LAB)],
      {
        labels: { team: "platform" },
      },
    ),
    binding(
      "RoleBinding",
      "deployers",
      LAB,
      ["Role", "deployer"],
      [account("argocd-application-controller", "argocd")],
    ),
    binding("RoleBinding", "lab-metrics", LAB, ["ClusterRole", "metrics-reader"], undefined),
    binding(
      "ClusterRoleBinding",
      "cluster-admin",
      undefined,
      ["ClusterRole", "cluster-admin"],
      [group("system:masters")],
      BOOTSTRAP,
    ),
    binding(
      "ClusterRoleBinding",
      "system:discovery",
      undefined,
      ["ClusterRole", "system:discovery"],
      [group("system:authenticated")],
      BOOTSTRAP,
    ),
    binding(
      "ClusterRoleBinding",
      "monitoring",
      undefined,
      ["ClusterRole", "monitoring"],
      [account("prometheus", "monitoring"), user("ops@example.com")],
      { labels: { team: "platform" } },
    ),
  ];
}

export const labRbac = (b: FixtureBuilder): KubeObject[] => [...roles(b), ...bindings(b)];
