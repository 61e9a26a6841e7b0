/**
 * Owns what `kubectl describe endpointslice` prints for one discovery.k8s.io/v1 EndpointSlice, as
 * kubectl v1.32's EndpointSliceDescriber writes it: labels and annotations, the address type, the
 * ports (`<unset>` for a missing name or number), then each endpoint's addresses, readiness,
 * hostname, target, node and zone (`<unset>` where not set), and its events.
 */
import { events, laidOutBy, nameAndLabels, Writer } from "./describe-parts";
import type { DescribedEndpointSlice } from "./describe-types";
import type { KubeEvent } from "./kube-types";

const UNSET = "<unset>";

function describe(slice: DescribedEndpointSlice, list: KubeEvent[] | undefined, now: number) {
  const { metadata } = slice;
  const w = new Writer();
  nameAndLabels(w, metadata);
  w.write(0, `AddressType:\t${slice.addressType}\n`);
  if (!slice.ports?.length) w.write(0, "Ports: <unset>\n");
  else {
    w.write(0, "Ports:\n");
    w.write(1, "Name\tPort\tProtocol\n");
    w.write(1, "----\t----\t--------\n");
    for (const port of slice.ports) {
      w.write(1, `${port.name || UNSET}\t${port.port ?? UNSET}\t${port.protocol}\n`);
    }
  }
  if (!slice.endpoints?.length) w.write(0, "Endpoints: <none>\n");
  else {
    w.write(0, "Endpoints:\n");
    for (const endpoint of slice.endpoints) {
      w.write(1, `- Addresses:\t${endpoint.addresses.join(", ") || "<none>"}\n`);
      w.write(2, "Conditions:\n");
      const ready = endpoint.conditions?.ready;
      w.write(3, `Ready:\t${ready === undefined ? UNSET : String(ready)}\n`);
      w.write(2, `Hostname:\t${endpoint.hostname ?? UNSET}\n`);
      const { targetRef } = endpoint;
      if (targetRef) w.write(2, `TargetRef:\t${targetRef.kind ?? ""}/${targetRef.name ?? ""}\n`);
      w.write(2, `NodeName:\t${endpoint.nodeName ?? UNSET}\n`);
      w.write(2, `Zone:\t${endpoint.zone ?? UNSET}\n`);
    }
  }
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for `slice` and its events, laid out; undefined where it holds what is not modeled. */
export const describeEndpointSlice = laidOutBy(describe);
