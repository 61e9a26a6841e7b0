/**
 * Owns what each kind native describe knows reads for one object, as its kubectl v1.32 describer
 * reads it, and which describe-*.ts printer prints it: the object, its events by involvedObject
 * (pages of 500, a failed page ending them as kubectl ignores it), and for a Deployment its
 * ReplicaSets, for a workload its pods by its selector, for a Service its EndpointSlices, for an
 * Ingress each backend's EndpointSlices and Service, for a node its pods and Lease, for a namespace
 * its quotas and limit ranges, for a claim its namespace's pods, for a service account its namespace's Secrets (an RBAC object, a quota, a limit range or a network policy is read alone); a ConfigMap's events must all be read,
 * as its describer fails on a failed list. KINDS names each kind by every name
 * kubectl takes for it. A read kubectl would fail on, or an object not modeled, answers undefined,
 * and the command runs kubectl.
 */
import type { KubeFetch } from "./client";
import { describeAutoscaler } from "./describe-autoscaler";
import { describeClaim } from "./describe-claim";
import { describeIngressClass, describePriorityClass } from "./describe-classes";
import { describeConfigMap } from "./describe-configmap";
import { describeDaemonSet } from "./describe-daemonset";
import { describeDeployment } from "./describe-deployment";
import { describeEndpoints } from "./describe-endpoints";
import { describeEndpointSlice } from "./describe-endpointslice";
import { backendText, describeIngress } from "./describe-ingress";
import { describeCronJob, describeJob } from "./describe-job";
import { describeNamespace } from "./describe-namespace";
import { describeNetworkPolicy } from "./describe-netpol";
import { describeNode, type LeaseRead } from "./describe-node";
import { labelSelector } from "./describe-parts";
import { describeBudget } from "./describe-pdb";
import { describePod } from "./describe-pod";
import { describeLimitRange, describeQuota } from "./describe-quota";
import { describeBinding, describeRole } from "./describe-rbac";
import { describeReplicaSet } from "./describe-replicaset";
import { describeSecret } from "./describe-secret";
import { describeService } from "./describe-service";
import { describeServiceAccount } from "./describe-serviceaccount";
import { describeStatefulSet } from "./describe-statefulset";
import { describeStorageClass } from "./describe-storageclass";
import {
  type CountedPod,
  checkClaimingPodList,
  checkCountedPodList,
  checkDescribedAutoscaler,
  checkDescribedBinding,
  checkDescribedBudget,
  checkDescribedClaim,
  checkDescribedConfigMap,
  checkDescribedCronJob,
  checkDescribedDaemonSet,
  checkDescribedDeployment,
  checkDescribedEndpointSlice,
  checkDescribedEndpoints,
  checkDescribedIngress,
  checkDescribedIngressClass,
  checkDescribedJob,
  checkDescribedLimitRange,
  checkDescribedNamespace,
  checkDescribedNetworkPolicy,
  checkDescribedNode,
  checkDescribedPod,
  checkDescribedPriorityClass,
  checkDescribedQuota,
  checkDescribedReplicaSet,
  checkDescribedRole,
  checkDescribedSecret,
  checkDescribedService,
  checkDescribedServiceAccount,
  checkDescribedStatefulSet,
  checkDescribedStorageClass,
  checkDescribedVolume,
  checkEndpointSliceList,
  checkLimitRangeList,
  checkNodeLease,
  checkQuotaList,
  checkReplicaSetList,
  checkResourcedPodList,
  checkSecretList,
  type OwnedReplicaSet,
} from "./describe-types";
import { describeVolume } from "./describe-volume";
import { decodesAsBytes } from "./go-json";
import { checkEventList, type KubeEvent } from "./kube-types";
import { statusOf } from "./server-error";

/** A kind native describe knows: where its objects are, and how its describer reads and prints one. */
export interface Kind {
  resource: { group: string; version: string; resource: string };
  /** False for a cluster-scoped kind, whose paths name no namespace. */
  namespaced: boolean;
  describe(fetch: KubeFetch, object: unknown, now: number, events: EventSearch): Promise<string | undefined>;
}

/**
 * How a describer finds an object's events. Under --show-events=false kubectl searches none and
 * prints no Events section at all (not even `<none>`): `shown` is false and every search finds
 * nothing, which is then no failure.
 */
