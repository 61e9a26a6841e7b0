/**
 * Owns what `kubectl describe node` prints for one Node, as kubectl v1.32's NodeDescriber writes it:
 * its roles, labels, annotations, taints, its Lease (or kubectl's words for a failed read), its
 * conditions, addresses, capacity and allocatable resources, system info, pod CIDRs, then its
 * non-terminated pods each with its requests and limits as shares of what the node can allocate,
 * their totals (Allocated resources) and the node's events. Shares are Go's: float64 division,
 * truncated. A node that can allocate no CPU or no memory (kubectl would print a division by zero),
 * a taint repeated, a time that is missing and a pod whose resources are not modeled
 * (pod-resources.ts) are not modeled: the command then runs kubectl.
 */
import { humanDuration } from "../../src/models";
import {
  annotations,
  byteOrder,
  events,
  labels,
  laidOutBy,
  quantity,
  rfc1123z,
  unmodeled,
  Writer,
} from "./describe-parts";
import type { DescribedNode, NodeLease, ResourcedPod } from "./describe-types";
import { goSorted } from "./go-sort";
import type { KubeEvent } from "./kube-types";
import { addInto, podRequestsAndLimits, type ResourceList } from "./pod-resources";
import { type Formatted, milliValue, quantityText, readFormatted, value, ZERO } from "./quantity";

const ROLE_PREFIX = "node-role.kubernetes.io/";
const ROLE_LABEL = "kubernetes.io/role";
const HUGE_PAGES = "hugepages-";
const STANDARD = new Set(["cpu", "memory", "ephemeral-storage"]);

/** What a node's Lease read gave: the Lease, or the message of the Status it failed with. */
export type LeaseRead = { lease: NodeLease } | { failed: string };

/** The pods a node runs, or `forbidden` when listing them was (kubectl then says so). */
export type NodePods = ResourcedPod[] | "forbidden";

function roles(node: DescribedNode): string {
  const found = new Set<string>();
  for (const [key, label] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length)
      found.add(key.slice(ROLE_PREFIX.length));
    else if (key === ROLE_LABEL && label !== "") found.add(label);
  }
  return [...found].sort(byteOrder).join(",") || "<none>";
}

