/**
 * Owns what `kubectl describe service` prints for one Service, as kubectl v1.32's ServiceDescriber
 * writes it: its fields, addresses and load balancer, each port with its target, node port and
 * endpoints (from the Service's EndpointSlices: the first three ready addresses serving that port,
 * then how many more), its traffic policies and its events.
 */
import { events, formatLabels, laidOutBy, nameAndLabels, Writer } from "./describe-parts";
import type { DescribedService, EndpointSlice } from "./describe-types";
import type { KubeEvent } from "./kube-types";

const MAX_ENDPOINTS = 3;

/** An address and port as Go's net.JoinHostPort writes them (an IPv6 address in brackets). */
const hostPort = (address: string, port: number) =>
  address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;

/**
 * The endpoints of the port named `portName`, as formatEndpointSlices lists them: it stops listing
 * once three are listed but counts on, and checks that limit before it skips an endpoint not ready.
 */
export function endpointsOf(slices: EndpointSlice[], portName: string): string {
  if (slices.length === 0) return "<none>";
  const list: string[] = [];
  let more = false;
  let count = 0;
  const add = (endpoint: NonNullable<EndpointSlice["endpoints"]>[number], text: string) => {
    if (list.length === MAX_ENDPOINTS) more = true;
    if (endpoint.conditions?.ready === false) return;
    if (!more) list.push(text);
    count++;
  };
  for (const slice of slices) {
    const endpoints = slice.endpoints ?? [];
    if ((slice.ports ?? []).length === 0) {
      for (const endpoint of endpoints) add(endpoint, endpoint.addresses[0] as string);
      continue;
    }
    for (const port of slice.ports ?? []) {
      if (port.name !== portName) continue;
      for (const endpoint of endpoints) add(endpoint, hostPort(endpoint.addresses[0] as string, port.port));
    }
  }
  const text = list.join(",");
  return more ? `${text} + ${count - MAX_ENDPOINTS} more...` : text;
}

/** The load balancer's ingress points: IP (with its mode) or hostname, comma-separated. */
function ingressOf(service: DescribedService): string {
  return (service.status?.loadBalancer?.ingress ?? [])
    .map(({ ip, hostname, ipMode }) =>
      ip ? (ipMode !== undefined ? `${ip} (${ipMode})` : ip) : (hostname ?? ""),
    )
    .join(", ");
}

function describe(
  service: DescribedService,
  slices: EndpointSlice[],
  list: KubeEvent[] | undefined,
  now: number,
) {
  const { metadata, spec } = service;
  const w = new Writer();
  nameAndLabels(w, metadata);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ""}\n`);
  if (spec.ipFamilyPolicy !== undefined) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(",") : "<none>"}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ""}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(",") : "<none>"}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(",")}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  if (service.status?.loadBalancer?.ingress?.length)
    w.write(0, `LoadBalancer Ingress:\t${ingressOf(service)}\n`);
  for (const port of spec.ports ?? []) {
    const name = port.name || "<unset>";
    const protocol = port.protocol ?? "";
    w.write(0, `Port:\t${name}\t${port.port}/${protocol}\n`);
    w.write(0, `TargetPort:\t${port.targetPort ?? 0}/${protocol}\n`);
    if (port.nodePort) w.write(0, `NodePort:\t${name}\t${port.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${endpointsOf(slices, port.name ?? "")}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ""}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy !== undefined)
    w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length)
    w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(",")}\n`);
  events(w, list, now);
  return w.text;
}

/**
 * What kubectl describe prints for `service`, its EndpointSlices and its events, laid out;
 * undefined where it holds what is not modeled.
 */
export const describeService = laidOutBy(describe);
