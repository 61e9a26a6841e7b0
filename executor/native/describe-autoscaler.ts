/**
 * Owns what `kubectl describe hpa` prints for one autoscaling/v2 HorizontalPodAutoscaler, as kubectl
 * v1.32's describeHorizontalPodAutoscalerV2 writes it: its fields and reference, each metric as
 * `current / target` in that metric type's words (the status's metric at the same place in its list
 * giving the current value, `<unknown>` without one), the replica bounds, the scaling behaviour each
 * way, the target's replicas, conditions and events. Quantities print as Quantity.String() prints
 * them; a metric kubectl would print through a nil pointer, or a name %q would escape, is not
 * modeled.
 */
import { events, laidOutBy, nameAndLabels, quantity, rfc1123z, unmodeled, Writer } from "./describe-parts";
import type {
  DescribedAutoscaler,
  MetricSpec,
  MetricStatus,
  MetricValue,
  ScalingRules,
} from "./describe-types";
import type { KubeEvent } from "./kube-types";

/** Go's %q of a plain name: in double quotes, where nothing needs escaping. */
const quoted = (name: string) =>
  /^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name) ? `"${name}"` : unmodeled();

/** A quantity kubectl reads through a pointer it does not check: there must be one. */
const held = (text: string | undefined) => quantity(text ?? unmodeled());

/** The current value the status gives for a metric, or <unknown> when it gives none. */
const currentOf = (status: { current: MetricValue } | undefined, read: (value: MetricValue) => string) =>
  status ? read(status.current) : "<unknown>";

/** `N% (value)` when the status has a utilisation, else <unknown>; the target's percentage or <auto>. */
function percentage(status: { current: MetricValue } | undefined, target: MetricValue): string {
  const utilization = status?.current.averageUtilization;
  const current =
    utilization === undefined ? "<unknown>" : `${utilization}% (${held(status?.current.averageValue)})`;
  return `(as a percentage of request):\t${current} / ${target.averageUtilization === undefined ? "<auto>" : `${target.averageUtilization}%`}\n`;
}

function metric(w: Writer, spec: MetricSpec, status: MetricStatus | undefined): void {
  const { type, external, pods, object, resource, containerResource } = spec;
  if (type === "External" && external) {
    const name = quoted(external.metric.name);
    if (external.target.averageValue !== undefined) {
      const current = currentOf(status?.external, (v) =>
        v.averageValue === undefined ? "<unknown>" : held(v.averageValue),
      );
      w.write(1, `${name} (target average value):\t${current} / ${held(external.target.averageValue)}\n`);
    } else {
      const current = currentOf(status?.external, (v) => held(v.value));
      w.write(1, `${name} (target value):\t${current} / ${held(external.target.value)}\n`);
    }
  } else if (type === "Pods" && pods) {
    const current = currentOf(status?.pods, (v) => held(v.averageValue));
    w.write(1, `${quoted(pods.metric.name)} on pods:\t${current} / ${held(pods.target.averageValue)}\n`);
  } else if (type === "Object" && object) {
    const { kind, name } = object.describedObject;
    w.write(1, `"${object.metric.name}" on ${kind}/${name} `);
    if (object.target.type === "AverageValue") {
      const current = currentOf(status?.object, (v) => held(v.averageValue));
      w.write(0, `(target average value):\t${current} / ${held(object.target.averageValue)}\n`);
    } else {
      const current = currentOf(status?.object, (v) => held(v.value));
      w.write(0, `(target value):\t${current} / ${held(object.target.value)}\n`);
    }
  } else if ((type === "Resource" && resource) || (type === "ContainerResource" && containerResource)) {
    const source = resource ?? containerResource;
    if (!source) return;
    const current = resource ? status?.resource : status?.containerResource;
    const container = containerResource ? ` of container "${containerResource.container}"` : "";
    w.write(1, `resource ${source.name}${container} on pods`);
    if (source.target.averageValue !== undefined) {
      const value = currentOf(current, (v) => held(v.averageValue));
      w.write(0, `:\t${value} / ${held(source.target.averageValue)}\n`);
    } else w.write(1, percentage(current, source.target));
  } else if (["External", "Pods", "Object", "Resource", "ContainerResource"].includes(type)) unmodeled();
  else w.write(1, `<unknown metric type ${quoted(type)}>\n`);
}

function behavior(w: Writer, direction: string, rules: ScalingRules | undefined): void {
  if (!rules) return;
  w.write(1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined)
    w.write(2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if (!rules.policies?.length) return;
  w.write(2, `Select Policy: ${rules.selectPolicy ?? "Max"}\n`);
  w.write(2, "Policies:\n");
  for (const p of rules.policies)
    w.write(3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
}

function describe(hpa: DescribedAutoscaler, list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec } = hpa;
  const status = hpa.status ?? {};
  const w = new Writer();
  nameAndLabels(w, metadata);
  w.write(0, `CreationTimestamp:\t${rfc1123z(metadata.creationTimestamp)}\n`);
  w.write(0, `Reference:\t${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}\n`);
  w.write(0, "Metrics:\t( current / target )\n");
  for (const [i, m] of (spec.metrics ?? []).entries()) metric(w, m, status.currentMetrics?.[i]);
  w.write(0, `Min replicas:\t${spec.minReplicas ?? "<unset>"}\n`);
  w.write(0, `Max replicas:\t${spec.maxReplicas}\n`);
  if (spec.behavior) {
    w.write(0, "Behavior:\n");
    behavior(w, "Scale Up", spec.behavior.scaleUp);
    behavior(w, "Scale Down", spec.behavior.scaleDown);
  }
  w.write(
    0,
    `${spec.scaleTargetRef.kind} pods:\t${status.currentReplicas ?? 0} current / ${status.desiredReplicas ?? 0} desired\n`,
  );
  if (status.conditions?.length) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tReason\tMessage\n");
    w.write(1, "----\t------\t------\t-------\n");
    for (const c of status.conditions)
      w.write(1, `${c.type}\t${c.status}\t${c.reason ?? ""}\t${c.message ?? ""}\n`);
  }
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for `hpa` and its events, laid out; undefined where it holds what is not modeled. */
export const describeAutoscaler = laidOutBy(describe);
