/**
 * Owns which pod `kubectl logs TYPE/NAME` reads, as kubectl picks it: the workload's selector (its
 * matchLabels, or a Service's or ReplicationController's map, written sorted as key=value), the pods
 * it selects ordered by podutils.ByLogging (assigned, running, ready longest, most restarts, oldest
 * first; pods it cannot tell apart in the order Go's sort.Sort leaves them, go-sort.ts), and the
 * first of them, with "Found N pods, using pod/NAME" when there are several. matchExpressions, and
 * no pod yet (kubectl waits for one), answer undefined.
 */
import type { KubeFetch } from "./client";
import type { Resource } from "./discovery";
import { goSorted } from "./go-sort";
import { checkPodList, checkWorkload, type Pod } from "./kube-types";

// The kinds kubectl's SelectorsForObject reads a pod selector from.
const WORKLOADS = new Set([
  "/replicationcontrollers",
  "/services",
  "apps/replicasets",
  "apps/deployments",
  "apps/statefulsets",
  "apps/daemonsets",
  "batch/jobs",
]);
const PHASE_ORDER: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };

export function isWorkload(r: Resource): boolean {
  return WORKLOADS.has(`${r.group}/${r.resource}`);
}

function time(text: string | null | undefined): number | undefined {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

function readyTime(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
  return ready ? time(ready.lastTransitionTime) : undefined;
}

/** Go's afterOrZero: a zero time counts as after everything. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

function restarts(pod: Pod): [number, number] {
  const regular = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  const sidecars = new Set(
    (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name),
  );
  const sidecar = Math.max(
    0,
    ...(pod.status?.initContainerStatuses ?? [])
      .filter((c) => sidecars.has(c.name))
      .map((c) => c.restartCount ?? 0),
  );
  return [regular, sidecar];
}

/** podutils.ByLogging's Less. */
export function byLoggingLess(a: Pod, b: Pod): boolean {
  const an = a.spec.nodeName ?? "";
  const bn = b.spec.nodeName ?? "";
  if (an !== bn && (an === "" || bn === "")) return an !== "";
  const ap = PHASE_ORDER[a.status?.phase ?? ""] ?? 0;
  const bp = PHASE_ORDER[b.status?.phase ?? ""] ?? 0;
  if (ap !== bp) return ap < bp;
  const ar = readyTime(a);
  const br = readyTime(b);
  const aReady = a.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
  const bReady = b.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
  if (aReady !== bReady) return aReady;
  if (aReady && bReady && ar !== br) return afterOrZero(br, ar);
  const [aRegular, aSidecar] = restarts(a);
  const [bRegular, bSidecar] = restarts(b);
  if (aRegular !== bRegular) return aRegular > bRegular;
  if (aSidecar !== bSidecar) return aSidecar > bSidecar;
  const ac = time(a.metadata.creationTimestamp);
  const bc = time(b.metadata.creationTimestamp);
  if (ac !== bc) return afterOrZero(bc, ac);
  return false;
}

function selectorOf(body: unknown): string | undefined {
  if (!checkWorkload.Check(body)) return undefined;
  const selector = body.spec.selector;
  if (selector === undefined) return undefined;
  const labels =
    "matchLabels" in selector || "matchExpressions" in selector
      ? (selector as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] })
      : { matchLabels: selector as Record<string, string> };
  if ((labels.matchExpressions?.length ?? 0) > 0) return undefined;
  const keys = Object.keys(labels.matchLabels ?? {}).sort();
  return keys.length === 0 ? undefined : keys.map((k) => `${k}=${labels.matchLabels?.[k]}`).join(",");
}

/** The pod kubectl would read, and what it says about choosing it; undefined to let kubectl choose. */
export async function podForWorkload(
  fetch: KubeFetch,
  workload: unknown,
  namespace: string,
): Promise<{ pod: Pod; notice: string } | undefined> {
  const selector = selectorOf(workload);
  if (selector === undefined) return undefined;
  const query = new URLSearchParams({ labelSelector: selector });
  const response = await fetch(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?${query}`,
    "application/json",
  );
  const body: unknown = response.ok ? await response.json() : undefined;
  if (!checkPodList.Check(body) || body.items.length === 0) return undefined;
  const pods = goSorted(body.items, (a, b) => (byLoggingLess(a, b) ? -1 : byLoggingLess(b, a) ? 1 : 0));
  const pod = pods[0] as Pod;
  const notice = pods.length > 1 ? `Found ${pods.length} pods, using pod/${pod.metadata.name}\n` : "";
  return { pod, notice };
}
