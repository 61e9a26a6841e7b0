// PriorityClasses and IngressClasses, cluster-scoped, shaped for what `kubectl get` and `kubectl
// describe` print of them: the two the API server makes itself (system-cluster-critical and
// system-node-critical, near the int32 limit), a global default, the `batch-high` class the lab's
// pods name (never preempting, with a description and annotations); an nginx class marked default
// with namespaced parameters in a group, an ALB class whose parameters name no group, and a bare
// Traefik one with labels and an event.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const DAY = 24 * 60 * MIN;

function priorityClasses(b: FixtureBuilder): KubeObject[] {
  const priorityClass = (
    name: string,
    createdAgo: number,
    rest: Record<string, unknown>,
    meta: Record<string, unknown> = {},
  ) =>
    b.add({
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { ...b.meta("PriorityClass", name, undefined, createdAgo), ...meta },
      preemptionPolicy: "PreemptLowerPriority",
      ...rest,
    });
  return [
    priorityClass("system-cluster-critical", 47 * DAY, {
      value: 2000000000,
      description:
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    }),
    priorityClass("system-node-critical", 47 * DAY, {
      value: 2000001000,
      description: "Used for system critical pods that must not be moved from their current node.",
    }),
    priorityClass("standard", 30 * DAY, { value: 0, globalDefault: true, description: "" }),
    priorityClass(
      "batch-high",
      12 * DAY,
      {
        value: 100000,
        globalDefault: false,
        preemptionPolicy: "Never",
        description: "Batch work that may wait for room, but ahead of other batch work.",
      },
      {
        labels: { team: "platform" },
        annotations: { "lab.example.com/owner": "platform", "lab.example.com/ticket": "OPS-1482" },
      },
    ),
  ];
}

function ingressClasses(b: FixtureBuilder): KubeObject[] {
  const ingressClass = (
    name: string,
    createdAgo: number,
    spec: Record<string, unknown>,
    meta: Record<string, unknown> = {},
  ) =>
    b.add({
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { ...b.meta("IngressClass", name, undefined, createdAgo), generation: 1, ...meta },
      spec,
    });
  const traefik = ingressClass(
    "traefik",
    3 * DAY,
    { controller: "traefik.io/ingress-controller" },
    { labels: { "app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "traefik-lab" } },
  );
  return [
    ingressClass(
      "nginx",
      40 * DAY,
      {
        controller: "k8s.io/ingress-nginx",
        parameters: {
          apiGroup: "k8s.nginx.org",
          kind: "IngressParameters",
          name: "lab-defaults",
          scope: "Namespace",
          namespace: "lab",
        },
      },
      {
        labels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" },
        annotations: { "ingressclass.kubernetes.io/is-default-class": "true" },
      },
    ),
    ingressClass("alb", 20 * DAY, {
      controller: "ingress.k8s.aws/alb",
      parameters: { kind: "IngressClassParams", name: "alb-internal", scope: "Cluster" },
    }),
    traefik,
    b.event({
      namespace: "default",
      involved: traefik,
      reason: "ControllerChanged",
      message: "ingress class traefik is now served by traefik-lab",
      type: "Normal",
      component: "traefik",
      firstAgo: 2 * DAY,
    }),
  ];
}

export function labClasses(b: FixtureBuilder): KubeObject[] {
  return [...priorityClasses(b), ...ingressClasses(b)];
}
