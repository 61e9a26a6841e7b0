/**
 * Owns what `kubectl describe pod` prints for one pod and its events, as kubectl v1.32's
 * PodDescriber writes it: the same lines in the same order, from the pieces describers share
 * (describe-parts.ts). Where the pod holds something this does not model (describe-types.ts names
 * those), it answers undefined and the command runs kubectl.
 */
import {
  annotations,
  containers,
  events,
  labels,
  laidOutBy,
  rfc1123z,
  seccomp,
  terminating,
  tolerations,
  topologySpread,
  unmodeled,
  volumes,
  Writer,
} from "./describe-parts";
import type { DescribedPod } from "./describe-types";
import type { KubeEvent } from "./kube-types";

function describe(pod: DescribedPod, podEvents: KubeEvent[] | undefined, now: number): string {
  const { metadata, spec, status } = pod;
  if (spec.resources !== undefined || !status.qosClass) unmodeled();
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Namespace:\t${metadata.namespace}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ""}\n` : "Node:\t<none>\n");
  if (status.startTime !== undefined) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  const { deletionTimestamp: deleted } = metadata;
  if (deleted !== undefined && status.phase !== "Failed" && status.phase !== "Succeeded") {
    w.write(0, `Status:\t${terminating(deleted, now)}\n`);
    w.write(0, `Termination Grace Period:\t${metadata.deletionGracePeriodSeconds ?? unmodeled()}s\n`);
  } else {
    w.write(0, `Status:\t${status.phase ?? ""}\n`);
  }
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  seccomp(w, spec.securityContext?.seccompProfile, 0, 0);
  w.write(0, `IP:\t${status.podIP ?? ""}\n`);
  if (!status.podIPs?.length) w.write(0, "IPs:\t<none>\n");
  else {
    w.write(0, "IPs:\n");
    for (const { ip } of status.podIPs) w.write(1, `IP:\t${ip}\n`);
  }
  const controller = metadata.ownerReferences?.find((o) => o.controller);
  if (controller) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.initContainers?.length) {
    containers(w, pod, "Init Containers", spec.initContainers, status.initContainerStatuses ?? []);
  }
  containers(w, pod, "Containers", spec.containers, status.containerStatuses ?? []);
  // What `kubectl debug` added: described as containers are (their target is not printed).
  if (spec.ephemeralContainers?.length) {
    const statuses = status.ephemeralContainerStatuses ?? [];
    containers(w, pod, "Ephemeral Containers", spec.ephemeralContainers, statuses);
  }
  if (spec.readinessGates?.length) {
    w.write(0, "Readiness Gates:\n  Type\tStatus\n");
    for (const g of spec.readinessGates) {
      const condition = status.conditions?.find((c) => c.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${condition?.status ?? "<none>"} \n`);
    }
  }
  if (status.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  volumes(w, spec.volumes);
  w.write(0, `QoS Class:\t${status.qosClass}\n`);
  labels(w, "Node-Selectors", spec.nodeSelector);
  tolerations(w, "Tolerations", spec.tolerations ?? []);
  topologySpread(w, spec.topologySpreadConstraints, "");
  events(w, podEvents, now);
  return w.text;
}

/**
 * What kubectl describe prints for `pod` with `podEvents` (undefined: events were not read, so no
 * Events section), laid out; undefined where it holds what is not modeled.
 */
export const describePod = laidOutBy(describe);
