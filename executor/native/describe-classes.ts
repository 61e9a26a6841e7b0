/**
 * Owns what `kubectl describe priorityclass` and `kubectl describe ingressclass` print for one
 * object, as kubectl v1.32's PriorityClassDescriber and IngressClassDescriber write them: a
 * PriorityClass's value, whether it is the global default, its preemption policy, description and
 * annotations (as FormatLabels writes a map, on one line); an IngressClass's labels and
 * annotations, controller and parameters (no scope or namespace: kubectl prints neither); then the
 * events of either.
 */
import { annotations, events, formatLabels, labels, laidOutBy, Writer } from "./describe-parts";
import type { DescribedIngressClass, DescribedPriorityClass } from "./describe-types";
import type { KubeEvent } from "./kube-types";

function describePriority(pc: DescribedPriorityClass, list: KubeEvent[] | undefined, now: number) {
  const w = new Writer();
  w.write(0, `Name:\t${pc.metadata.name}\n`);
  w.write(0, `Value:\t${pc.value}\n`);
  w.write(0, `GlobalDefault:\t${pc.globalDefault ?? false}\n`);
  w.write(0, `PreemptionPolicy:\t${pc.preemptionPolicy}\n`);
  w.write(0, `Description:\t${pc.description ?? ""}\n`);
  w.write(0, `Annotations:\t${formatLabels(pc.metadata.annotations)}\n`);
  events(w, list, now);
  return w.text;
}

function describeIngress(ic: DescribedIngressClass, list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec } = ic;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, `Controller:\t${spec?.controller ?? ""}\n`);
  const parameters = spec?.parameters;
  if (parameters !== undefined) {
    w.write(0, "Parameters:\n");
    if (parameters.apiGroup !== undefined) w.write(1, `APIGroup:\t${parameters.apiGroup}\n`);
    w.write(1, `Kind:\t${parameters.kind}\n`);
    w.write(1, `Name:\t${parameters.name}\n`);
  }
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for a PriorityClass and its events, laid out. */
export const describePriorityClass = laidOutBy(describePriority);

/** What kubectl describe prints for an IngressClass and its events, laid out. */
export const describeIngressClass = laidOutBy(describeIngress);
