// Server-side printing: meta.k8s.io Table columns and cells per kind, mirroring the
// API server's printers (the columns `kubectl get` shows, and `-o wide` via priority 1).

import { humanDuration } from "../../src/models";
import type {
  EventView,
  KubeObject,
  LabelSelector,
  NodeView,
  PodView,
  ServiceView,
  WorkloadView,
} from "./types";

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number | boolean | null;

interface Printer {
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: number): Cell[];
}

const col = (
  name: string,
  description: string,
  priority = 0,
  type = "string",
  format = "",
): ColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
});

const NAME = col(
  "Name",
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
  0,
  "string",
  "name",
);
const AGE = col(
  "Age",
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
);

function since(ts: string | null | undefined, now: number): string {
  if (!ts) return "<unknown>";
  return humanDuration(now - Date.parse(ts));
}

/** The `-o wide` columns every workload printer has: its template's containers and their images. */
const TEMPLATE_COLUMNS = [
  col("Containers", "Names of each container in the template.", 1),
  col("Images", "Images referenced by each container in the template.", 1),
];

const age = (obj: KubeObject, now: number) => since(obj.metadata.creationTimestamp, now);

export function formatLabelSelector(sel: LabelSelector | undefined): string {
  if (!sel) return "<none>";
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  parts.sort();
  return parts.length ? parts.join(",") : "<none>";
}

function podCells(obj: KubeObject, now: number): Cell[] {
  const pod = obj as PodView;
  let restarts = 0;
  let ready = 0;
  let lastRestart = 0;
  let reason = pod.status.reason || pod.status.phase;
  let hasRunning = false;
  const statuses = pod.status.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    if (!c) continue;
    restarts += c.restartCount;
    const finished = c.lastState.terminated?.finishedAt;
    if (finished && Date.parse(finished) > lastRestart) lastRestart = Date.parse(finished);
    const { waiting, terminated, running } = c.state;
    if (waiting?.reason) reason = waiting.reason;
    else if (terminated?.reason) reason = terminated.reason;
    else if (terminated)
      reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
    else if (c.ready && running) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === "Completed" && hasRunning) {
    reason = pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True")
      ? "Running"
      : "NotReady";
  }
  if (pod.metadata.deletionTimestamp && reason !== "Succeeded" && reason !== "Failed") reason = "Terminating";
  const restartsCell =
    restarts !== 0 && lastRestart
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts);
  const gates = pod.spec.readinessGates ?? [];
  const trueConditions = new Set(
    (pod.status.conditions ?? []).filter((c) => c.status === "True").map((c) => c.type),
  );
  return [
    pod.metadata.name,
    `${ready}/${pod.spec.containers.length}`,
    reason,
    restartsCell,
    age(pod, now),
    pod.status.podIPs?.[0]?.ip || pod.status.podIP || "<none>",
    pod.spec.nodeName || "<none>",
    pod.status.nominatedNodeName || "<none>",
    gates.length
      ? `${gates.filter((g) => trueConditions.has(g.conditionType)).length}/${gates.length}`
      : "<none>",
  ];
}

function workloadWide(w: WorkloadView): Cell[] {
  const containers = w.spec.template.spec.containers;
  return [
    containers.map((c) => c.name).join(","),
    containers.map((c) => c.image).join(","),
    formatLabelSelector(w.spec.selector),
  ];
}

function nodeCells(obj: KubeObject, now: number): Cell[] {
  const node = obj as NodeView;
  const readyCond = node.status.conditions?.find((c) => c.type === "Ready");
  const status = [readyCond ? (readyCond.status === "True" ? "Ready" : "NotReady") : "Unknown"];
  if (node.spec.unschedulable) status.push("SchedulingDisabled");
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) roles.add(k.slice("node-role.kubernetes.io/".length));
    else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  const addr = (type: string) => node.status.addresses?.find((a) => a.type === type)?.address ?? "<none>";
  const info = node.status.nodeInfo;
  return [
    node.metadata.name,
    status.join(","),
    roles.size ? [...roles].sort().join(",") : "<none>",
    age(node, now),
    info.kubeletVersion,
    addr("InternalIP"),
    addr("ExternalIP"),
    info.osImage || "<unknown>",
    info.kernelVersion || "<unknown>",
    info.containerRuntimeVersion || "<unknown>",
  ];
}

