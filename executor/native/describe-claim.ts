/**
 * Owns what `kubectl describe pvc` prints for one PersistentVolumeClaim, as kubectl v1.32's
 * PersistentVolumeClaimDescriber writes it: its storage class (the beta annotation first), status
 * (or how long it has been terminating), volume, labels, annotations and finalizers; capacity and
 * access modes once bound (RWO, ROX, RWX, RWOP in that order, as GetAccessModesAsString writes them);
 * volume mode, data source, the pods using it (sorted by name, a pod once per volume naming it),
 * conditions and events. A claim a pod owns (an ephemeral volume's) is not modeled: kubectl then
 * lists that pod as well, which this leaves to it.
 */
import {
  accessModes,
  annotations,
  events,
  labels,
  laidOutBy,
  quantity,
  rfc1123z,
  storageClassOf,
  terminating,
  unmodeled,
  Writer,
} from "./describe-parts";
import type { ClaimingPod, DescribedClaim } from "./describe-types";
import type { KubeEvent } from "./kube-types";

/** Go's zero time.Time in RFC1123Z: what a condition's unset time prints as. */
const ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000";

const timeOf = (text: string | null | undefined) => (text ? rfc1123z(text) : ZERO_TIME);

/** The pods whose volumes name the claim, once per such volume, sorted by name. */
function usedBy(name: string, pods: ClaimingPod[]): string[] {
  return pods
    .flatMap((pod) =>
      (pod.spec.volumes ?? [])
        .filter((volume) => volume.persistentVolumeClaim?.claimName === name)
        .map(() => pod.metadata.name),
    )
    .sort();
}

function describe(claim: DescribedClaim, pods: ClaimingPod[], list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec } = claim;
  const status = claim.status ?? {};
  if (metadata.ownerReferences?.some((owner) => owner.kind === "Pod")) unmodeled();
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Namespace:\t${metadata.namespace}\n`);
  w.write(0, `StorageClass:\t${storageClassOf(metadata.annotations, spec.storageClassName)}\n`);
  const deleted = metadata.deletionTimestamp;
  w.write(0, `Status:\t${deleted === undefined ? (status.phase ?? "") : terminating(deleted, now)}\n`);
  w.write(0, `Volume:\t${spec.volumeName ?? ""}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, `Finalizers:\t[${(metadata.finalizers ?? []).join(" ")}]\n`);
  const bound = Boolean(spec.volumeName);
  const capacity = status.capacity?.storage;
  w.write(0, `Capacity:\t${bound && capacity !== undefined ? quantity(capacity) : bound ? "0" : ""}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModes(status.accessModes) : ""}\n`);
  if (spec.volumeMode !== undefined) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  if (spec.dataSource) {
    w.write(0, "DataSource:\n");
    if (spec.dataSource.apiGroup !== undefined) w.write(1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
    w.write(1, `Kind:\t${spec.dataSource.kind}\n`);
    w.write(1, `Name:\t${spec.dataSource.name}\n`);
  }
  const users = usedBy(metadata.name, pods);
  w.write(0, `Used By:\t${users.length === 0 ? "<none>\n" : users.join("\n\t")}${users.length ? "\n" : ""}`);
  if (status.conditions?.length) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of status.conditions) {
      const cells = [c.type, c.status, timeOf(c.lastProbeTime), timeOf(c.lastTransitionTime), c.reason ?? ""];
      w.write(1, `${cells.join(" \t")} \t${c.message ?? ""}\n`);
    }
  }
  events(w, list, now);
  return w.text;
}

/**
 * What kubectl describe prints for `claim`, the pods of its namespace and its events, laid out;
 * undefined where it holds what is not modeled.
 */
export const describeClaim = laidOutBy(describe);
