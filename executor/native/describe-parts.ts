/**
 * Owns the pieces kubectl's describers share, as kubectl v1.32 writes them: the PrefixWriter's
 * levels, labels and annotations, containers (of a pod, with their statuses and the field
 * references kubectl resolves, or of a template, without), volumes, tolerations and events, the
 * time and quantity forms, and the layout (Go's tabwriter as describe sets it: minimum width 0,
 * padding 2). Where an object holds something not modeled, a piece throws Unmodeled and the
 * describer answers undefined, so the command runs kubectl.
 */
import { humanDuration } from "../../src/models";
import type {
  Container,
  ContainerState,
  ContainerStatus,
  DescribedPod,
  EnvVar,
  FullSelector,
  PodTemplate,
  Probe,
  Tolerations,
  TopologySpread,
  Volume,
} from "./describe-types";
import { lastSeen, sortTime } from "./events";
import { goSorted } from "./go-sort";
import type { KubeEvent } from "./kube-types";
import { LAID_OUT_TEXT, tabwrite } from "./tabwriter";

/** Thrown where an object holds what is not modeled; laidOut answers undefined for it. */
class Unmodeled extends Error {}
export const unmodeled = (): never => {
  throw new Unmodeled();
};

const MAX_ANNOTATION = 140;
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Go's string order (bytes; names and keys here are ASCII). */
export const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A map kubectl walks in Go's random order, as entries in byte order of key: one of the orders
 * kubectl prints, and the same every time.
 */
export function byKey(map: Record<string, string> | undefined): [string, string][] {
  return Object.entries(map ?? {}).sort(([a], [b]) => byteOrder(a, b));
}

/** Text written level by level, as describe's PrefixWriter writes it. */
export class Writer {
  text = "";
  write(level: number, text: string): void {
    this.text += "  ".repeat(level) + text;
  }
}

const two = (n: number) => String(n).padStart(2, "0");

/** Go's time.RFC1123Z in UTC, the zone kubectl prints in when the executor runs in UTC. */
export function rfc1123z(text: string | undefined): string {
  const at = text === undefined ? Number.NaN : Date.parse(text);
  if (Number.isNaN(at)) unmodeled();
  const d = new Date(at);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/**
 * A quantity as Quantity.String() prints it, which is how it was written when written canonically:
 * a whole number with no factor its suffix's base could take out (1000 for decimal suffixes, 1024
 * for binary ones), or 0. Anything else kubectl would rewrite, which this does not model.
 */
export function quantity(text: string): string {
  const match = /^([1-9][0-9]*)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(text);
  if (text === "0") return text;
  if (!match) return unmodeled();
  const [, mantissa = "", suffix = ""] = match;
  const base = suffix.endsWith("i") ? 1024n : 1000n;
  if (!["E", "Ei"].includes(suffix) && BigInt(mantissa) % base === 0n) unmodeled();
  return text;
}

const ACCESS_MODES: [string, string][] = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];

/** A volume's or claim's access modes as GetAccessModesAsString writes them: RWO, ROX, RWX, RWOP in that order. */
export function accessModes(modes: readonly string[] | undefined): string {
  return ACCESS_MODES.filter(([mode]) => modes?.includes(mode))
    .map(([, short]) => short)
    .join(",");
}

/**
 * `title:` over selector terms, as printNodeSelectorTermsMultilineWithIndent (a volume's node
 * affinity) and printTopologySelectorTermsMultilineWithIndent (a storage class's topologies) write
 * them: `<none>`, or each `Term N:` a level in, its requirements one a line (`key op [values]`, the
 * operator in lower case), aligned after a tab.
 */
