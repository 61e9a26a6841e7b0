/**
 * Owns what `kubectl describe statefulset` prints for one StatefulSet, as kubectl v1.32's
 * StatefulSetDescriber writes it: its fields, replicas, update strategy (a rolling update's
 * partition and most unavailable), its pods counted by phase as describe-replicaset.ts counts them,
 * the pod template (describe-parts.ts), its volume claim templates and its events.
 */
import {
  annotations,
  events,
  labelSelector,
  labels,
  laidOutBy,
  podTemplate,
  quantity,
  rfc1123z,
  storageClassOf,
  unmodeled,
  Writer,
} from "./describe-parts";
import { podStatus } from "./describe-replicaset";
import type { CountedPod, DescribedStatefulSet } from "./describe-types";
import type { KubeEvent } from "./kube-types";

function volumeClaims(w: Writer, claims: DescribedStatefulSet["spec"]["volumeClaimTemplates"]): void {
  if (!claims?.length) {
    w.write(0, "Volume Claims:\t<none>\n");
    return;
  }
  w.write(0, "Volume Claims:\n");
  for (const { metadata, spec } of claims) {
    w.write(1, `Name:\t${metadata.name}\n`);
    w.write(1, `StorageClass:\t${storageClassOf(metadata.annotations, spec.storageClassName)}\n`);
    // kubectl prints a claim's annotations as it prints labels: key=value.
    labels(w, "  Labels", metadata.labels);
    labels(w, "  Annotations", metadata.annotations);
    const storage = spec.resources?.requests?.storage;
    w.write(1, `Capacity:\t${storage === undefined ? "<default>" : quantity(storage)}\n`);
    w.write(1, `Access Modes:\t[${(spec.accessModes ?? []).join(" ")}]\n`);
  }
}

function describe(sts: DescribedStatefulSet, pods: CountedPod[], list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec, status } = sts;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Namespace:\t${metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(metadata.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${labelSelector(spec.selector) ?? unmodeled()}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, `Replicas:\t${spec.replicas} desired | ${status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${spec.updateStrategy?.type ?? ""}\n`);
  const rolling = spec.updateStrategy?.rollingUpdate;
  if (rolling?.partition !== undefined) {
    w.write(1, `Partition:\t${rolling.partition}\n`);
    if (rolling.maxUnavailable !== undefined) w.write(1, `MaxUnavailable:\t${rolling.maxUnavailable}\n`);
  }
  w.write(0, `Pods Status:\t${podStatus(metadata.uid, pods)}\n`);
  podTemplate(w, spec.template);
  volumeClaims(w, spec.volumeClaimTemplates);
  events(w, list, now);
  return w.text;
}

/**
 * What kubectl describe prints for `sts`, the pods its selector matches and its events, laid out;
 * undefined where it holds what is not modeled.
 */
export const describeStatefulSet = laidOutBy(describe);
