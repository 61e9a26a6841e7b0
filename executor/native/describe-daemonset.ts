/**
 * Owns what `kubectl describe daemonset` prints for one DaemonSet, as kubectl v1.32's
 * DaemonSetDescriber writes it: its selectors (no namespace line, as kubectl has none), labels and
 * annotations, how many nodes it is scheduled on and in what state, its pods counted by phase as
 * describe-replicaset.ts counts them, the pod template (describe-parts.ts) and its events.
 */
import {
  annotations,
  events,
  formatLabels,
  labelSelector,
  labels,
  laidOutBy,
  podTemplate,
  unmodeled,
  Writer,
} from "./describe-parts";
import { podStatus } from "./describe-replicaset";
import type { CountedPod, DescribedDaemonSet } from "./describe-types";
import type { KubeEvent } from "./kube-types";

function describe(ds: DescribedDaemonSet, pods: CountedPod[], list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec, status } = ds;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Selector:\t${labelSelector(spec.selector) ?? unmodeled()}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(spec.template.spec.nodeSelector)}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${status?.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${status?.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${status?.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${status?.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${status?.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podStatus(metadata.uid, pods)}\n`);
  podTemplate(w, spec.template);
  events(w, list, now);
  return w.text;
}

/**
 * What kubectl describe prints for `ds`, the pods its selector matches and its events, laid out;
 * undefined where it holds what is not modeled.
 */
export const describeDaemonSet = laidOutBy(describe);
