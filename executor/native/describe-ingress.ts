/**
 * Owns what `kubectl describe ingress` prints for one Ingress, as kubectl v1.32's IngressDescriber
 * writes a networking.k8s.io/v1 one: its labels, load balancer addresses (sorted, deduplicated),
 * class, default backend, TLS entries, each rule's host and paths with their backends, annotations
 * and events. A Service backend is `name:port` and its endpoints as the service describer lists
 * them for the Service port the backend names (describe-service.ts), read with the EndpointSlices
 * and the Service (`<error: …>` in their place when a read fails, in kubectl's words); a resource
 * backend is its group, kind and name.
 */
import type { KubeFetch } from "./client";
import { annotations, events, labels, laidOutBy, Writer } from "./describe-parts";
import { endpointsOf } from "./describe-service";
import {
  checkBackendService,
  checkEndpointSliceList,
  type DescribedIngress,
  type IngressBackend,
} from "./describe-types";
import type { KubeEvent } from "./kube-types";
import { statusOf } from "./server-error";

const JSON_ACCEPT = "application/json";

/** A read's body, or kubectl's `<error: …>` words for its failure; undefined where neither is sure. */
async function readOrError(
  fetch: KubeFetch,
  path: string,
): Promise<{ body: unknown } | { error: string } | undefined> {
  const response = await fetch(path, JSON_ACCEPT);
  if (response.ok) return { body: await response.json() };
  const status = await statusOf(response);
  return status && { error: `<error: ${status.message}>` };
}

/**
 * A backend as describeBackendV1 writes it, with the reads it makes for a Service backend: its
 * EndpointSlices by the service-name label, then the Service. Undefined where it cannot be sure.
 */
export async function backendText(
  fetch: KubeFetch,
  namespace: string,
  backend: IngressBackend,
): Promise<string | undefined> {
  const { service, resource } = backend;
  if (!service)
    return resource
      ? `APIGroup: ${resource.apiGroup ?? "<none>"}, Kind: ${resource.kind}, Name: ${resource.name}`
      : "";
  const { number = 0, name: portName = "" } = service.port;
  const named = `${service.name}:${number !== 0 ? number : portName}`;
  const ns = encodeURIComponent(namespace);
  const query = new URLSearchParams({ labelSelector: `kubernetes.io/service-name=${service.name}` });
  const slices = await readOrError(
    fetch,
    `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?${query}`,
  );
  if (slices === undefined) return undefined;
  if ("error" in slices) return `${named} (${slices.error})`;
  const found = await readOrError(
    fetch,
    `/api/v1/namespaces/${ns}/services/${encodeURIComponent(service.name)}`,
  );
  if (found === undefined) return undefined;
  if ("error" in found) return `${named} (${found.error})`;
  if (!checkEndpointSliceList.Check(slices.body) || !checkBackendService.Check(found.body)) return undefined;
  // The Service port the backend names, by number or by name; the last that matches wins.
  let servicePort = "";
  for (const port of found.body.spec.ports ?? []) {
    if ((number !== 0 && number === port.port) || (portName !== "" && portName === port.name))
      servicePort = port.name ?? "";
  }
  return `${named} (${endpointsOf(slices.body.items, servicePort)})`;
}

/** What the describer prints of a backend: the default one and each path's, in the order it reads them. */
export interface Backends {
  defaultBackend: string | undefined;
  paths: string[];
}

function describe(ingress: DescribedIngress, backends: Backends, list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec } = ingress;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  labels(w, "Labels", metadata.labels);
  w.write(0, `Namespace:\t${metadata.namespace}\n`);
  const points = (ingress.status?.loadBalancer?.ingress ?? []).map(
    (point) => point.ip || point.hostname || "",
  );
  w.write(0, `Address:\t${[...new Set(points.filter(Boolean))].sort().join(",")}\n`);
  w.write(0, `Ingress Class:\t${spec.ingressClassName ?? "<none>"}\n`);
  const fallback = backends.defaultBackend ?? "<default>";
  w.write(0, `Default backend:\t${fallback}\n`);
  if (spec.tls?.length) {
    w.write(0, "TLS:\n");
    for (const { hosts = [], secretName } of spec.tls)
      w.write(
        1,
        secretName ? `${secretName} terminates ${hosts.join(",")}\n` : `SNI routes ${hosts.join(",")}\n`,
      );
  }
  w.write(0, "Rules:\n  Host\tPath\tBackends\n");
  w.write(1, "----\t----\t--------\n");
  const texts = [...backends.paths];
  let count = 0;
  for (const rule of spec.rules ?? []) {
    if (!rule.http) continue;
    count++;
    w.write(1, `${rule.host || "*"}\t\n`);
    for (const path of rule.http.paths) w.write(2, `\t${path.path ?? ""} \t${texts.shift()}\n`);
  }
  if (count === 0) w.write(1, `*\t*\t${fallback}\n`);
  annotations(w, "Annotations", metadata.annotations);
  events(w, list, now);
  return w.text;
}

/**
 * What kubectl describe prints for `ingress`, its backends as backendText wrote them and its
 * events, laid out; undefined where it holds what is not modeled.
 */
export const describeIngress = laidOutBy(describe);
