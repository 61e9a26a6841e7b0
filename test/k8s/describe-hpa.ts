// The `lab` namespace's HorizontalPodAutoscalers (autoscaling/v2), shaped for what `kubectl describe
// hpa` prints: `rolling-web` scales a Deployment on CPU utilisation, an average memory value and a
// pods metric, with a scaling behaviour both ways and all three conditions; `queue-scaler` scales a
// StatefulSet on an external metric, an object metric and one container's CPU it cannot read yet;
// `batch-runner` was just made, with no metric read and no condition.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const LAB = "lab";

const condition = (b: FixtureBuilder, type: string, status: string, reason: string, message: string) => ({
  type,
  status,
  lastTransitionTime: b.ago(12 * MIN),
  reason,
  message,
});

function hpa(b: FixtureBuilder, name: string, createdAgo: number, spec: object, status: object): KubeObject {
  return b.add({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { ...b.meta("HorizontalPodAutoscaler", name, LAB, createdAgo), labels: { team: "web" } },
    spec,
    status,
  });
}

export function labAutoscalers(b: FixtureBuilder): KubeObject[] {
  const web = hpa(
    b,
    "rolling-web",
    14 * MIN,
    {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "rolling-web" },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
        {
          type: "Resource",
          resource: { name: "memory", target: { type: "AverageValue", averageValue: "512Mi" } },
        },
        {
          type: "Pods",
          pods: {
            metric: { name: "packets-per-second" },
            target: { type: "AverageValue", averageValue: "1k" },
          },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: "Max",
          policies: [
            { type: "Pods", value: 4, periodSeconds: 15 },
            { type: "Percent", value: 100, periodSeconds: 15 },
          ],
        },
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
        },
      },
    },
    {
      currentReplicas: 3,
      desiredReplicas: 3,
      currentMetrics: [
        {
          type: "Resource",
          resource: { name: "cpu", current: { averageUtilization: 45, averageValue: "225m" } },
        },
        { type: "Resource", resource: { name: "memory", current: { averageValue: "380Mi" } } },
        { type: "Pods", pods: { metric: { name: "packets-per-second" }, current: { averageValue: "850" } } },
      ],
      conditions: [
        condition(b, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size"),
        condition(
          b,
          "ScalingActive",
          "True",
          "ValidMetricFound",
          "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
        ),
        condition(
          b,
          "ScalingLimited",
          "False",
          "DesiredWithinRange",
          "the desired count is within the acceptable range",
        ),
      ],
    },
  );
  const queue = hpa(
    b,
    "queue-scaler",
    13 * MIN,
    {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "queue" },
      minReplicas: 1,
      maxReplicas: 6,
      metrics: [
        {
          type: "External",
          external: {
            metric: { name: "queue_messages_ready", selector: { matchLabels: { queue: "reports" } } },
            target: { type: "AverageValue", averageValue: "30" },
          },
        },
        {
          type: "Object",
          object: {
            metric: { name: "requests-per-second" },
            describedObject: { apiVersion: "v1", kind: "Service", name: "gateway" },
            target: { type: "Value", value: "2k" },
          },
        },
        {
          type: "ContainerResource",
          containerResource: {
            name: "cpu",
            container: "queue",
            target: { type: "Utilization", averageUtilization: 60 },
          },
        },
      ],
    },
    {
      currentReplicas: 2,
      desiredReplicas: 2,
      currentMetrics: [
        {
          type: "External",
          external: { metric: { name: "queue_messages_ready" }, current: { averageValue: "12" } },
        },
        {
          type: "Object",
          object: {
            metric: { name: "requests-per-second" },
            describedObject: { apiVersion: "v1", kind: "Service", name: "gateway" },
            current: { value: "1800" },
          },
        },
      ],
      conditions: [
        condition(
          b,
          "AbleToScale",
          "True",
          "SucceededGetScale",
          "the HPA controller was able to get the target's current scale",
        ),
        condition(
          b,
          "ScalingActive",
          "False",
          "FailedGetContainerResourceMetric",
          'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container "queue"',
        ),
      ],
    },
  );
  const fresh = hpa(
    b,
    "batch-runner",
    1 * MIN,
    {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "batch-runner" },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } },
        },
      ],
    },
    { currentReplicas: 0, desiredReplicas: 0 },
  );
  const warning = b.event({
    namespace: LAB,
    involved: queue,
    type: "Warning",
    reason: "FailedGetContainerResourceMetric",
    message: 'failed to get cpu utilization: missing request for cpu in container "queue"',
    component: "horizontal-pod-autoscaler",
    firstAgo: 12 * MIN,
    lastAgo: 30,
    count: 47,
  });
  return [web, queue, fresh, warning];
}