function taints(w: Writer, node: DescribedNode): void {
  const list = node.spec?.taints ?? [];
  w.write(0, "Taints:\t");
  if (list.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  const key = (t: (typeof list)[number]) => `${t.effect},${t.key}`;
  const sorted = goSorted(list, (a, b) => byteOrder(key(a), key(b)));
  sorted.forEach((t, i) => {
    if (i > 0) w.write(0, "\t");
    w.write(0, t.value ? `${t.key}=${t.value}:${t.effect}\n` : `${t.key}:${t.effect}\n`);
  });
}

function lease(w: Writer, read: LeaseRead): void {
  if ("failed" in read) {
    w.write(0, `Lease:\tFailed to get lease: ${read.failed}\n`);
    return;
  }
  const spec = read.lease.spec;
  w.write(0, "Lease:\n");
  w.write(1, `HolderIdentity:\t${spec?.holderIdentity ?? "<unset>"}\n`);
  w.write(1, `AcquireTime:\t${spec?.acquireTime === undefined ? "<unset>" : rfc1123z(spec.acquireTime)}\n`);
  w.write(1, `RenewTime:\t${spec?.renewTime === undefined ? "<unset>" : rfc1123z(spec.renewTime)}\n`);
}

function resourceList(w: Writer, title: string, list: Record<string, string> | undefined): void {
  const names = Object.keys(list ?? {}).sort(byteOrder);
  if (names.length === 0) return;
  w.write(0, `${title}:\n`);
  for (const name of names) w.write(0, `  ${name}:\t${quantity(list?.[name] ?? "")}\n`);
}

const text = (q: Formatted | undefined) => quantityText(q ?? ZERO) ?? unmodeled();
const readAll = (list: Record<string, string>): ResourceList =>
  new Map(Object.entries(list).map(([name, q]) => [name, readFormatted(q) ?? unmodeled()]));

/** `int64(float64(part) / float64(whole) * 100)`, Go's share of a whole. */
const share = (part: bigint | undefined, whole: bigint | undefined) =>
  Math.trunc((Number(part ?? unmodeled()) / Number(whole ?? unmodeled())) * 100);

/** A quantity and its share of what the node can allocate, by MilliValue (CPU) or Value (the rest). */
function withShare(q: Formatted | undefined, of: Formatted | undefined, milli: boolean): string {
  const read = milli ? milliValue : value;
  const whole = read((of ?? ZERO).value);
  const part = read((q ?? ZERO).value);
  return `${text(q)} (${whole === 0n ? 0 : share(part, whole)}%)`;
}

function podsAndAllocation(w: Writer, pods: ResourcedPod[], allocatable: ResourceList, now: number): void {
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
  w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  const cpu = allocatable.get("cpu");
  const memory = allocatable.get("memory");
  const requests: ResourceList = new Map();
  const limits: ResourceList = new Map();
  for (const pod of pods) {
    // kubectl divides by these for every pod without checking them.
    if (!milliValue(cpu?.value ?? 0n) || !value(memory?.value ?? 0n)) unmodeled();
    const own = podRequestsAndLimits(pod) ?? unmodeled();
    addInto(requests, own.requests);
    addInto(limits, own.limits);
    const age = Date.parse(pod.metadata.creationTimestamp);
    if (Number.isNaN(age)) unmodeled();
    const cells = [
      withShare(own.requests.get("cpu"), cpu, true),
      withShare(own.limits.get("cpu"), cpu, true),
      withShare(own.requests.get("memory"), memory, false),
      withShare(own.limits.get("memory"), memory, false),
    ];
    w.write(
      1,
      `${pod.metadata.namespace}\t${pod.metadata.name}\t\t${cells.join("\t")}\t${humanDuration(now - age)}\n`,
    );
  }
  w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(1, "Resource\tRequests\tLimits\n");
  w.write(1, "--------\t--------\t------\n");
  const names = [...allocatable.keys()].sort(byteOrder);
  const hugePages = names.filter((name) => name.startsWith(HUGE_PAGES));
  const extended = names.filter(
    (name) => !name.startsWith(HUGE_PAGES) && !STANDARD.has(name) && name !== "pods",
  );
  for (const name of ["cpu", "memory", "ephemeral-storage", ...hugePages]) {
    const milli = name === "cpu";
    const of = allocatable.get(name);
    w.write(
      1,
      `${name}\t${withShare(requests.get(name), of, milli)}\t${withShare(limits.get(name), of, milli)}\n`,
    );
  }
  for (const name of extended)
    w.write(1, `${name}\t${text(requests.get(name))}\t${text(limits.get(name))}\n`);
}

function describe(
  node: DescribedNode,
  pods: NodePods,
  read: LeaseRead,
  list: KubeEvent[] | undefined,
  now: number,
) {
  const { metadata, spec, status } = node;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Roles:\t${roles(node)}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(metadata.creationTimestamp)}\n`);
  taints(w, node);
  w.write(0, `Unschedulable:\t${spec?.unschedulable ?? false}\n`);
  lease(w, read);
  if (status.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of status.conditions) {
      const [heartbeat, transition] = [rfc1123z(c.lastHeartbeatTime), rfc1123z(c.lastTransitionTime)];
      w.write(
        1,
        `${c.type} \t${c.status} \t${heartbeat} \t${transition} \t${c.reason ?? ""} \t${c.message ?? ""}\n`,
      );
    }
  }
  w.write(0, "Addresses:\n");
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  resourceList(w, "Capacity", status.capacity);
  resourceList(w, "Allocatable", status.allocatable);
  const info = status.nodeInfo;
  w.write(0, "System Info:\n");
  for (const [title, field] of [
    ["Machine ID", "machineID"],
    ["System UUID", "systemUUID"],
    ["Boot ID", "bootID"],
    ["Kernel Version", "kernelVersion"],
    ["OS Image", "osImage"],
    ["Operating System", "operatingSystem"],
    ["Architecture", "architecture"],
    ["Container Runtime Version", "containerRuntimeVersion"],
    ["Kubelet Version", "kubeletVersion"],
    ["Kube-Proxy Version", "kubeProxyVersion"],
  ])
    w.write(0, `  ${title}:\t${info[field as string] ?? ""}\n`);
  if (spec?.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(",")}\n`);
  if (spec?.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  if (pods === "forbidden") w.write(0, "Pods:\tnot authorized\n");
  else {
    const allocatable =
      Object.keys(status.allocatable ?? {}).length > 0 ? status.allocatable : status.capacity;
    podsAndAllocation(w, pods, readAll(allocatable ?? {}), now);
  }
  events(w, list, now);
  return w.text;
}

/**
 * What kubectl describe prints for `node`, the pods it runs, its Lease and its events (those naming
 * it by uid, then by name), laid out; undefined where it holds what is not modeled.
 */
export const describeNode = laidOutBy(describe);
