// Resource metrics as metrics-server serves them (metrics.k8s.io/v1beta1), for `kubectl top`:
// a PodMetrics for each pod whose containers all run (metrics-server has no figure for a container
// that is not running, and leaves such a pod out), a NodeMetrics for each node. Usage is written
// as metrics-server writes it, CPU in nanocores and memory in KiB; the figures are made up from each
// object's name, so they are fixed for a scenario and differ from object to object. Like
// metrics-server's, the objects carry their pod's or node's name, namespace and labels, and no uid
// or resourceVersion.

import type { ContainerStatus, KubeObject, ObjectMeta, PodView } from "./types";

const API_VERSION = "metrics.k8s.io/v1beta1";

/** FNV-1a of `text`, salted: a fixed, well-spread number per name. */
function figure(text: string, salt: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${salt}:${text}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function metadataOf(obj: KubeObject, now: Date): ObjectMeta {
  const { name, namespace, labels } = obj.metadata;
  // metrics-server gives no uid or resourceVersion; the stand-in's types require them, so they are
  // left out here by a cast rather than made up.
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    creationTimestamp: now.toISOString().replace(/\.\d+Z$/, "Z"),
    ...(labels ? { labels } : {}),
  } as ObjectMeta;
}

const running = (statuses: ContainerStatus[] | undefined) =>
  statuses !== undefined && statuses.length > 0 && statuses.every((s) => s.state.running !== undefined);

function podMetrics(pod: PodView, now: Date, timestamp: string): KubeObject {
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  return {
    kind: "PodMetrics",
    apiVersion: API_VERSION,
    metadata: metadataOf(pod, now),
    timestamp,
    window: "15.004s",
    containers: pod.spec.containers.map(({ name }) => ({
      name,
      usage: {
        cpu: `${1_000_000 + (figure(`${key}/${name}`, "cpu") % 40_000_000)}n`,
        memory: `${20_000 + (figure(`${key}/${name}`, "memory") % 300_000)}Ki`,
      },
    })),
  };
}

function nodeMetrics(node: KubeObject, now: Date, timestamp: string): KubeObject {
  const { name } = node.metadata;
  return {
    kind: "NodeMetrics",
    apiVersion: API_VERSION,
    metadata: metadataOf(node, now),
    timestamp,
    window: "20.022s",
    usage: {
      cpu: `${100_000_000 + (figure(name, "cpu") % 900_000_000)}n`,
      memory: `${1_500_000 + (figure(name, "memory") % 3_000_000)}Ki`,
    },
  };
}

/** The PodMetrics and NodeMetrics metrics-server would serve for `objects` at `now`. */
export function resourceMetrics(objects: KubeObject[], now: Date): KubeObject[] {
  const timestamp = new Date(now.getTime() - 7_000).toISOString().replace(/\.\d+Z$/, "Z");
  return objects.flatMap((obj) => {
    if (obj.kind === "Node") return [nodeMetrics(obj, now, timestamp)];
    const pod = obj as PodView;
    if (obj.kind === "Pod" && running(pod.status.containerStatuses)) return [podMetrics(pod, now, timestamp)];
    return [];
  });
}