export function selectorTerms(
  w: Writer,
  level: number,
  title: string,
  terms: { key: string; operator: string; values?: string[] }[][],
): void {
  w.write(level, `${title}:\t`);
  if (terms.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  w.write(0, "\n");
  terms.forEach((requirements, i) => {
    w.write(level + 1, `Term ${i}:\t`);
    if (requirements.length === 0) w.write(0, "<none>\n");
    requirements.forEach(({ key, operator, values }, j) => {
      if (j !== 0) w.write(level + 1, "\t");
      w.write(0, `${key} ${operator.toLowerCase()}${values?.length ? ` [${values.join(", ")}]` : ""}\n`);
    });
  });
}

/** The status of an object being deleted, as the volume and claim describers write it. */
export function terminating(deletionTimestamp: string, now: number): string {
  return `Terminating (lasts ${humanDuration(now - Date.parse(deletionTimestamp))})`;
}

/**
 * A claim's or a volume's storage class as GetPersistentVolumeClaimClass and
 * GetPersistentVolumeClass read it: the beta annotation first.
 */
export function storageClassOf(
  annotations: Record<string, string> | undefined,
  storageClassName?: string,
): string {
  return annotations?.["volume.beta.kubernetes.io/storage-class"] ?? storageClassName ?? "";
}

/** Go's len of a string: its UTF-8 bytes. */
const utf8Length = (text: string) => Buffer.byteLength(text);

/**
 * describe's shorten: past `max` bytes, the first `max` bytes and `...`. A cut inside a character
 * leaves Go printing half of it, which is not modeled.
 */
export function shorten(text: string, max: number): string {
  if (utf8Length(text) <= max) return text;
  const cut = Buffer.from(text).subarray(0, max).toString();
  if (utf8Length(cut) !== max || cut.includes("\uFFFD")) unmodeled();
  return `${cut}...`;
}

/** `title:` then sorted key=value lines, as printLabelsMultiline writes a map. */
export function labels(w: Writer, title: string, map: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(map ?? {}).sort();
  if (keys.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  keys.forEach((key, i) => {
    if (i > 0) w.write(0, "\t");
    w.write(0, `${key}=${map?.[key]}\n`);
  });
}

export function annotations(w: Writer, title: string, map: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(map ?? {})
    .filter((key) => key !== LAST_APPLIED)
    .sort();
  if (keys.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  keys.forEach((key, i) => {
    if (i > 0) w.write(0, "\t");
    const value = (map?.[key] ?? "").replace(/\n$/, "");
    if (utf8Length(value) + utf8Length(key) + 2 > MAX_ANNOTATION || value.includes("\n")) {
      w.write(0, `${key}:\n`);
      for (const line of value.split("\n")) w.write(0, `\t  ${shorten(line, MAX_ANNOTATION - 2)}\n`);
    } else w.write(0, `${key}: ${value}\n`);
  });
}

/** What the opening lines of a namespaced object's description are made of. */
interface Identity {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The lines many describers open with: name, namespace, labels and annotations. */
export function nameAndLabels(w: Writer, metadata: Identity): void {
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Namespace:\t${metadata.namespace}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
}

function probe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const { host = "", path = "", port, scheme = "" } = p.httpGet;
    // Go's url.URL writes these as they are; anything it would escape or bracket is not modeled.
    if (!scheme || !/^[A-Za-z0-9.-]*$/.test(host) || !/^(\/[A-Za-z0-9/._~-]*)?$/.test(path)) unmodeled();
    return `http-get ${scheme.toLowerCase()}://${host}:${port}${path} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ""}:${p.tcpSocket.port} ${attrs}`;
  return unmodeled();
}

/**
 * What EnvValueRetriever reads for a field reference: kubectl's fieldpath helper answers only the
 * pod's name, namespace and uid (and its labels and annotations, not modeled here); for every other
 * field it fails, and describe prints nothing.
 */
function fieldValue(pod: DescribedPod | undefined, fieldPath: string): string {
  // A template's containers are described with no pod to read from: every reference prints empty.
  if (pod === undefined) return "";
  if (fieldPath === "metadata.name") return pod.metadata.name;
  if (fieldPath === "metadata.namespace") return pod.metadata.namespace;
  if (fieldPath === "metadata.uid") return pod.metadata.uid;
  return fieldPath.startsWith("metadata.labels") ||
    fieldPath.startsWith("metadata.annotations") ||
    fieldPath.includes("[")
    ? unmodeled()
    : "";
}

function env(w: Writer, pod: DescribedPod | undefined, vars: EnvVar[]): void {
  w.write(2, `Environment:${vars.length === 0 ? "\t<none>" : ""}\n`);
  for (const e of vars) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? "").split("\n").forEach((line, i) => {
        w.write(3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`);
      });
    } else if (from.fieldRef) {
      const { apiVersion = "v1", fieldPath } = from.fieldRef;
      if (apiVersion !== "v1") unmodeled();
      w.write(3, `${e.name}:\t${fieldValue(pod, fieldPath)} (${apiVersion}:${fieldPath})\n`);
    } else if (from.resourceFieldRef) unmodeled();
    else if (from.secretKeyRef) {
      const { key, name = "", optional = false } = from.secretKeyRef;
      w.write(3, `${e.name}:\t<set to the key '${key}' in secret '${name}'>\tOptional: ${optional}\n`);
    } else if (from.configMapKeyRef) {
      const { key, name = "", optional = false } = from.configMapKeyRef;
      w.write(3, `${e.name}:\t<set to the key '${key}' of config map '${name}'>\tOptional: ${optional}\n`);
    }
  }
}

function state(w: Writer, title: string, s: ContainerState | undefined): void {
  if (s?.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(s.running.startedAt)}\n`);
  } else if (s?.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (s.waiting.reason) w.write(3, `Reason:\t${s.waiting.reason}\n`);
  } else if (s?.terminated) {
    const t = s.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${title}:\tWaiting\n`);
}

function resources(w: Writer, level: number, r: Container["resources"]): void {
  for (const [title, map] of [
    ["Limits", r?.limits],
    ["Requests", r?.requests],
  ] as const) {
    const names = Object.keys(map ?? {}).sort();
    if (names.length > 0) w.write(level, `${title}:\n`);
    for (const name of names) w.write(level + 1, `${name}:\t${quantity(map?.[name] ?? "")}\n`);
  }
}

/**
 * A label selector as LabelSelectorAsSelector's String() writes it, in a list's labelSelector and in
 * describe's Selector line: its labels sorted by key, joined by commas. Undefined for expressions,
 * and for a selector of nothing (printed otherwise), which are not modeled.
 */
export function labelSelector(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}): string | undefined {
  const matchLabels = selector.matchLabels ?? {};
  if ((selector.matchExpressions?.length ?? 0) > 0 || Object.keys(matchLabels).length === 0) return undefined;
  return formatLabels(matchLabels);
}

const OPERATORS: Record<string, (key: string, values: string) => string> = {
  In: (key, values) => `${key} in (${values})`,
  NotIn: (key, values) => `${key} notin (${values})`,
  Exists: (key) => key,
  DoesNotExist: (key) => `!${key}`,
};

/**
 * metav1.FormatLabelSelector: each requirement (labels as key=value, expressions in their words,
 * values sorted), sorted by key, joined by commas; `<none>` for a selector of nothing or of
 * everything. Undefined operators, values where there should be none (or none where there should
 * be some) and a key named twice are not modeled.
 */
export function formatLabelSelector(selector: FullSelector | undefined): string {
  const requirements: [string, string][] = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => [
    k,
    `${k}=${v}`,
  ]);
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    const write = OPERATORS[operator] ?? unmodeled();
    if ((operator === "In" || operator === "NotIn") !== values.length > 0) unmodeled();
    requirements.push([key, write(key, [...values].sort().join(","))]);
  }
  const keys = requirements.map(([key]) => key);
  if (new Set(keys).size !== keys.length) unmodeled();
  requirements.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return requirements.length === 0 ? "<none>" : requirements.map(([, text]) => text).join(",");
}

/** A map of labels as labels.FormatLabels writes it: sorted key=value pairs, or <none>. */
export function formatLabels(map: Record<string, string> | undefined): string {
  const keys = Object.keys(map ?? {}).sort();
  return keys.length === 0 ? "<none>" : keys.map((key) => `${key}=${map?.[key]}`).join(",");
}

/**
 * How the replica set and job describers begin: name, namespace, selector, labels, annotations, and
 * the controller, when one controls it.
 */
export function controlledHeader(
  w: Writer,
  metadata: Identity & { ownerReferences?: { kind: string; name: string; controller?: boolean }[] },
  selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] },
): void {
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Namespace:\t${metadata.namespace}\n`);
  w.write(0, `Selector:\t${labelSelector(selector) ?? unmodeled()}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  const controller = metadata.ownerReferences?.find((owner) => owner.controller);
  if (controller) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
}

/** A workload's pod template, as DescribePodTemplate prints it (containers without statuses). */
export function podTemplate(w: Writer, template: PodTemplate): void {
  const { metadata, spec } = template;
  w.write(0, "Pod Template:\n");
  labels(w, "  Labels", metadata?.labels);
  if (Object.keys(metadata?.annotations ?? {}).length > 0)
    annotations(w, "  Annotations", metadata?.annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) containers(w, undefined, "Init Containers", spec.initContainers, [], "  ");
  containers(w, undefined, "Containers", spec.containers, [], "  ");
  volumes(w, spec.volumes, "  ");
  topologySpread(w, spec.topologySpreadConstraints, "  ");
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  labels(w, "  Node-Selectors", spec.nodeSelector);
  tolerations(w, "  Tolerations", spec.tolerations ?? []);
}

/**
 * A seccomp profile as the pod describer writes it, the pod's (both lines at level 0) or a
 * container's (the type at level 2, a Localhost profile's path at level 3). kubectl reads the path
 * through a pointer: a Localhost profile without one is not modeled.
 */
export function seccomp(
  w: Writer,
  profile: { type: string; localhostProfile?: string } | undefined,
  level: number,
  pathLevel: number,
): void {
  if (profile === undefined) return;
  w.write(level, `SeccompProfile:\t${profile.type}\n`);
  if (profile.type === "Localhost")
    w.write(pathLevel, `LocalhostProfile:\t${profile.localhostProfile ?? unmodeled()}\n`);
}

/**
 * describeTopologySpreadConstraints: sorted by topology key (sort.Slice), each `key:policy when max
 * skew N is exceeded`, with its selector as FormatLabelSelector writes it; a pod's (`space` "") or a
 * template's ("  ").
 */
export function topologySpread(w: Writer, list: TopologySpread[] | undefined, space: string): void {
  if (!list?.length) return;
  const sorted = goSorted(list, (a, b) => byteOrder(a.topologyKey, b.topologyKey));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((tsc, i) => {
    if (i !== 0) w.write(0, `${space}\t`);
    const selector = tsc.labelSelector ? ` for selector ${formatLabelSelector(tsc.labelSelector)}` : "";
    w.write(
      0,
      `${tsc.topologyKey}:${tsc.whenUnsatisfiable} when max skew ${tsc.maxSkew} is exceeded${selector}\n`,
    );
  });
}

/** A workload's conditions table (type, status, reason), as the deployment and replica set describers print it. */
export function conditions(
  w: Writer,
  list: { type: string; status: string; reason?: string }[] | undefined,
): void {
  if (!list?.length) return;
  w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
  w.write(1, "----\t------\t------\n");
  for (const c of list) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ""}\n`);
}

/**
 * Containers under `label`: a pod's (with `pod` for its field references and its statuses), or a
 * template's (`space` "  ", no pod, no statuses), whose names are indented one space more.
 */
export function containers(
  w: Writer,
  pod: DescribedPod | undefined,
  label: string,
  list: Container[],
  statuses: ContainerStatus[],
  space = "",
): void {
  w.write(0, `${space}${label}:${list.length === 0 ? " <none>" : ""}\n`);
  for (const c of list) {
    if ((c.volumeDevices?.length ?? 0) > 0) unmodeled();
    const status = statuses.find((s) => s.name === c.name);
    w.write(1, `${space ? " " : ""}${c.name}:\n`);
    if (status) w.write(2, `Container ID:\t${status.containerID ?? ""}\n`);
    w.write(2, `Image:\t${c.image ?? ""}\n`);
    if (status) w.write(2, `Image ID:\t${status.imageID ?? ""}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? ""}`).join(", ");
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ""}`).join(", ");
    w.write(2, ports.includes(",") ? `Ports:\t${ports}\n` : `Port:\t${ports || "<none>"}\n`);
    w.write(
      2,
      hostPorts.includes(",") ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || "<none>"}\n`,
    );
    seccomp(w, c.securityContext?.seccompProfile, 2, 3);
    for (const [title, lines] of [
      ["Command", c.command],
      ["Args", c.args],
    ] as const) {
      if (!lines?.length) continue;
      w.write(2, `${title}:\n`);
      for (const line of lines.flatMap((l) => l.split("\n"))) w.write(3, `${line}\n`);
    }
    if (status) {
      state(w, "State", status.state);
      if (status.lastState?.terminated) state(w, "Last State", status.lastState);
      w.write(2, `Ready:\t${status.ready ? "True" : "False"}\n`);
      w.write(2, `Restart Count:\t${status.restartCount}\n`);
    }
    resources(w, 2, c.resources);
    for (const [title, p] of [
      ["Liveness", c.livenessProbe],
      ["Readiness", c.readinessProbe],
      ["Startup", c.startupProbe],
    ] as const) {
      if (p) w.write(2, `${title}:\t${probe(p)}\n`);
    }
    if (c.envFrom?.length) {
      w.write(2, "Environment Variables from:\n");
      for (const e of c.envFrom) {
        const [from, ref] = e.configMapRef ? ["ConfigMap", e.configMapRef] : ["Secret", e.secretRef];
        if (!ref) unmodeled();
        const prefix = e.prefix ? ` with prefix '${e.prefix}'` : "";
        w.write(3, `${ref?.name ?? ""}\t${from}${prefix}\tOptional: ${ref?.optional ?? false}\n`);
      }
    }
    env(w, pod, c.env ?? []);
    const mounts = goSorted(c.volumeMounts ?? [], (a, b) =>
      a.mountPath === b.mountPath ? 0 : a.mountPath < b.mountPath ? -1 : 1,
    );
    w.write(2, `Mounts:${mounts.length ? "" : "\t<none>"}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? "ro" : "rw", ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(",")})\n`);
    }
  }
}

