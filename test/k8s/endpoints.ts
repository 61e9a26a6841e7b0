// EndpointSlices as the endpointslice controller writes them (discovery.k8s.io/v1), for
// `kubectl describe service` and `get endpointslices`, and the core Endpoints the endpoints
// controller keeps beside them (addEndpoints), for `get` and `describe endpoints`: one slice for each Service with a selector,
// named `<service>-<five characters>`, labelled with the service's name and its manager, owned by
// the Service. It holds every pod the selector matches that has an IP, ready (and serving) when the
// pod's Ready condition is True, with its node, zone and a reference to it; its ports are the
// service's, each target port resolved to the container port it names.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

/** The characters Kubernetes draws generated name suffixes from. */
const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

interface ServicePort {
  name?: string;
  port: number;
  targetPort: number | string;
  protocol: string;
}

interface PodFields {
  spec?: { nodeName?: string; containers?: { ports?: { name?: string; containerPort: number }[] }[] };
  status?: { podIP?: string; conditions?: { type: string; status: string }[] };
}

/** Five suffix characters drawn from a uid's hex digits, so a slice's name is fixed for a scenario. */
function suffixOf(uid: string): string {
  const hex = uid.replaceAll("-", "");
  let out = "";
  for (let i = 0; i < 5; i++) out += SUFFIX_ALPHABET[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 27];
  return out;
}

const matches = (labels: Record<string, string> | undefined, selector: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);

/** The container port a service port's target names, for one pod. */
function targetPort(port: ServicePort, pod: PodFields): number | undefined {
  if (typeof port.targetPort === "number") return port.targetPort;
  for (const container of pod.spec?.containers ?? [])
    for (const p of container.ports ?? []) if (p.name === port.targetPort) return p.containerPort;
  return undefined;
}

export function addEndpointSlices(b: FixtureBuilder): void {
  const zoneOf = new Map(
    b.objects
      .filter((o) => o.kind === "Node")
      .map((node) => [node.metadata.name, node.metadata.labels?.["topology.kubernetes.io/zone"]]),
  );
  for (const service of b.objects.filter((o) => o.kind === "Service")) {
    const spec = service.spec as { selector?: Record<string, string>; ports?: ServicePort[] };
    if (!spec.selector) continue;
    const { name, namespace = "", creationTimestamp } = service.metadata;
    const pods = b.objects
      .filter((o) => o.kind === "Pod" && o.metadata.namespace === namespace)
      .filter((pod) => matches(pod.metadata.labels, spec.selector ?? {}))
      .filter((pod) => (pod as unknown as PodFields).status?.podIP);
    const ports = (spec.ports ?? []).map((port) => ({
      name: port.name ?? "",
      port:
        pods.map((pod) => targetPort(port, pod as unknown as PodFields)).find((n) => n !== undefined) ??
        port.targetPort,
      protocol: port.protocol,
    }));
    const sliceName = `${name}-${suffixOf(service.metadata.uid)}`;
    b.add({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: {
        ...b.meta("EndpointSlice", sliceName, namespace, 0),
        creationTimestamp,
        generateName: `${name}-`,
        generation: 1,
        labels: {
          ...service.metadata.labels,
          "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
          "kubernetes.io/service-name": name,
        },
        annotations: { "endpoints.kubernetes.io/last-change-trigger-time": creationTimestamp ?? "" },
        ownerReferences: [
          {
            apiVersion: "v1",
            kind: "Service",
            name,
            uid: service.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      addressType: "IPv4",
      endpoints: pods.map((pod) => {
        const fields = pod as unknown as PodFields;
        const ready =
          fields.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
        const nodeName = fields.spec?.nodeName;
        const zone = nodeName ? zoneOf.get(nodeName) : undefined;
        return {
          addresses: [fields.status?.podIP],
          conditions: { ready, serving: ready, terminating: false },
          ...(nodeName ? { nodeName } : {}),
          targetRef: { kind: "Pod", name: pod.metadata.name, namespace, uid: pod.metadata.uid },
          ...(zone ? { zone } : {}),
        };
      }),
      ports,
    } as KubeObject);
  }
}

interface SliceFields {
  endpoints?: {
    addresses: string[];
    conditions?: { ready?: boolean };
    nodeName?: string;
    targetRef?: object;
  }[];
  ports?: { name?: string; port: number | string; protocol: string }[];
}

const SLICE_LABELS = new Set(["endpointslice.kubernetes.io/managed-by", "kubernetes.io/service-name"]);

/**
 * The core v1 Endpoints the endpoints controller keeps beside each Service's EndpointSlice: named
 * after the Service, with its labels; one subset of the ready addresses and the not-ready ones
 * (each sorted by IP, as RepackSubsets sorts them) on the slice's ports, or no subset at all for a
 * Service with no endpoints.
 */
export function addEndpoints(b: FixtureBuilder, slices: KubeObject[]): KubeObject[] {
  return slices.flatMap((slice) => {
    const service = slice.metadata.labels?.["kubernetes.io/service-name"];
    if (service === undefined || slice.metadata.namespace === undefined) return [];
    const { endpoints = [], ports = [] } = slice as unknown as SliceFields;
    const address = (endpoint: NonNullable<SliceFields["endpoints"]>[number]) => ({
      ip: endpoint.addresses[0],
      ...(endpoint.nodeName ? { nodeName: endpoint.nodeName } : {}),
      ...(endpoint.targetRef ? { targetRef: endpoint.targetRef } : {}),
    });
    const byIp = (a: { ip?: string }, c: { ip?: string }) => ((a.ip ?? "") < (c.ip ?? "") ? -1 : 1);
    const ready = endpoints
      .filter((e) => e.conditions?.ready)
      .map(address)
      .sort(byIp);
    const notReady = endpoints
      .filter((e) => !e.conditions?.ready)
      .map(address)
      .sort(byIp);
    const labels = Object.fromEntries(
      Object.entries(slice.metadata.labels ?? {}).filter(([key]) => !SLICE_LABELS.has(key)),
    );
    const subset = {
      ...(ready.length > 0 ? { addresses: ready } : {}),
      ...(notReady.length > 0 ? { notReadyAddresses: notReady } : {}),
      ...(ports.length > 0
        ? { ports: ports.map(({ name, port, protocol }) => ({ ...(name ? { name } : {}), port, protocol })) }
        : {}),
    };
    return [
      b.add({
        apiVersion: "v1",
        kind: "Endpoints",
        metadata: {
          ...b.meta("Endpoints", service, slice.metadata.namespace, 0),
          creationTimestamp: slice.metadata.creationTimestamp,
          ...(Object.keys(labels).length > 0 ? { labels } : {}),
          ...(slice.metadata.annotations ? { annotations: slice.metadata.annotations } : {}),
        },
        ...(endpoints.length > 0 ? { subsets: [subset] } : {}),
      }),
    ];
  });
}
