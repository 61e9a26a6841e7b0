// The `lab` namespace's PodDisruptionBudgets, shaped for what `kubectl describe pdb` prints: one
// that allows no disruption of the postgres pods (one of two healthy), one by percentage over pods
// picked by an expression, and one whose selector matches no pod, with the controller's event.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const LAB = "lab";

function budget(b: FixtureBuilder, name: string, spec: object, status: object): KubeObject {
  return b.add({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: {
      ...b.meta("PodDisruptionBudget", name, LAB, 24 * MIN),
      generation: 1,
      labels: { team: "platform" },
    },
    spec,
    status: { observedGeneration: 1, ...status },
  });
}

export function labBudgets(b: FixtureBuilder): KubeObject[] {
  const orphan = budget(
    b,
    "orphan-pdb",
    { minAvailable: "50%", selector: { matchLabels: { app: "nothing" } } },
    { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  );
  return [
    budget(
      b,
      "postgres-pdb",
      { minAvailable: 1, selector: { matchLabels: { app: "postgres" } } },
      { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 },
    ),
    budget(
      b,
      "web-pdb",
      {
        maxUnavailable: "25%",
        selector: {
          matchExpressions: [{ key: "app", operator: "In", values: ["warming-web", "rolling-web"] }],
        },
        unhealthyPodEvictionPolicy: "AlwaysAllow",
      },
      { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
    ),
    orphan,
    b.event({
      namespace: LAB,
      involved: orphan,
      reason: "NoPods",
      message: "No matching pods found",
      component: "controllermanager",
      firstAgo: 24 * MIN,
      lastAgo: 60,
      count: 12,
    }),
  ];
}