function volume(w: Writer, v: Volume, space: string): void {
  w.write(1, `${space ? " " : ""}${v.name}:\n`);
  if (v.hostPath) {
    w.write(
      2,
      `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || "<none>"}\n`,
    );
  } else if (v.emptyDir) {
    if (v.emptyDir.sizeLimit !== undefined) unmodeled();
    w.write(
      2,
      `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ""}\n    SizeLimit:\t<unset>\n`,
    );
  } else if (v.secret) {
    w.write(
      2,
      `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ""}\n    Optional:\t${v.secret.optional ?? false}\n`,
    );
  } else if (v.configMap) {
    w.write(
      2,
      `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ""}\n    Optional:\t${v.configMap.optional ?? false}\n`,
    );
  } else if (v.persistentVolumeClaim) {
    const { claimName, readOnly = false } = v.persistentVolumeClaim;
    w.write(
      2,
      `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${claimName}\n    ReadOnly:\t${readOnly}\n`,
    );
  } else if (v.projected) {
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
    for (const source of v.projected.sources ?? []) {
      // A set Optional prints as Go prints a pointer, its address: only an unset one is modeled.
      if (source.secret) {
        if (source.secret.optional !== undefined) unmodeled();
        w.write(2, `SecretName:\t${source.secret.name ?? ""}\n    SecretOptionalName:\t<nil>\n`);
      } else if (source.downwardAPI !== undefined) w.write(2, "DownwardAPI:\ttrue\n");
      else if (source.configMap) {
        if (source.configMap.optional !== undefined) unmodeled();
        w.write(2, `ConfigMapName:\t${source.configMap.name ?? ""}\n    ConfigMapOptional:\t<nil>\n`);
      } else if (source.serviceAccountToken) {
        w.write(
          2,
          `TokenExpirationSeconds:\t${source.serviceAccountToken.expirationSeconds ?? unmodeled()}\n`,
        );
      }
    }
  } else unmodeled();
}