export interface EventSearch {
  readonly shown: boolean;
  /** By involvedObject kind (none for a pod), name, namespace and uid; a failed page ends them. */
  of(
    object: { name: string; namespace: string },
    uid: string,
    kind?: string,
  ): Promise<KubeEvent[] | undefined>;
  /** The same, or undefined where a page failed: the ConfigMap describer fails with it. */
  every(
    object: { name: string; namespace: string },
    uid: string,
    kind: string,
  ): Promise<KubeEvent[] | undefined>;
}

export function eventSearch(fetch: KubeFetch, shown: boolean): EventSearch {
  const none = async () => undefined;
  return {
    shown,
    of: shown ? (object, uid, kind) => eventsOf(fetch, object, uid, kind) : none,
    every: shown ? (object, uid, kind) => everyEventOf(fetch, object, uid, kind) : none,
  };
}

/** Events a describer searched for and could not read: kubectl's handling of that is left to it. */
const unread = (events: EventSearch, found: KubeEvent[] | undefined) => events.shown && found === undefined;

export const JSON_ACCEPT = "application/json";
export const CHUNK = "500";
export const MAX_PAGES = 1_000;
const MIRROR_POD = "kubernetes.io/config.mirror";

const POD: Kind = {
  resource: { group: "", version: "v1", resource: "pods" },
  namespaced: true,
  async describe(_fetch, pod, now, events) {
    if (!checkDescribedPod.Check(pod)) return undefined;
    const { uid, annotations } = pod.metadata;
    const podEvents = await events.of(pod.metadata, annotations?.[MIRROR_POD] ?? uid);
    return unread(events, podEvents) ? undefined : describePod(pod, podEvents, now);
  },
};

const DEPLOYMENT: Kind = {
  resource: { group: "apps", version: "v1", resource: "deployments" },
  namespaced: true,
  async describe(fetch, deployment, now, events) {
    if (!checkDescribedDeployment.Check(deployment)) return undefined;
    const deploymentEvents = await events.of(deployment.metadata, deployment.metadata.uid, "Deployment");
    if (unread(events, deploymentEvents)) return undefined;
    const selector = labelSelector(deployment.spec.selector);
    if (selector === undefined) return undefined;
    const replicaSets = await replicaSetsOf(fetch, deployment.metadata.namespace, selector);
    return describeDeployment(deployment, replicaSets, deploymentEvents, now);
  },
};

/** A workload that counts its pods by phase: its pods by its selector, then its events, then its printer. */
function countingPods<
  T extends { metadata: { name: string; namespace: string; uid: string }; spec: { selector: object } },
>(
  resource: string,
  kindName: string,
  check: { Check(value: unknown): value is T },
  print: (object: T, pods: CountedPod[], events: KubeEvent[] | undefined, now: number) => string | undefined,
): Kind {
  return {
    resource: { group: "apps", version: "v1", resource },
    namespaced: true,
    async describe(fetch, object, now, events) {
      if (!check.Check(object)) return undefined;
      const { metadata } = object;
      const selector = labelSelector(object.spec.selector);
      if (selector === undefined) return undefined;
      const path = `/api/v1/namespaces/${encodeURIComponent(metadata.namespace)}/pods`;
      const pods = await pagesOf(fetch, path, { labelSelector: selector }, checkCountedPodList);
      // kubectl prints the failed list's error, or fails the describer; that is left to kubectl.
      if (pods === undefined || pods.failed !== undefined) return undefined;
      return print(object, pods.items, await events.of(metadata, metadata.uid, kindName), now);
    },
  };
}

const REPLICASET = countingPods("replicasets", "ReplicaSet", checkDescribedReplicaSet, describeReplicaSet);
const STATEFULSET = countingPods(
  "statefulsets",
  "StatefulSet",
  checkDescribedStatefulSet,
  describeStatefulSet,
);
const DAEMONSET = countingPods("daemonsets", "DaemonSet", checkDescribedDaemonSet, describeDaemonSet);

/**
 * A kind whose describer reads the object and its events (by involvedObject kind), then prints; a
 * cluster-scoped one's events are looked for in every namespace.
 */
