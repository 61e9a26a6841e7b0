// The API resources the stand-in serves and the discovery documents that describe
// them: legacy (/api, /apis, /api/v1, /apis/apps/v1) and aggregated (apidiscovery.k8s.io/v2).

export interface Subresource {
  name: string;
  kind: string;
  /** Group/version of the subresource's kind when it differs from the parent's (e.g. autoscaling/v1 Scale). */
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceType {
  group: string;
  version: string;
  /** Plural resource name used in URLs. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: Subresource[];
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function core(
  resource: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[],
  categories: string[],
  subresources: Subresource[],
  verbs = ALL_VERBS,
): ResourceType {
  return {
    group: "",
    version: "v1",
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames,
    categories,
    verbs,
    subresources,
  };
}

const status = (kind: string): Subresource => ({ name: "status", kind, verbs: ["get", "patch", "update"] });
const scale: Subresource = {
  name: "scale",
  kind: "Scale",
  group: "autoscaling",
  version: "v1",
  verbs: ["get", "patch", "update"],
};

export const RESOURCES: ResourceType[] = [
  core("configmaps", "ConfigMap", true, ["cm"], [], []),
  core("endpoints", "Endpoints", true, ["ep"], [], []),
  core("events", "Event", true, ["ev"], [], []),
  core(
    "namespaces",
    "Namespace",
    false,
    ["ns"],
    [],
    [status("Namespace"), { name: "finalize", kind: "Namespace", verbs: ["update"] }],
    ["create", "delete", "get", "list", "patch", "update", "watch"],
  ),
  core(
    "nodes",
    "Node",
    false,
    ["no"],
    [],
    [
      status("Node"),
      { name: "proxy", kind: "NodeProxyOptions", verbs: ["create", "delete", "get", "patch", "update"] },
    ],
  ),
  core(
    "pods",
    "Pod",
    true,
    ["po"],
    ["all"],
    [
      { name: "attach", kind: "PodAttachOptions", verbs: ["create", "get"] },
      { name: "binding", kind: "Binding", verbs: ["create"] },
      { name: "ephemeralcontainers", kind: "Pod", verbs: ["get", "patch", "update"] },
      { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
      { name: "exec", kind: "PodExecOptions", verbs: ["create", "get"] },
      { name: "log", kind: "Pod", verbs: ["get"] },
      { name: "portforward", kind: "PodPortForwardOptions", verbs: ["create", "get"] },
      { name: "proxy", kind: "PodProxyOptions", verbs: ["create", "delete", "get", "patch", "update"] },
      status("Pod"),
    ],
  ),
  core("limitranges", "LimitRange", true, ["limits"], [], []),
  core(
    "persistentvolumeclaims",
    "PersistentVolumeClaim",
    true,
    ["pvc"],
    [],
    [status("PersistentVolumeClaim")],
  ),
  core("persistentvolumes", "PersistentVolume", false, ["pv"], [], [status("PersistentVolume")]),
  core("resourcequotas", "ResourceQuota", true, ["quota"], [], [status("ResourceQuota")]),
  core("secrets", "Secret", true, [], [], []),
  core(
    "serviceaccounts",
    "ServiceAccount",
    true,
    ["sa"],
    [],
    [
      {
        name: "token",
        kind: "TokenRequest",
        group: "authentication.k8s.io",
        version: "v1",
        verbs: ["create"],
      },
    ],
  ),
  core(
    "services",
    "Service",
    true,
    ["svc"],
    ["all"],
    [
      status("Service"),
      { name: "proxy", kind: "ServiceProxyOptions", verbs: ["create", "delete", "get", "patch", "update"] },
    ],
    ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
  ),
  {
    group: "apps",
    version: "v1",
    resource: "deployments",
    singular: "deployment",
    kind: "Deployment",
    listKind: "DeploymentList",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    verbs: ALL_VERBS,
    subresources: [scale, status("Deployment")],
  },
  {
    group: "apps",
    version: "v1",
    resource: "replicasets",
    singular: "replicaset",
    kind: "ReplicaSet",
    listKind: "ReplicaSetList",
    namespaced: true,
    shortNames: ["rs"],
    categories: ["all"],
    verbs: ALL_VERBS,
    subresources: [scale, status("ReplicaSet")],
  },
  {
    group: "apps",
    version: "v1",
    resource: "daemonsets",
    singular: "daemonset",
    kind: "DaemonSet",
    listKind: "DaemonSetList",
    namespaced: true,
    shortNames: ["ds"],
    categories: ["all"],
    verbs: ALL_VERBS,
    subresources: [status("DaemonSet")],
  },
  {
    group: "apps",
    version: "v1",
    resource: "statefulsets",
    singular: "statefulset",
    kind: "StatefulSet",
    listKind: "StatefulSetList",
    namespaced: true,
    shortNames: ["sts"],
    categories: ["all"],
    verbs: ALL_VERBS,
    subresources: [scale, status("StatefulSet")],
  },
  {
    group: "apps",
    version: "v1",
    resource: "controllerrevisions",
    singular: "controllerrevision",
    kind: "ControllerRevision",
    listKind: "ControllerRevisionList",
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    resource: "ingresses",
    singular: "ingress",
    kind: "Ingress",
    listKind: "IngressList",
    namespaced: true,
    shortNames: ["ing"],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [status("Ingress")],
  },
  {
    group: "autoscaling",
    version: "v2",
    resource: "horizontalpodautoscalers",
    singular: "horizontalpodautoscaler",
    kind: "HorizontalPodAutoscaler",
    listKind: "HorizontalPodAutoscalerList",
    namespaced: true,
    shortNames: ["hpa"],
    categories: ["all"],
    verbs: ALL_VERBS,
    subresources: [status("HorizontalPodAutoscaler")],
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    resource: "networkpolicies",
    singular: "networkpolicy",
    kind: "NetworkPolicy",
    listKind: "NetworkPolicyList",
    namespaced: true,
    shortNames: ["netpol"],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
  },
  {
    group: "policy",
    version: "v1",
    resource: "poddisruptionbudgets",
    singular: "poddisruptionbudget",
    kind: "PodDisruptionBudget",
    listKind: "PodDisruptionBudgetList",
    namespaced: true,
    shortNames: ["pdb"],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [status("PodDisruptionBudget")],
  },
  batch("jobs", "Job", []),
  batch("cronjobs", "CronJob", ["cj"]),
  {
    group: "coordination.k8s.io",
    version: "v1",
    resource: "leases",
    singular: "lease",
    kind: "Lease",
    listKind: "LeaseList",
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
  },
  {
    group: "discovery.k8s.io",
    version: "v1",
    resource: "endpointslices",
    singular: "endpointslice",
    kind: "EndpointSlice",
    listKind: "EndpointSliceList",
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
  },
  {
    ...core("storageclasses", "StorageClass", false, ["sc"], [], []),
    group: "storage.k8s.io",
  },
  {
    ...core("priorityclasses", "PriorityClass", false, ["pc"], [], []),
    group: "scheduling.k8s.io",
  },
  {
    ...core("ingressclasses", "IngressClass", false, [], [], []),
    group: "networking.k8s.io",
  },
  {
    ...core(
      "customresourcedefinitions",
      "CustomResourceDefinition",
      false,
      ["crd", "crds"],
      ["api-extensions"],
      [status("CustomResourceDefinition")],
    ),
    group: "apiextensions.k8s.io",
  },
  rbac("roles", "Role", true),
  rbac("clusterroles", "ClusterRole", false),
  rbac("rolebindings", "RoleBinding", true),
  rbac("clusterrolebindings", "ClusterRoleBinding", false),
  // Custom resources, served as the API server serves a CRD's (custom-resources.ts has their objects).
  custom("cert-manager.io", "v1", "certificates", "Certificate", true, ["cert", "certs"], ["cert-manager"]),
  custom("cert-manager.io", "v1", "clusterissuers", "ClusterIssuer", false, [], ["cert-manager"]),
  custom("flagger.app", "v1beta1", "canaries", "Canary", true, [], []),
  // metrics-server's aggregated API, read by `kubectl top` (metrics.ts has its objects).
  metrics("nodes", "node", "NodeMetrics", false),
  metrics("pods", "pod", "PodMetrics", true),
];

function batch(resource: string, kind: string, shortNames: string[]): ResourceType {
  return {
    group: "batch",
    version: "v1",
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: true,
    shortNames,
    categories: ["all"],
    verbs: ALL_VERBS,
    subresources: [status(kind)],
  };
}

/** An rbac.authorization.k8s.io/v1 kind: no short names, no categories, no subresources. */
function rbac(resource: string, kind: string, namespaced: boolean): ResourceType {
  return { ...core(resource, kind, namespaced, [], [], []), group: "rbac.authorization.k8s.io" };
}

/** A custom resource: served as a CRD's are, with a status subresource, in its own group. */
function custom(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[],
  categories: string[],
): ResourceType {
  return { ...core(resource, kind, namespaced, shortNames, categories, [status(kind)]), group, version };
}

function metrics(resource: string, singular: string, kind: string, namespaced: boolean): ResourceType {
  return {
    group: "metrics.k8s.io",
    version: "v1beta1",
    resource,
    singular,
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames: [],
    categories: [],
    verbs: ["get", "list"],
    subresources: [],
  };
}

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function findResource(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => groupVersion(r) === apiVersion && r.kind === kind);
}

function groups(): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const r of RESOURCES) {
    if (!r.group) continue;
    const g = out.find((x) => x.name === r.group);
    if (!g) out.push({ name: r.group, versions: [r.version] });
    else if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}