export function volumes(w: Writer, list: Volume[] | undefined, space = ""): void {
  if (!list?.length) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of list) volume(w, v, space);
}

export function tolerations(w: Writer, title: string, list: Tolerations): void {
  w.write(0, `${title}:\t`);
  if (list.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  const sorted = goSorted(list, (a, b) =>
    (a.key ?? "") === (b.key ?? "") ? 0 : (a.key ?? "") < (b.key ?? "") ? -1 : 1,
  );
  sorted.forEach((t, i) => {
    if (i > 0) w.write(0, "\t");
    let line = t.key ?? "";
    if (t.value) line += `=${t.value}`;
    if (t.effect) line += `:${t.effect}`;
    if (t.operator === "Exists" && !t.value) line += t.key || t.effect ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds !== undefined) line += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${line}\n`);
  });
}

export function events(w: Writer, list: KubeEvent[] | undefined, now: number): void {
  if (list === undefined) return;
  if (list.length === 0) {
    w.write(0, "Events:\t<none>\n");
    return;
  }
  const sorted = goSorted(list, (a, b) => sortTime(a) - sortTime(b));
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  for (const e of sorted) {
    // Go calls it ReportingController; its JSON name is reportingComponent.
    const from = e.source?.component || e.reportingComponent || "";
    w.write(
      1,
      `${e.type ?? ""}\t${e.reason ?? ""}\t${lastSeen(e, now)}\t${from}\t${(e.message ?? "").trim()}\n`,
    );
  }
}

/** A describer's text for its arguments, laid out by laidOut: undefined where something was not modeled. */
export const laidOutBy =
  <A extends unknown[]>(describe: (...args: A) => string) =>
  (...args: A): string | undefined =>
    laidOut(() => describe(...args));

/** What `write` wrote, laid out as describe lays it out; undefined where something was not modeled. */
export function laidOut(write: () => string): string | undefined {
  try {
    const text = write();
    return LAID_OUT_TEXT.test(text) ? tabwrite(text, { minWidth: 0, padding: 2 }) : undefined;
  } catch (error) {
    if (error instanceof Unmodeled) return undefined;
    throw error;
  }
}