function eventCells(obj: KubeObject, now: number): Cell[] {
  const ev = obj as EventView;
  const series = ev.series as { lastObservedTime?: string; count?: number } | undefined;
  const first = ev.firstTimestamp ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
  let last = ev.lastTimestamp ? since(ev.lastTimestamp, now) : first;
  let count = ev.count ?? 0;
  if (series?.lastObservedTime) {
    last = since(series.lastObservedTime, now);
    count = series.count ?? count;
  } else if (count === 0) count = 1;
  const target = ev.involvedObject.name
    ? `${ev.involvedObject.kind.toLowerCase()}/${ev.involvedObject.name}`
    : ev.involvedObject.kind.toLowerCase();
  const component = ev.source?.component || ev.reportingComponent || "";
  const host = ev.source?.host || ev.reportingInstance || "";
  return [
    last,
    ev.type,
    ev.reason,
    target,
    ev.involvedObject.fieldPath ?? "",
    host ? `${component}, ${host}` : component,
    ev.message.trim(),
    first,
    count,
    ev.metadata.name,
  ];
}

function serviceCells(obj: KubeObject, now: number): Cell[] {
  const svc = obj as ServiceView;
  const type = svc.spec.type ?? "ClusterIP";
  const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || "");
  const external = [...(svc.spec.externalIPs ?? []), ...ingress];
  let externalCell = external.length ? external.join(",") : "<none>";
  if (type === "LoadBalancer" && !external.length) externalCell = "<pending>";
  const ports = (svc.spec.ports ?? [])
    .map((p) =>
      p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? "TCP"}` : `${p.port}/${p.protocol ?? "TCP"}`,
    )
    .join(",");
  const selector = Object.entries(svc.spec.selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(",");
  return [
    svc.metadata.name,
    type,
    svc.spec.clusterIP || "<none>",
    externalCell,
    ports || "<none>",
    age(svc, now),
    selector || "<none>",
  ];
}

/**
 * A quota's resources sorted, each `name: used/hard`, requests and counts in one cell and those
 * named limits.* in the other, as the API server's quota printer writes them.
 */
function quotaCells(obj: KubeObject, now: number): Cell[] {
  const status = (obj.status ?? {}) as { hard?: Record<string, string>; used?: Record<string, string> };
  const request: string[] = [];
  const limit: string[] = [];
  for (const resource of Object.keys(status.hard ?? {}).sort()) {
    const parts = resource.split(".");
    const cell = parts.length > 1 && parts[0] === "limits" ? limit : request;
    cell.push(`${resource}: ${status.used?.[resource] ?? "0"}/${status.hard?.[resource]}`);
  }
  return [obj.metadata.name, age(obj, now), request.join(", "), limit.join(", ")];
}

/** The first three of `list`, then how many more, or <unset> for none, as the API server's printer lists them. */
function firstThree(list: string[]): string {
  if (list.length > 3) return `${list.slice(0, 3).join(",")} + ${list.length - 3} more...`;
  return list.length === 0 ? "<unset>" : list.join(",");
}

function endpointSliceCells(obj: KubeObject, now: number): Cell[] {
  const slice = obj as KubeObject & {
    addressType?: string;
    ports?: { name?: string; port?: number }[];
    endpoints?: { addresses: string[] }[];
  };
  const ports = (slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? "*")));
  const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses);
  return [
    obj.metadata.name,
    slice.addressType ?? "",
    firstThree(ports),
    firstThree(addresses),
    age(obj, now),
  ];
}

/** A Job's Completions, Duration and Status cells, as the API server's printJob writes them. */
function jobCells(obj: KubeObject, now: number): Cell[] {
  const job = obj as WorkloadView;
  const spec = job.spec as { completions?: number; parallelism?: number };
  const status = job.status as {
    succeeded?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: { type: string; status: string }[];
  };
  const succeeded = status.succeeded ?? 0;
  const parallelism = spec.parallelism ?? 0;
  const completions =
    spec.completions !== undefined
      ? `${succeeded}/${spec.completions}`
      : parallelism > 1
        ? `${succeeded}/1 of ${parallelism}`
        : `${succeeded}/1`;
  const start = status.startTime ? Date.parse(status.startTime) : undefined;
  const end = status.completionTime ? Date.parse(status.completionTime) : now;
  const duration = start === undefined ? "" : humanDuration(end - start);
  const has = (type: string) => status.conditions?.some((c) => c.type === type && c.status === "True");
  const state = has("Complete")
    ? "Complete"
    : has("Failed")
      ? "Failed"
      : job.metadata.deletionTimestamp
        ? "Terminating"
        : has("Suspended")
          ? "Suspended"
          : has("FailureTarget")
            ? "FailureTarget"
            : "Running";
  return [job.metadata.name, state, completions, duration, age(job, now), ...workloadWide(job)];
}

/** printBoolPtr: a pointer to a bool as True, False or <unset>. */
const boolPtr = (value: unknown) => (value === undefined ? "<unset>" : value ? "True" : "False");

function cronJobCells(obj: KubeObject, now: number): Cell[] {
  const spec = obj.spec as {
    schedule: string;
    timeZone?: string;
    suspend?: boolean;
    jobTemplate: { spec: WorkloadView["spec"] };
  };
  const status = (obj.status ?? {}) as { active?: unknown[]; lastScheduleTime?: string };
  return [
    obj.metadata.name,
    spec.schedule,
    spec.timeZone ?? "<none>",
    boolPtr(spec.suspend),
    status.active?.length ?? 0,
    status.lastScheduleTime ? since(status.lastScheduleTime, now) : "<none>",
    age(obj, now),
    ...workloadWide({ ...(obj as WorkloadView), spec: spec.jobTemplate.spec }),
  ];
}

/** GetAccessModesAsString: each mode held, in this order, short. */
const ACCESS_MODES: [string, string][] = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];

function claimCells(obj: KubeObject, now: number): Cell[] {
  const spec = obj.spec as { volumeName?: string; storageClassName?: string; volumeMode?: string };
  const status = (obj.status ?? {}) as {
    phase?: string;
    accessModes?: string[];
    capacity?: { storage?: string };
  };
  const bound = Boolean(spec.volumeName);
  const modes = status.accessModes ?? [];
  return [
    obj.metadata.name,
    obj.metadata.deletionTimestamp ? "Terminating" : (status.phase ?? ""),
    spec.volumeName ?? "",
    bound ? (status.capacity?.storage ?? "0") : "",
    bound ? modesOf(modes) : "",
    obj.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? spec.storageClassName ?? "",
    "<unset>",
    age(obj, now),
    spec.volumeMode ?? "<unset>",
  ];
}

const modesOf = (modes: string[] | undefined) =>
  ACCESS_MODES.filter(([mode]) => modes?.includes(mode))
    .map(([, short]) => short)
    .join(",");

function volumeCells(obj: KubeObject, now: number): Cell[] {
  const spec = obj.spec as {
    capacity?: { storage?: string };
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    claimRef?: { namespace?: string; name?: string };
    storageClassName?: string;
    volumeMode?: string;
  };
  const status = (obj.status ?? {}) as { phase?: string; reason?: string };
  return [
    obj.metadata.name,
    spec.capacity?.storage ?? "0",
    modesOf(spec.accessModes),
    spec.persistentVolumeReclaimPolicy ?? "",
    obj.metadata.deletionTimestamp ? "Terminating" : (status.phase ?? ""),
    spec.claimRef ? `${spec.claimRef.namespace ?? ""}/${spec.claimRef.name ?? ""}` : "",
    obj.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? spec.storageClassName ?? "",
    "<unset>",
    status.reason ?? "",
    age(obj, now),
    spec.volumeMode ?? "<unset>",
  ];
}

/** The API server's ingress printer: class, the first three hosts, the address clipped to 16, ports. */
function ingressCells(obj: KubeObject, now: number): Cell[] {
  const spec = obj.spec as { ingressClassName?: string; rules?: { host?: string }[]; tls?: unknown[] };
  const status = (obj.status ?? {}) as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
  const rules = spec.rules ?? [];
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === 3) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  const hostCell =
    hosts.length === 0 ? "*" : more ? `${hosts.join(",")} + ${rules.length - 3} more...` : hosts.join(",");
  const points = [
    ...new Set((status.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || "").filter(Boolean)),
  ].sort();
  const address = points.join(",");
  return [
    obj.metadata.name,
    spec.ingressClassName ?? "<none>",
    hostCell,
    address.length > 16 ? `${address.slice(0, 13)}...` : address,
    spec.tls?.length ? "80, 443" : "80",
    age(obj, now),
  ];
}

interface HpaMetric {
  type: string;
  resource?: { name: string; target: { averageUtilization?: number; averageValue?: string } };
  pods?: { metric: { name: string }; target: { averageValue?: string } };
  object?: { metric: { name: string }; target: { value?: string; averageValue?: string } };
  external?: { metric: { name: string }; target: { value?: string; averageValue?: string } };
  containerResource?: { name: string; target: { averageUtilization?: number; averageValue?: string } };
}
type HpaCurrent = { averageUtilization?: number; averageValue?: string; value?: string };

/** Where each metric type keeps its source, in a spec and in a status. */
const HPA_SOURCE: Record<string, "resource" | "pods" | "object" | "external" | "containerResource"> = {
  Resource: "resource",
  Pods: "pods",
  Object: "object",
  External: "external",
  ContainerResource: "containerResource",
};

/** The API server's formatHPAMetrics: each metric's current/target, two at most, then how many more. */
function hpaTargets(specs: HpaMetric[], statuses: Record<string, { current?: HpaCurrent }>[]): string {
  if (specs.length === 0) return "<none>";
  const list = specs.map((spec, i) => {
    const key = HPA_SOURCE[spec.type] ?? "resource";
    const source = spec[key] as { name?: string; metric?: { name: string }; target: HpaCurrent } | undefined;
    const current = statuses[i]?.[key]?.current;
    const target = source?.target ?? {};
    const name = source?.name ?? source?.metric?.name ?? "";
    if (target.averageUtilization !== undefined) {
      const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : "<unknown>";
      return `${name}: ${now}/${target.averageUtilization}%`;
    }
    return `${name}: ${current?.averageValue ?? current?.value ?? "<unknown>"}/${target.averageValue ?? target.value ?? ""}`;
  });
  return list.length > 2 ? `${list.slice(0, 2).join(", ")} + ${list.length - 2} more...` : list.join(", ");
}

interface EndpointSubset {
  addresses?: { ip: string }[];
  ports?: { port: number }[];
}

/**
 * formatEndpoints: the first three ready addresses, `ip:port` for each port of their subset (an IP
 * alone for a subset without ports, an IPv6 one bracketed), then how many more there are.
 */
function endpointsCell(obj: KubeObject): string {
  const subsets = (obj as { subsets?: EndpointSubset[] }).subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (text: string) => {
    if (list.length === max) more = true;
    else list.push(text);
  };
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const address of addresses) if (!more) add(address.ip);
      continue;
    }
    for (const { port } of ports) {
      count += addresses.length;
      for (const { ip } of addresses) if (!more) add(`${ip.includes(":") ? `[${ip}]` : ip}:${port}`);
    }
  }
  return more ? `${list.join(",")} + ${count - max} more...` : list.join(",");
}

interface Binding {
  roleRef: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

/**
 * printRoleBinding and printClusterRoleBinding: the role as Kind/name, and with -o wide the
 * subjects as rbac.SubjectsStrings groups them (service accounts as namespace/name).
 */
function bindingPrinter(kind: string, roleRef: string): Printer {
  const of = (list: Binding["subjects"], wanted: string) =>
    (list ?? [])
      .filter((s) => s.kind === wanted)
      .map((s) => (wanted === "ServiceAccount" ? `${s.namespace ?? ""}/${s.name}` : s.name))
      .join(", ");
  return {
    columns: [
      NAME,
      col("Role", roleRef),
      AGE,
      col("Users", `Users in the ${kind}`, 1),
      col("Groups", `Groups in the ${kind}`, 1),
      col("ServiceAccounts", `ServiceAccounts in the ${kind}`, 1),
    ],
    cells: (obj, now) => {
      const { roleRef, subjects } = obj as unknown as Binding;
      return [
        obj.metadata.name,
        `${roleRef.kind}/${roleRef.name}`,
        age(obj, now),
        of(subjects, "User"),
        of(subjects, "Group"),
        of(subjects, "ServiceAccount"),
      ];
    },
  };
}

/** printIngressClass: the parameters as Kind[.group]/name. */
function ingressClassParameters(obj: KubeObject): string {
  const { parameters } = (obj.spec ?? {}) as {
    parameters?: { apiGroup?: string; kind: string; name: string };
  };
  if (parameters === undefined) return "<none>";
  return `${parameters.kind}${parameters.apiGroup !== undefined ? `.${parameters.apiGroup}` : ""}/${parameters.name}`;
}

const PRINTERS: Record<string, Printer> = {
  // Roles, ClusterRoles and CustomResourceDefinitions have no printer of their own: the default one prints them.
  PriorityClass: {
    columns: [
      NAME,
      col(
        "Value",
        "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.",
        0,
        "integer",
      ),
      col(
        "Global-Default",
        "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.",
        0,
        "boolean",
      ),
      AGE,
      col(
        "PreemptionPolicy",
        "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.",
      ),
    ],
    cells: (obj, now) => [
      obj.metadata.name,
      obj.value as number,
      (obj.globalDefault as boolean | undefined) ?? false,
      age(obj, now),
      (obj.preemptionPolicy as string | undefined) ?? "",
    ],
  },
  IngressClass: {
    columns: [
      NAME,
      col("Controller", "Controller that is responsible for handling this class"),
      col("Parameters", "A reference to a resource with additional parameters"),
      AGE,
    ],
    cells: (obj, now) => [
      obj.metadata.name,
      (obj.spec as { controller?: string } | undefined)?.controller ?? "",
      ingressClassParameters(obj),
      age(obj, now),
    ],
  },
  RoleBinding: bindingPrinter(
    "roleBinding",
    "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.",
  ),
  ClusterRoleBinding: bindingPrinter(
    "clusterRoleBinding",
    "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.",
  ),
  Pod: {
    columns: [
      NAME,
      col("Ready", "The aggregate readiness state of this pod for accepting traffic."),
      col("Status", "The aggregate status of the containers in this pod."),
      col(
        "Restarts",
        "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
      ),
      AGE,
      col(
        "IP",
        "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
        1,
      ),
      col("Node", "NodeName indicates in which node this pod is scheduled.", 1),
      col(
        "Nominated Node",
        "nominatedNodeName is set only when this pod preempts other pods on the node.",
        1,
      ),
      col("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
    ],
    cells: podCells,
  },
  Deployment: {
    columns: [
      NAME,
      col("Ready", "Number of the pod with ready state"),
      col(
        "Up-to-date",
        "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
      ),
      col(
        "Available",
        "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
      ),
      AGE,
      ...TEMPLATE_COLUMNS,
      col(
        "Selector",
        "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
        1,
      ),
    ],
    cells: (obj, now) => {
      const d = obj as WorkloadView;
      const s = d.status;
      return [
        d.metadata.name,
        `${s.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
        s.updatedReplicas ?? 0,
        s.availableReplicas ?? 0,
        age(d, now),
        ...workloadWide(d),
      ];
    },
  },
  DaemonSet: {
    columns: [
      NAME,
      col("Desired", "The total number of nodes that should be running the daemon pod.", 0, "integer"),
      col(
        "Current",
        "The number of nodes running at least one daemon pod and are supposed to.",
        0,
        "integer",
      ),
      col(
        "Ready",
        "The number of nodes that should be running the daemon pod and have one ready.",
        0,
        "integer",
      ),
      col("Up-to-date", "The total number of nodes that are running updated daemon pod.", 0, "integer"),
      col(
        "Available",
        "The number of nodes that should be running the daemon pod and have one available.",
        0,
        "integer",
      ),
      col("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
      AGE,
      ...TEMPLATE_COLUMNS,
      col("Selector", "A label query over pods that are managed by the daemon set.", 1),
    ],
    cells: (obj, now) => {
      const d = obj as WorkloadView;
      const s = d.status as Record<string, number | undefined>;
      const nodeSelector =
        (d.spec.template.spec as { nodeSelector?: Record<string, string> }).nodeSelector ?? {};
      const selected = Object.keys(nodeSelector)
        .sort()
        .map((key) => `${key}=${nodeSelector[key]}`)
        .join(",");
      return [
        d.metadata.name,
        s.desiredNumberScheduled ?? 0,
        s.currentNumberScheduled ?? 0,
        s.numberReady ?? 0,
        s.updatedNumberScheduled ?? 0,
        s.numberAvailable ?? 0,
        selected || "<none>",
        age(d, now),
        ...workloadWide(d),
      ];
    },
  },
  StatefulSet: {
    columns: [NAME, col("Ready", "Number of the pod with ready state"), AGE, ...TEMPLATE_COLUMNS],
    cells: (obj, now) => {
      const s = obj as WorkloadView;
      return [
        s.metadata.name,
        `${s.status.readyReplicas ?? 0}/${s.spec.replicas ?? 1}`,
        age(s, now),
        ...workloadWide(s).slice(0, 2),
      ];
    },
  },
  Job: {
    columns: [
      NAME,
      col("Status", "Status of the job."),
      col(
        "Completions",
        "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.",
      ),
      col("Duration", "Time required to complete the job."),
      AGE,
      ...TEMPLATE_COLUMNS,
      col(
        "Selector",
        "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
        1,
      ),
    ],
    cells: jobCells,
  },
  CronJob: {
    columns: [
      NAME,
      col("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
      col(
        "Timezone",
        "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.",
      ),
      col(
        "Suspend",
        "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.",
        0,
        "boolean",
      ),
      col("Active", "A list of pointers to currently running jobs.", 0, "integer"),
      col("Last Schedule", "Information when was the last time the job was successfully scheduled."),
      AGE,
      ...TEMPLATE_COLUMNS,
      col(
        "Selector",
        "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
        1,
      ),
    ],
    cells: cronJobCells,
  },
  PersistentVolume: {
    columns: [
      NAME,
      col("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
      col("Access Modes", "accessModes contains all ways the volume can be mounted."),
      col(
        "Reclaim Policy",
        "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.",
      ),
      col("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
      col(
        "Claim",
        "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.",
      ),
      col("StorageClass", "StorageClass of the pv"),
      col("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
      col(
        "Reason",
        "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.",
      ),
      AGE,
      col(
        "VolumeMode",
        "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.",
        1,
      ),
    ],
    cells: volumeCells,
  },
  StorageClass: {
    columns: [
      NAME,
      col("Provisioner", "provisioner indicates the type of the provisioner."),
      col(
        "ReclaimPolicy",
        "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.",
      ),
      col(
        "VolumeBindingMode",
        "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.",
      ),
      col(
        "AllowVolumeExpansion",
        "allowVolumeExpansion shows whether the storage class allow volume expand.",
      ),
      AGE,
    ],
    cells: (obj, now) => {
      const sc = obj as unknown as {
        provisioner: string;
        reclaimPolicy?: string;
        volumeBindingMode?: string;
        allowVolumeExpansion?: boolean;
      };
      const isDefault = obj.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
      return [
        `${obj.metadata.name}${isDefault ? " (default)" : ""}`,
        sc.provisioner,
        sc.reclaimPolicy ?? "Delete",
        sc.volumeBindingMode ?? "Immediate",
        sc.allowVolumeExpansion ?? false,
        age(obj, now),
      ];
    },
  },
  PersistentVolumeClaim: {
    columns: [
      NAME,
      col("Status", "phase represents the current phase of PersistentVolumeClaim."),
      col("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
      col("Capacity", "capacity represents the actual resources of the underlying volume."),
      col(
        "Access Modes",
        "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1",
      ),
      col("StorageClass", "StorageClass of the pvc"),
      col("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
      AGE,
      col(
        "VolumeMode",
        "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.",
        1,
      ),
    ],
    cells: claimCells,
  },
  ControllerRevision: {
    columns: [
      NAME,
      col("Controller", "Controller of the object"),
      col("Revision", "Revision indicates the revision of the state represented by Data."),
      AGE,
    ],
    cells: (obj, now) => {
      const owner = obj.metadata.ownerReferences?.find((ref) => ref.controller);
      const group = owner?.apiVersion.includes("/") ? `.${owner.apiVersion.split("/")[0]}` : "";
      return [
        obj.metadata.name,
        owner ? `${owner.kind.toLowerCase()}${group}/${owner.name}` : "<none>",
        (obj as KubeObject & { revision: number }).revision,
        age(obj, now),
      ];
    },
  },
  Ingress: {
    columns: [
      NAME,
      col("Class", "The name of the IngressClass resource that should be used"),
      col("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
      col("Address", "Address is a list containing ingress points for the load-balancer"),
      col("Ports", "Ports of TLS configurations that open"),
      AGE,
    ],
    cells: ingressCells,
  },
  HorizontalPodAutoscaler: {
    columns: [
      NAME,
      col("Reference", "The identifier for the scaled object"),
      col("Targets", "The current and target values of the metrics used to scale"),
      col("MinPods", "The lower limit for the number of replicas to which the autoscaler can scale down."),
      col(
        "MaxPods",
        "The upper limit for the number of pods that can be set by the autoscaler.",
        0,
        "integer",
      ),
      col("Replicas", "The current number of replicas of pods managed by this autoscaler.", 0, "integer"),
      AGE,
    ],
    cells: (obj, now) => {
      const spec = obj.spec as {
        scaleTargetRef: { kind: string; name: string };
        minReplicas?: number;
        maxReplicas: number;
        metrics?: HpaMetric[];
      };
      const status = (obj.status ?? {}) as {
        currentReplicas?: number;
        currentMetrics?: Record<string, { current?: HpaCurrent }>[];
      };
      return [
        obj.metadata.name,
        `${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}`,
        hpaTargets(spec.metrics ?? [], status.currentMetrics ?? []),
        spec.minReplicas === undefined ? "<unset>" : String(spec.minReplicas),
        spec.maxReplicas,
        status.currentReplicas ?? 0,
        age(obj, now),
      ];
    },
  },
  NetworkPolicy: {
    columns: [NAME, col("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."), AGE],
    cells: (obj, now) => [
      obj.metadata.name,
      formatLabelSelector((obj.spec as { podSelector?: LabelSelector }).podSelector),
      age(obj, now),
    ],
  },
  PodDisruptionBudget: {
    columns: [
      NAME,
      col("Min Available", "The minimum number of pods that must be available simultaneously"),
      col("Max Unavailable", "The maximum number of pods that may be unavailable simultaneously"),
      col(
        "Allowed Disruptions",
        "Calculated number of pods that may be disrupted at this time",
        0,
        "integer",
      ),
      AGE,
    ],
    cells: (obj, now) => {
      const spec = obj.spec as { minAvailable?: number | string; maxUnavailable?: number | string };
      return [
        obj.metadata.name,
        spec.minAvailable === undefined ? "N/A" : String(spec.minAvailable),
        spec.maxUnavailable === undefined ? "N/A" : String(spec.maxUnavailable),
        (obj.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0,
        age(obj, now),
      ];
    },
  },
  ReplicaSet: {
    columns: [
      NAME,
      col("Desired", "Replicas is the number of desired replicas.", 0, "integer"),
      col("Current", "Replicas is the most recently observed number of replicas.", 0, "integer"),
      col("Ready", "The number of ready replicas for this replica set.", 0, "integer"),
      AGE,
      ...TEMPLATE_COLUMNS,
      col("Selector", "Selector is a label query over pods that should match the replica count.", 1),
    ],
    cells: (obj, now) => {
      const rs = obj as WorkloadView;
      return [
        rs.metadata.name,
        rs.spec.replicas ?? 1,
        rs.status.replicas ?? 0,
        rs.status.readyReplicas ?? 0,
        age(rs, now),
        ...workloadWide(rs),
      ];
    },
  },
  Node: {
    columns: [
      NAME,
      col("Status", "The status of the node"),
      col("Roles", "The roles of the node"),
      AGE,
      col("Version", "Kubelet Version reported by the node."),
      col(
        "Internal-IP",
        "List of addresses reachable to the node. Queried from cloud provider, if available.",
        1,
      ),
      col(
        "External-IP",
        "List of addresses reachable to the node. Queried from cloud provider, if available.",
        1,
      ),
      col(
        "OS-Image",
        "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
        1,
      ),
      col(
        "Kernel-Version",
        "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
        1,
      ),
      col(
        "Container-Runtime",
        "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
        1,
      ),
    ],
    cells: nodeCells,
  },
  EndpointSlice: {
    columns: [
      NAME,
      col("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
      col("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
      col("Endpoints", "endpoints is a list of unique endpoints in this slice."),
      AGE,
    ],
    cells: endpointSliceCells,
  },
  ResourceQuota: {
    columns: [
      NAME,
      AGE,
      col("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
      col(
        "Limit",
        "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
      ),
    ],
    cells: quotaCells,
  },
  Namespace: {
    columns: [NAME, col("Status", "The status of the namespace"), AGE],
    cells: (obj, now) => [
      obj.metadata.name,
      String((obj.status as { phase?: string } | undefined)?.phase ?? ""),
      age(obj, now),
    ],
  },
  Event: {
    columns: [
      col("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
      col("Type", "Type of this event (Normal, Warning), new types could be added in the future."),
      col(
        "Reason",
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ),
      col("Object", "The object that this event is about."),
      col("Subobject", "The subobject that this event is about.", 1),
      col(
        "Source",
        "The component reporting this event. Should be a short machine understandable string.",
        1,
      ),
      col("Message", "A human-readable description of the status of this operation."),
      col(
        "First Seen",
        "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
        1,
      ),
      col("Count", "The number of times this event has occurred.", 1),
      { ...NAME, priority: 1 },
    ],
    cells: eventCells,
  },
  Secret: {
    columns: [
      NAME,
      col("Type", "The type of the secret"),
      col("Data", "The number of entries in the secret"),
      AGE,
    ],
    cells: (obj, now) => [
      obj.metadata.name,
      String(obj.type ?? "Opaque"),
      Object.keys((obj.data as Record<string, string> | undefined) ?? {}).length,
      age(obj, now),
    ],
  },
  Endpoints: {
    columns: [
      NAME,
      col(
        "Endpoints",
        "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.",
      ),
      AGE,
    ],
    cells: (obj, now) => [obj.metadata.name, endpointsCell(obj), age(obj, now)],
  },
  ServiceAccount: {
    columns: [
      NAME,
      col(
        "Secrets",
        "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
      ),
      AGE,
    ],
    cells: (obj, now) => [
      obj.metadata.name,
      ((obj as { secrets?: unknown[] }).secrets ?? []).length,
      age(obj, now),
    ],
  },
  ConfigMap: {
    columns: [NAME, col("Data", "Data contains the configuration data."), AGE],
    cells: (obj, now) => [
      obj.metadata.name,
      Object.keys((obj.data as object | undefined) ?? {}).length +
        Object.keys((obj.binaryData as object | undefined) ?? {}).length,
      age(obj, now),
    ],
  },
  Service: {
    columns: [
      NAME,
      col("Type", "The type of the service."),
      col("Cluster-IP", "The IP address of the service."),
      col("External-IP", "The external IP addresses of the service."),
      col("Port(s)", "The ports of the service."),
      AGE,
      col("Selector", "Route service traffic to pods with label keys and values matching this selector.", 1),
    ],
    cells: serviceCells,
  },
};

/** metrics-server's table: the name, each measured resource as a quantity, and the window. */
function metricsPrinter(usageOf: (obj: KubeObject) => { cpu: string; memory: string }): Printer {
  return {
    columns: [
      col("Name", "Name of the resource", 0, "string", "name"),
      col("cpu", "", 0, "string", "quantity"),
      col("memory", "", 0, "string", "quantity"),
      col("Window", "", 0, "string", "duration"),
    ],
    cells: (obj) => {
      const { cpu, memory } = usageOf(obj);
      return [obj.metadata.name, cpu, memory, String(obj.window)];
    },
  };
}

const METRICS_PRINTERS: Record<string, Printer> = {
  NodeMetrics: metricsPrinter((obj) => obj.usage as { cpu: string; memory: string }),
  // The stand-in's pods have one container each, so a pod's usage is its container's.
  PodMetrics: metricsPrinter(
    (obj) =>
      (obj.containers as { usage: { cpu: string; memory: string } }[])[0]?.usage ?? { cpu: "0", memory: "0" },
  ),
};

/**
 * A CRD's table as the apiextensions server builds it: the name, then the CRD's additional printer
 * columns, each cell the JSONPath's value (null where it finds none, which kubectl prints as
 * <none>), a date column as the object's age.
 */
function customPrinter(columns: [ColumnDefinition, (obj: KubeObject) => Cell][]): Printer {
  return {
    columns: [NAME, ...columns.map(([column]) => column), col("Age", AGE.description, 0, "date")],
    cells: (obj, now) => [obj.metadata.name, ...columns.map(([, cell]) => cell(obj)), age(obj, now)],
  };
}

/** `.status.conditions[?(@.type=="Ready")]`'s field, as cert-manager's columns read it. */
const ready = (field: "status" | "message") => (obj: KubeObject) =>
  (obj.status as { conditions?: Record<string, string>[] } | undefined)?.conditions?.find(
    (c) => c.type === "Ready",
  )?.[field] ?? null;

const CUSTOM_PRINTERS: Record<string, Printer> = {
  Certificate: customPrinter([
    [col("Ready", ""), ready("status")],
    [col("Secret", ""), (obj) => (obj.spec as { secretName: string }).secretName],
    [col("Issuer", "", 1), (obj) => (obj.spec as { issuerRef: { name: string } }).issuerRef.name],
    [col("Status", "", 1), ready("message")],
  ]),
  ClusterIssuer: customPrinter([
    [col("Ready", ""), ready("status")],
    [col("Status", "", 1), ready("message")],
  ]),
  Canary: customPrinter([
    [col("Status", ""), (obj) => (obj.status as { phase?: string } | undefined)?.phase ?? null],
    [
      col("Weight", "", 0, "integer"),
      (obj) => (obj.status as { canaryWeight?: number } | undefined)?.canaryWeight ?? null,
    ],
    [
      col("LastTransitionTime", ""),
      (obj) => (obj.status as { lastTransitionTime?: string } | undefined)?.lastTransitionTime ?? null,
    ],
  ]),
};

const DEFAULT_PRINTER: Printer = {
  columns: [NAME, col("Created At", AGE.description, 0, "date")],
  cells: (obj) => [obj.metadata.name, obj.metadata.creationTimestamp],
};

export type IncludeObject = "None" | "Metadata" | "Object";

/** A meta.k8s.io Table for `objects`, rows in the given order. */
export function toTable(
  kind: string,
  objects: KubeObject[],
  opts: { apiVersion: string; includeObject: IncludeObject; listMeta: Record<string, unknown>; now: number },
) {
  const printer = PRINTERS[kind] ?? METRICS_PRINTERS[kind] ?? CUSTOM_PRINTERS[kind] ?? DEFAULT_PRINTER;
  return {
    kind: "Table",
    apiVersion: opts.apiVersion,
    metadata: opts.listMeta,
    columnDefinitions: printer.columns,
    rows: objects.map((obj) => {
      const row: Record<string, unknown> = { cells: printer.cells(obj, opts.now) };
      if (opts.includeObject === "Object") row.object = obj;
      else if (opts.includeObject === "Metadata") {
        row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
      }
      return row;
    }),
  };
}