export function hasGroupVersion(group: string, version: string): boolean {
  return RESOURCES.some((r) => r.group === group && r.version === version);
}

// ---- legacy discovery ----

export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function apiGroup(g: { name: string; versions: string[] }) {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

export function apiGroupList() {
  return { kind: "APIGroupList", apiVersion: "v1", groups: groups().map(apiGroup) };
}

export function apiGroupDocument(group: string) {
  const g = groups().find((x) => x.name === group);
  return g ? { kind: "APIGroup", apiVersion: "v1", ...apiGroup(g) } : undefined;
}

export function apiResourceList(group: string, version: string) {
  const resources: Record<string, unknown>[] = [];
  for (const r of RESOURCES.filter((x) => x.group === group && x.version === version)) {
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources) {
      resources.push({
        name: `${r.resource}/${s.name}`,
        singularName: "",
        namespaced: r.namespaced,
        ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: groupVersion({ group, version }),
    resources,
  };
}

// ---- aggregated discovery (what kubectl >= 1.30 asks for first) ----

export const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

function discoveryResource(r: ResourceType) {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(r.subresources.length
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** `/api` (legacy=true) or `/apis` as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(legacy: boolean) {
  const items = legacy
    ? [
        {
          metadata: { creationTimestamp: null },
          versions: [
            {
              version: "v1",
              resources: RESOURCES.filter((r) => r.group === "").map(discoveryResource),
              freshness: "Current",
            },
          ],
        },
      ]
    : groups().map((g) => ({
        metadata: { name: g.name, creationTimestamp: null },
        versions: g.versions.map((v) => ({
          version: v,
          resources: RESOURCES.filter((r) => r.group === g.name && r.version === v).map(discoveryResource),
          freshness: "Current",
        })),
      }));
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items };
}
