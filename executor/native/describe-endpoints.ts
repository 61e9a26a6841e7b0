/**
 * Owns what `kubectl describe endpoints` prints for one core v1 Endpoints object, as kubectl v1.32's
 * EndpointsDescriber writes it: labels and annotations, then each subset's ready and not-ready
 * addresses (`<none>` for none) and its ports (a port without a name as `<unset>`), a blank line
 * after each subset, and its events.
 */
import { events, laidOutBy, nameAndLabels, Writer } from "./describe-parts";
import type { DescribedEndpoints } from "./describe-types";
import type { KubeEvent } from "./kube-types";

const ips = (list: { ip: string }[] | undefined) => list?.map((address) => address.ip).join(",") || "<none>";

function describe(ep: DescribedEndpoints, list: KubeEvent[] | undefined, now: number) {
  const { metadata } = ep;
  const w = new Writer();
  nameAndLabels(w, metadata);
  w.write(0, "Subsets:\n");
  for (const subset of ep.subsets ?? []) {
    w.write(1, `Addresses:\t${ips(subset.addresses)}\n`);
    w.write(1, `NotReadyAddresses:\t${ips(subset.notReadyAddresses)}\n`);
    if (subset.ports?.length) {
      w.write(1, "Ports:\n");
      w.write(2, "Name\tPort\tProtocol\n");
      w.write(2, "----\t----\t--------\n");
      for (const port of subset.ports) {
        w.write(2, `${port.name || "<unset>"}\t${port.port}\t${port.protocol ?? ""}\n`);
      }
    }
    w.write(0, "\n");
  }
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for `ep` and its events, laid out; undefined where it holds what is not modeled. */
export const describeEndpoints = laidOutBy(describe);
