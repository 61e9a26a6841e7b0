// The default cluster plus a `busy` namespace: a Deployment of 24 pods made in one burst, as a big
// rollout or a scale-up makes them, so that what kubectl sorts holds many equal keys. Its events
// (the ReplicaSet's 24 SuccessfulCreate in one second, then each pod's Scheduled, Pulling, Pulled,
// Created and Started, and the crash-looping pods' BackOff and Unhealthy) share a handful of
// timestamps; the pods share a phase, a node per three, a start time. Go's sort.Sort orders equal
// items by its own steps past 12 (pdqsort), which is what native reads must follow here.

import { FixtureBuilder, type PodSpec } from "./fixture-builders";
import { defaultScenario, NODE_NAMES } from "./scenario";
import type { Scenario } from "./types";

const MIN = 60;
const NAMESPACE = "busy";
const HASH = "5c7d8e9f6";
const PODS = 24;
/** Every fifth pod crash-loops. */
const crashing = (i: number) => i % 5 === 0;

function busyObjects(b: FixtureBuilder): void {
  b.namespace(NAMESPACE, 3 * 60 * MIN);
  const pods: PodSpec[] = Array.from({ length: PODS }, (_, i) => ({
    suffix: `${"bcdfghjk"[i % 8]}${"lmnpqrst"[Math.trunc(i / 8)]}${i % 3}x${i}`,
    node: NODE_NAMES[i % NODE_NAMES.length] as string,
    ip: `10.0.${(i % 3) + 1}.${100 + i}`,
    createdAgo: 10 * MIN,
    state: crashing(i)
      ? { kind: "crashloop", restarts: 6, lastExitCode: 137, lastFinishedAgo: 40 }
      : { kind: "running" },
  }));
  b.deployment(
    {
      namespace: NAMESPACE,
      name: "web",
      replicas: PODS,
      labels: { app: "web" },
      containers: [
        { name: "web", image: "registry.example.com/busy/web:2.0.0", port: 8080, probePath: "/healthz" },
      ],
      createdAgo: 3 * 60 * MIN,
    },
    [{ hash: HASH, revision: 1, createdAgo: 10 * MIN, replicas: PODS }],
    pods,
  );
  const replicaSet = b.objects.find((o) => o.kind === "ReplicaSet" && o.metadata.namespace === NAMESPACE);
  const made = b.objects.filter((o) => o.kind === "Pod" && o.metadata.namespace === NAMESPACE);
  if (!replicaSet) throw new Error("the busy Deployment made no ReplicaSet");
  made.forEach((pod, i) => {
    const on = { namespace: NAMESPACE, involved: pod };
    b.event({
      namespace: NAMESPACE,
      involved: replicaSet,
      reason: "SuccessfulCreate",
      message: `Created pod: ${pod.metadata.name}`,
      component: "replicaset-controller",
      firstAgo: 10 * MIN,
    });
    b.event({
      ...on,
      reason: "Scheduled",
      message: `Successfully assigned ${NAMESPACE}/${pod.metadata.name} to ${NODE_NAMES[i % NODE_NAMES.length]}`,
      component: "default-scheduler",
      firstAgo: 10 * MIN,
      eventTimeOnly: true,
    });
    const kubelet = (reason: string, message: string, firstAgo: number, more = {}) =>
      b.event({ ...on, reason, message, component: "kubelet", firstAgo, ...more });
    kubelet("Pulling", 'Pulling image "registry.example.com/busy/web:2.0.0"', 10 * MIN - 2);
    kubelet(
      "Pulled",
      'Successfully pulled image "registry.example.com/busy/web:2.0.0" in 1.2s',
      10 * MIN - 4,
    );
    kubelet("Created", "Created container web", 10 * MIN - 4);
    kubelet("Started", "Started container web", 10 * MIN - 4);
    if (crashing(i)) {
      kubelet("Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 503", 9 * MIN, {
        type: "Warning",
        count: 18,
        lastAgo: 60,
      });
      kubelet("BackOff", "Back-off restarting failed container web in pod", 8 * MIN, {
        type: "Warning",
        count: 30,
        lastAgo: 60,
      });
    }
  });
}

export function busyScenario(now: Date = new Date()): Scenario {
  const scenario = defaultScenario(now);
  const b = new FixtureBuilder(now);
  busyObjects(b);
  return { ...scenario, objects: [...scenario.objects, ...b.objects], logs: [...scenario.logs, ...b.logs] };
}