function withEvents<T extends { metadata: { name: string; namespace?: string; uid: string } }>(
  resource: Kind["resource"],
  kindName: string,
  check: { Check(value: unknown): value is T },
  print: (object: T, events: KubeEvent[] | undefined, now: number) => string | undefined,
  namespaced = true,
): Kind {
  return {
    resource,
    namespaced,
    async describe(_fetch, object, now, events) {
      if (!check.Check(object)) return undefined;
      const { name, namespace = "", uid } = object.metadata;
      return print(object, await events.of({ name, namespace }, uid, kindName), now);
    },
  };
}

const batch = (resource: string) => ({ group: "batch", version: "v1", resource });
const JOB = withEvents(batch("jobs"), "Job", checkDescribedJob, describeJob);
const CRONJOB = withEvents(batch("cronjobs"), "CronJob", checkDescribedCronJob, describeCronJob);
const BUDGET = withEvents(
  { group: "policy", version: "v1", resource: "poddisruptionbudgets" },
  "PodDisruptionBudget",
  checkDescribedBudget,
  describeBudget,
);
const AUTOSCALER = withEvents(
  { group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers" },
  "HorizontalPodAutoscaler",
  checkDescribedAutoscaler,
  describeAutoscaler,
);

const VOLUME = withEvents(
  { group: "", version: "v1", resource: "persistentvolumes" },
  "PersistentVolume",
  checkDescribedVolume,
  describeVolume,
  false,
);
const STORAGE_CLASS = withEvents(
  { group: "storage.k8s.io", version: "v1", resource: "storageclasses" },
  "StorageClass",
  checkDescribedStorageClass,
  describeStorageClass,
  false,
);

const PRIORITY_CLASS = withEvents(
  { group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses" },
  "PriorityClass",
  checkDescribedPriorityClass,
  describePriorityClass,
  false,
);

const INGRESS_CLASS = withEvents(
  { group: "networking.k8s.io", version: "v1", resource: "ingressclasses" },
  "IngressClass",
  checkDescribedIngressClass,
  describeIngressClass,
  false,
);

const ENDPOINTS = withEvents(
  { group: "", version: "v1", resource: "endpoints" },
  "Endpoints",
  checkDescribedEndpoints,
  describeEndpoints,
);

const ENDPOINT_SLICE = withEvents(
  { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" },
  "EndpointSlice",
  checkDescribedEndpointSlice,
  describeEndpointSlice,
);

const CONFIG_MAP: Kind = {
  resource: { group: "", version: "v1", resource: "configmaps" },
  namespaced: true,
  async describe(_fetch, configMap, now, events) {
    if (!checkDescribedConfigMap.Check(configMap)) return undefined;
    const { metadata } = configMap;
    const listed = await events.every(metadata, metadata.uid, "ConfigMap");
    return unread(events, listed) ? undefined : describeConfigMap(configMap, listed, now);
  },
};

const SERVICE_ACCOUNT: Kind = {
  resource: { group: "", version: "v1", resource: "serviceaccounts" },
  namespaced: true,
  async describe(fetch, sa, now, events) {
    if (!checkDescribedServiceAccount.Check(sa)) return undefined;
    const { metadata } = sa;
    // The namespace's Secrets, to find its tokens and what it names that is missing; a failed list
    // is tolerated, as kubectl tolerates it (the executor's role grants no Secrets).
    const path = `/api/v1/namespaces/${encodeURIComponent(metadata.namespace)}/secrets`;
    const secrets = await pagesOf(fetch, path, {}, checkSecretList);
    if (secrets === undefined) return undefined;
    // Secret data is base64 (the gate writes its markers encoded too). kubectl's typed client would
    // drop a list holding a value that is not: too rare to model, so left to kubectl.
    const decoded = secrets.items.every((secret) => Object.values(secret.data ?? {}).every(decodesAsBytes));
    if (!decoded) return undefined;
    const listed = secrets.failed === undefined ? secrets.items : undefined;
    const accountEvents = await events.of(metadata, metadata.uid, "ServiceAccount");
    return describeServiceAccount(sa, listed, accountEvents, now);
  },
};

/** kubectl reads no events for a Secret. */
const SECRET: Kind = {
  resource: { group: "", version: "v1", resource: "secrets" },
  namespaced: true,
  async describe(_fetch, secret) {
    return checkDescribedSecret.Check(secret) ? describeSecret(secret) : undefined;
  },
};

const CLAIM: Kind = {
  resource: { group: "", version: "v1", resource: "persistentvolumeclaims" },
  namespaced: true,
  async describe(fetch, claim, now, events) {
    if (!checkDescribedClaim.Check(claim)) return undefined;
    const { metadata } = claim;
    // Every pod of the namespace, to find those using it; a failed list fails kubectl's describer.
    const path = `/api/v1/namespaces/${encodeURIComponent(metadata.namespace)}/pods`;
    const pods = await pagesOf(fetch, path, {}, checkClaimingPodList);
    if (pods === undefined || pods.failed !== undefined) return undefined;
    const claimEvents = await events.of(metadata, metadata.uid, "PersistentVolumeClaim");
    return describeClaim(claim, pods.items, claimEvents, now);
  },
};

const INGRESS: Kind = {
  resource: { group: "networking.k8s.io", version: "v1", resource: "ingresses" },
  namespaced: true,
  async describe(fetch, ingress, now, events) {
    if (!checkDescribedIngress.Check(ingress)) return undefined;
    const { metadata, spec } = ingress;
    const ingressEvents = await events.of(metadata, metadata.uid, "Ingress");
    // The describer reads each backend as it prints it: the default one, then each path's.
    const wanted = [
      ...(spec.defaultBackend ? [spec.defaultBackend] : []),
      ...(spec.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((path) => path.backend)),
    ];
    const texts: string[] = [];
    for (const backend of wanted) {
      const text = await backendText(fetch, metadata.namespace, backend);
      if (text === undefined) return undefined;
      texts.push(text);
    }
    const defaultBackend = spec.defaultBackend ? texts.shift() : undefined;
    return describeIngress(ingress, { defaultBackend, paths: texts }, ingressEvents, now);
  },
};

const NAMESPACE: Kind = {
  resource: { group: "", version: "v1", resource: "namespaces" },
  namespaced: false,
  async describe(fetch, ns) {
    if (!checkDescribedNamespace.Check(ns)) return undefined;
    const path = `/api/v1/namespaces/${encodeURIComponent(ns.metadata.name)}`;
    const quotas = await pagesOf(fetch, `${path}/resourcequotas`, {}, checkQuotaList);
    const limits = await pagesOf(fetch, `${path}/limitranges`, {}, checkLimitRangeList);
    const [quotaList, limitList] = [servedOrNot(quotas), servedOrNot(limits)];
    if (quotaList === undefined || limitList === undefined) return undefined;
    return describeNamespace(ns, quotaList, limitList);
  },
};

const SERVICE: Kind = {
  resource: { group: "", version: "v1", resource: "services" },
  namespaced: true,
  async describe(fetch, service, now, events) {
    if (!checkDescribedService.Check(service)) return undefined;
    const { metadata } = service;
    // One request, no pages, as the describer lists them; a failed list reads as none, as there.
    const query = new URLSearchParams({ labelSelector: `kubernetes.io/service-name=${metadata.name}` });
    const response = await fetch(
      `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(metadata.namespace)}/endpointslices?${query}`,
      JSON_ACCEPT,
    );
    const slices: unknown = response.ok ? await response.json() : { items: [] };
    if (!checkEndpointSliceList.Check(slices)) return undefined;
    const serviceEvents = await events.of(metadata, metadata.uid, "Service");
    return describeService(service, slices.items, serviceEvents, now);
  },
};

const NODE: Kind = {
  resource: { group: "", version: "v1", resource: "nodes" },
  namespaced: false,
  async describe(fetch, node, now, events) {
    if (!checkDescribedNode.Check(node)) return undefined;
    const { name, uid } = node.metadata;
    const fieldSelector = `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`;
    const pods = await pagesOf(fetch, "/api/v1/pods", { fieldSelector }, checkResourcedPodList);
    if (pods === undefined || (pods.failed !== undefined && pods.failed !== 403)) return undefined;
    // The controller names a node's events by its uid, the kubelet by its name: kubectl reads both.
    const byUid = await events.of({ name, namespace: "" }, uid, "Node");
    const byName = await events.of({ name, namespace: "" }, name, "Node");
    if (unread(events, byUid) || unread(events, byName)) return undefined;
    const response = await fetch(
      `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`,
      JSON_ACCEPT,
    );
    let read: LeaseRead;
    if (response.ok) {
      const lease: unknown = await response.json();
      if (!checkNodeLease.Check(lease)) return undefined;
      read = { lease };
    } else {
      const status = await statusOf(response);
      if (status === undefined) return undefined;
      read = { failed: status.message };
    }
    const nodePods = pods.failed === 403 ? "forbidden" : pods.items;
    const nodeEvents = byUid && byName && [...byUid, ...byName];
    return describeNode(node, nodePods, read, nodeEvents, now);
  },
};

/**
 * A namespace describer's list: its items; null where the server does not serve it (404), which
 * kubectl leaves out; undefined where it failed otherwise, which fails the describer (kubectl's error).
 */
function servedOrNot<T>(list: { items: T[]; failed?: number } | undefined): T[] | null | undefined {
  if (list === undefined || list.failed === undefined) return list?.items;
  return list.failed === 404 ? null : undefined;
}

/** A kind whose describer reads the object alone (a core, namespaced one unless told otherwise). */
const alone = (
  resource: string,
  print: (object: unknown) => string | undefined,
  { group, version, namespaced } = { group: "", version: "v1", namespaced: true },
): Kind => ({
  resource: { group, version, resource },
  namespaced,
  describe: async (_fetch, object) => print(object),
});
const QUOTA = alone("resourcequotas", (q) => (checkDescribedQuota.Check(q) ? describeQuota(q) : undefined));
const LIMIT_RANGE = alone("limitranges", (lr) =>
  checkDescribedLimitRange.Check(lr) ? describeLimitRange(lr) : undefined,
);
const NETWORK_POLICY = alone(
  "networkpolicies",
  (np) => (checkDescribedNetworkPolicy.Check(np) ? describeNetworkPolicy(np) : undefined),
  { group: "networking.k8s.io", version: "v1", namespaced: true },
);
const rbac = (resource: string, namespaced: boolean, print: (object: unknown) => string | undefined) =>
  alone(resource, print, { group: "rbac.authorization.k8s.io", version: "v1", namespaced });
const role = (object: unknown) => (checkDescribedRole.Check(object) ? describeRole(object) : undefined);
const binding = (object: unknown) =>
  checkDescribedBinding.Check(object) ? describeBinding(object) : undefined;
const ROLE = rbac("roles", true, role);
const CLUSTER_ROLE = rbac("clusterroles", false, role);
const ROLE_BINDING = rbac("rolebindings", true, binding);
const CLUSTER_ROLE_BINDING = rbac("clusterrolebindings", false, binding);

export const KINDS: Record<string, Kind> = {
  pod: POD,
  pods: POD,
  po: POD,
  deployment: DEPLOYMENT,
  deployments: DEPLOYMENT,
  deploy: DEPLOYMENT,
  replicaset: REPLICASET,
  replicasets: REPLICASET,
  rs: REPLICASET,
  statefulset: STATEFULSET,
  statefulsets: STATEFULSET,
  sts: STATEFULSET,
  daemonset: DAEMONSET,
  daemonsets: DAEMONSET,
  ds: DAEMONSET,
  poddisruptionbudget: BUDGET,
  poddisruptionbudgets: BUDGET,
  pdb: BUDGET,
  networkpolicy: NETWORK_POLICY,
  networkpolicies: NETWORK_POLICY,
  netpol: NETWORK_POLICY,
  namespace: NAMESPACE,
  namespaces: NAMESPACE,
  ns: NAMESPACE,
  resourcequota: QUOTA,
  resourcequotas: QUOTA,
  quota: QUOTA,
  limitrange: LIMIT_RANGE,
  limitranges: LIMIT_RANGE,
  limits: LIMIT_RANGE,
  service: SERVICE,
  services: SERVICE,
  svc: SERVICE,
  node: NODE,
  nodes: NODE,
  no: NODE,
  secret: SECRET,
  secrets: SECRET,
  configmap: CONFIG_MAP,
  configmaps: CONFIG_MAP,
  cm: CONFIG_MAP,
  persistentvolume: VOLUME,
  persistentvolumes: VOLUME,
  pv: VOLUME,
  priorityclass: PRIORITY_CLASS,
  priorityclasses: PRIORITY_CLASS,
  pc: PRIORITY_CLASS,
  ingressclass: INGRESS_CLASS,
  ingressclasses: INGRESS_CLASS,
  storageclass: STORAGE_CLASS,
  storageclasses: STORAGE_CLASS,
  sc: STORAGE_CLASS,
  persistentvolumeclaim: CLAIM,
  persistentvolumeclaims: CLAIM,
  pvc: CLAIM,
  horizontalpodautoscaler: AUTOSCALER,
  horizontalpodautoscalers: AUTOSCALER,
  hpa: AUTOSCALER,
  ingress: INGRESS,
  ingresses: INGRESS,
  ing: INGRESS,
  job: JOB,
  jobs: JOB,
  cronjob: CRONJOB,
  cronjobs: CRONJOB,
  cj: CRONJOB,
  endpoints: ENDPOINTS,
  ep: ENDPOINTS,
  endpointslice: ENDPOINT_SLICE,
  endpointslices: ENDPOINT_SLICE,
  serviceaccount: SERVICE_ACCOUNT,
  serviceaccounts: SERVICE_ACCOUNT,
  sa: SERVICE_ACCOUNT,
  role: ROLE,
  roles: ROLE,
  clusterrole: CLUSTER_ROLE,
  clusterroles: CLUSTER_ROLE,
  rolebinding: ROLE_BINDING,
  rolebindings: ROLE_BINDING,
  clusterrolebinding: CLUSTER_ROLE_BINDING,
  clusterrolebindings: CLUSTER_ROLE_BINDING,
};

/**
 * Every page of a list a describer reads, and the status of a page that failed (what came before it
 * is kept); undefined for a page that is not the list expected.
 */
async function pagesOf<T>(
  fetch: KubeFetch,
  path: string,
  query: Record<string, string>,
  check: { Check(value: unknown): value is { items: T[]; metadata?: { continue?: string } } },
): Promise<{ items: T[]; failed?: number } | undefined> {
  const items: T[] = [];
  let next: string | undefined;
  for (let page = 0; page === 0 || next !== undefined; page++) {
    if (page >= MAX_PAGES) return undefined;
    const params = new URLSearchParams({
      ...query,
      limit: CHUNK,
      ...(next !== undefined ? { continue: next } : {}),
    });
    const response = await fetch(`${path}?${params}`, JSON_ACCEPT);
    if (!response.ok) return { items, failed: response.status };
    const list: unknown = await response.json();
    if (!check.Check(list)) return undefined;
    items.push(...list.items);
    next = list.metadata?.continue || undefined;
  }
  return { items };
}

/** The ReplicaSets a Deployment's selector matches; undefined where the list failed (kubectl then prints none). */
async function replicaSetsOf(
  fetch: KubeFetch,
  namespace: string,
  selector: string,
): Promise<OwnedReplicaSet[] | undefined> {
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`;
  const listed = await pagesOf(fetch, path, { labelSelector: selector }, checkReplicaSetList);
  return listed === undefined || listed.failed !== undefined ? undefined : listed.items;
}

/**
 * An object's events as its describer lists them: by involvedObject kind (not for a pod), name,
 * namespace and uid, as client-go writes the field selector (keys sorted). A failed page ends them:
 * the describer prints what it had.
 */
async function eventsOf(
  fetch: KubeFetch,
  object: { name: string; namespace: string },
  uid: string,
  kind?: string,
): Promise<KubeEvent[] | undefined> {
  return (await eventPages(fetch, object, uid, kind))?.items;
}

/** The same events, or undefined where a page failed: the ConfigMap describer fails with it. */
async function everyEventOf(
  fetch: KubeFetch,
  object: { name: string; namespace: string },
  uid: string,
  kind: string,
): Promise<KubeEvent[] | undefined> {
  const listed = await eventPages(fetch, object, uid, kind);
  return listed?.failed === undefined ? listed?.items : undefined;
}

async function eventPages(
  fetch: KubeFetch,
  { name, namespace }: { name: string; namespace: string },
  uid: string,
  kind?: string,
) {
  // A cluster-scoped object's events are looked for in every namespace, with an empty namespace field.
  const path =
    namespace === "" ? "/api/v1/events" : `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
  const fieldSelector = [
    ...(kind ? [`involvedObject.kind=${kind}`] : []),
    `involvedObject.name=${name}`,
    `involvedObject.namespace=${namespace}`,
    `involvedObject.uid=${uid}`,
  ].join(",");
  return pagesOf(fetch, path, { fieldSelector }, checkEventList);
}
