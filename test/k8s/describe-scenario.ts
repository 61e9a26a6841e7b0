// The default cluster plus a `lab` namespace of pods shaped to exercise what `kubectl describe pod`
// prints beyond the default cluster's plain workloads: init containers, several containers and
// ports, commands and multi-line arguments, every kind of environment variable and env source,
// exec, TCP and HTTPS probes, the common volume kinds, a Guaranteed, a BestEffort and a Burstable
// pod, a pod that is not scheduled, one that was evicted, long and multi-line annotations, node
// selectors, tolerations of every form, readiness gates and a priority class. Written out as the
// API server returns them, defaults included.

import { labCustomResources } from "./custom-resources";
import { labAccounts } from "./describe-accounts";
import { labBatch } from "./describe-batch";
import { labClasses } from "./describe-classes";
import { labAutoscalers } from "./describe-hpa";
import { labIngresses } from "./describe-ingress";
import { labNetworkPolicies } from "./describe-netpol";
import { labBudgets } from "./describe-pdb";
import { labRbac } from "./describe-rbac";
import { labRevisions } from "./describe-revisions";
import { labClaims } from "./describe-storage";
import { labVolumes } from "./describe-volumes";
import { addEndpoints } from "./endpoints";
import { executorRbac } from "./executor-rbac";
import { FixtureBuilder, nodeIP } from "./fixture-builders";
import { defaultScenario, NODE_NAMES } from "./scenario";
import type { KubeObject, Scenario } from "./types";

const MIN = 60;
const LAB = "lab";

const container = (name: string, image: string, extra: Record<string, unknown> = {}) => ({
  name,
  image,
  imagePullPolicy: "IfNotPresent",
  terminationMessagePath: "/dev/termination-log",
  terminationMessagePolicy: "File",
  resources: {},
  ...extra,
});

const guaranteed = (cpu: string, memory: string) => ({
  limits: { cpu, memory },
  requests: { cpu, memory },
});

function labPods(b: FixtureBuilder): KubeObject[] {
  const [node1 = "", node2 = ""] = NODE_NAMES;
  const condition = (type: string, status: string, ago: number, reason?: string) => ({
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: b.ago(ago),
    ...(reason ? { reason } : {}),
  });
  const running = (ago: number) => ({ running: { startedAt: b.ago(ago) } });
  const status = (name: string, image: string, state: Record<string, unknown>, ready: boolean) => ({
    name,
    image,
    imageID: `${image.replace(/:[^:/]+$/, "")}@sha256:${"ab12".repeat(16)}`,
    containerID: `containerd://${"cd34".repeat(16)}`,
    ready,
    restartCount: 0,
    started: ready,
    state,
    lastState: {},
  });

  const batch = b.add({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...b.meta("Pod", "batch-runner-x7k2p", LAB, 20 * MIN),
      labels: { app: "batch-runner", tier: "jobs" },
      annotations: {
        "example.com/owner": "platform-team",
        "example.com/long": `${"a".repeat(70)}-${"b".repeat(70)}`,
        "example.com/notes": "first line\nsecond line\n",
        "kubectl.kubernetes.io/last-applied-configuration": '{"apiVersion":"v1","kind":"Pod"}\n',
      },
    },
    spec: {
      initContainers: [
        container("migrate", "registry.example.com/lab/migrate:1.0", {
          command: ["/bin/migrate"],
          args: ["--to", "latest"],
          resources: guaranteed("250m", "64Mi"),
          volumeMounts: [{ name: "config", mountPath: "/etc/migrate", readOnly: true }],
        }),
      ],
      containers: [
        container("worker", "registry.example.com/lab/worker:4.2", {
          command: ["/bin/sh", "-c"],
          args: ["echo start\nexec worker --queue=jobs"],
          ports: [
            { name: "metrics", containerPort: 9090, protocol: "TCP" },
            { containerPort: 5353, hostPort: 5353, protocol: "UDP" },
          ],
          env: [
            { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
            { name: "POD_IP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.podIP" } } },
            { name: "NODE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } },
            {
              name: "MODE",
              valueFrom: { configMapKeyRef: { name: "worker-config", key: "mode", optional: true } },
            },
            { name: "TOKEN", valueFrom: { secretKeyRef: { name: "worker-secrets", key: "token" } } },
            { name: "BANNER", value: "line one\nline two" },
            { name: "EMPTY", value: "" },
          ],
          envFrom: [
            { prefix: "CFG_", configMapRef: { name: "worker-config" } },
            { secretRef: { name: "worker-secrets", optional: false } },
          ],
          resources: guaranteed("500m", "256Mi"),
          livenessProbe: {
            exec: { command: ["cat", "/tmp/healthy"] },
            initialDelaySeconds: 10,
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
          readinessProbe: {
            tcpSocket: { port: 9090 },
            initialDelaySeconds: 5,
            timeoutSeconds: 2,
            periodSeconds: 5,
            successThreshold: 1,
            failureThreshold: 3,
          },
          startupProbe: {
            httpGet: { path: "/startup", port: "metrics", host: "127.0.0.1", scheme: "HTTPS" },
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 30,
          },
          volumeMounts: [
            { name: "scratch", mountPath: "/scratch" },
            { name: "config", mountPath: "/etc/worker", readOnly: true, subPath: "worker.yaml" },
            { name: "data", mountPath: "/data" },
            { name: "creds", mountPath: "/etc/creds", readOnly: true },
          ],
        }),
        container("log-shipper", "registry.example.com/lab/shipper:0.9", {
          resources: guaranteed("100m", "32Mi"),
          securityContext: {
            allowPrivilegeEscalation: false,
            seccompProfile: { type: "Localhost", localhostProfile: "profiles/shipper-audit.json" },
          },
          volumeMounts: [{ name: "host-logs", mountPath: "/var/log/host", readOnly: true }],
        }),
      ],
      volumes: [
        { name: "scratch", emptyDir: { medium: "Memory" } },
        { name: "config", configMap: { name: "worker-config", defaultMode: 420 } },
        { name: "data", persistentVolumeClaim: { claimName: "worker-data" } },
        { name: "creds", secret: { secretName: "worker-secrets", optional: true, defaultMode: 256 } },
        { name: "host-logs", hostPath: { path: "/var/log", type: "Directory" } },
      ],
      nodeName: node1,
      nodeSelector: { "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type": "m5.large" },
      priorityClassName: "batch-high",
      priority: 100000,
      readinessGates: [{ conditionType: "example.com/feature-ready" }],
      tolerations: [
        { key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" },
        { operator: "Exists" },
        {
          key: "node.kubernetes.io/unreachable",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 60,
        },
      ],
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      serviceAccountName: "default",
      serviceAccount: "default",
      dnsPolicy: "ClusterFirst",
      terminationGracePeriodSeconds: 30,
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      // Two keys out of order, so the describer's sort shows; one selector with an expression.
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { app: "batch-runner" } },
        },
        {
          maxSkew: 2,
          topologyKey: "kubernetes.io/hostname",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["jobs", "batch"] }] },
          nodeAffinityPolicy: "Honor",
        },
      ],
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    },
    status: {
      phase: "Running",
      conditions: [
        condition("example.com/feature-ready", "True", 18 * MIN),
        condition("PodReadyToStartContainers", "True", 19 * MIN),
        condition("Initialized", "True", 19 * MIN),
        condition("Ready", "True", 18 * MIN),
        condition("ContainersReady", "True", 18 * MIN),
        condition("PodScheduled", "True", 20 * MIN),
      ],
      hostIP: nodeIP(node1),
      hostIPs: [{ ip: nodeIP(node1) }],
      podIP: "10.0.1.201",
      podIPs: [{ ip: "10.0.1.201" }],
      startTime: b.ago(20 * MIN),
      initContainerStatuses: [
        status(
          "migrate",
          "registry.example.com/lab/migrate:1.0",
          {
            terminated: {
              exitCode: 0,
              reason: "Completed",
              startedAt: b.ago(19 * MIN + 40),
              finishedAt: b.ago(19 * MIN + 10),
            },
          },
          true,
        ),
      ],
      containerStatuses: [
        status("log-shipper", "registry.example.com/lab/shipper:0.9", running(19 * MIN), true),
        status("worker", "registry.example.com/lab/worker:4.2", running(19 * MIN), true),
      ],
      qosClass: "Guaranteed",
    },
  });

  const pending = b.add({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { ...b.meta("Pod", "pending-abc12", LAB, 3 * MIN), labels: { app: "pending" } },
    spec: {
      containers: [container("app", "registry.example.com/lab/app:2.0")],
      restartPolicy: "Always",
      serviceAccountName: "default",
      tolerations: [],
    },
    status: {
      phase: "Pending",
      conditions: [condition("PodScheduled", "False", 3 * MIN, "Unschedulable")],
      nominatedNodeName: node2,
      qosClass: "BestEffort",
    },
  });

  // Being deleted: its grace period runs while its container stops.
  const draining = b.add({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...b.meta("Pod", "draining-5d6f7", LAB, 50 * MIN),
      labels: { app: "draining" },
      deletionTimestamp: b.ago(-15),
      deletionGracePeriodSeconds: 30,
      finalizers: ["example.com/flush-queue"],
    },
    spec: {
      containers: [
        container("app", "registry.example.com/lab/app:2.0", {
          securityContext: { seccompProfile: { type: "Unconfined" } },
        }),
      ],
      nodeName: node1,
      serviceAccountName: "default",
      terminationGracePeriodSeconds: 30,
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" },
      ],
    },
    status: {
      phase: "Running",
      conditions: [condition("Ready", "False", 15), condition("PodScheduled", "True", 50 * MIN)],
      hostIP: nodeIP(node1),
      podIP: "10.0.1.215",
      podIPs: [{ ip: "10.0.1.215" }],
      startTime: b.ago(50 * MIN),
      containerStatuses: [status("app", "registry.example.com/lab/app:2.0", running(50 * MIN), false)],
      qosClass: "BestEffort",
    },
  });

  // `kubectl debug` added a shell beside the app (ephemeral containers: `Ephemeral Containers`).
  const debugged = b.add({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { ...b.meta("Pod", "debugged-8c4f2", LAB, 40 * MIN), labels: { app: "debugged" } },
    spec: {
      containers: [container("app", "registry.example.com/lab/app:2.0")],
      ephemeralContainers: [
        {
          ...container("debugger-x7k2p", "busybox:1.36", { stdin: true, tty: true }),
          targetContainerName: "app",
        },
        {
          ...container("debugger-q9w8e", "nicolaka/netshoot:v0.13", {
            command: ["sleep", "3600"],
            env: [{ name: "TARGET", value: "app" }],
          }),
          targetContainerName: "app",
        },
      ],
      nodeName: node2,
      serviceAccountName: "default",
    },
    status: {
      phase: "Running",
      conditions: [condition("Ready", "True", 39 * MIN), condition("PodScheduled", "True", 40 * MIN)],
      hostIP: nodeIP(node2),
      podIP: "10.0.2.77",
      podIPs: [{ ip: "10.0.2.77" }],
      startTime: b.ago(40 * MIN),
      containerStatuses: [status("app", "registry.example.com/lab/app:2.0", running(40 * MIN), true)],
      ephemeralContainerStatuses: [
        {
          ...status(
            "debugger-x7k2p",
            "busybox:1.36",
            {
              terminated: {
                exitCode: 0,
                reason: "Completed",
                startedAt: b.ago(12 * MIN),
                finishedAt: b.ago(9 * MIN),
              },
            },
            false,
          ),
          started: false,
        },
        status("debugger-q9w8e", "nicolaka/netshoot:v0.13", running(3 * MIN), false),
      ],
      qosClass: "BestEffort",
    },
  });

  const evicted = b.add({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { ...b.meta("Pod", "evicted-q8w9e", LAB, 2 * 60 * MIN), labels: { app: "cache" } },
    spec: {
      containers: [
        container("cache", "registry.example.com/lab/cache:7.2", {
          args: ["--maxmemory", "64mb"],
          resources: { requests: { memory: "64Mi" } },
          volumeMounts: [{ name: "scratch", mountPath: "/scratch" }],
        }),
      ],
      // The claim it still holds is being deleted: its protection waits for this pod to go.
      volumes: [{ name: "scratch", persistentVolumeClaim: { claimName: "old-scratch" } }],
      nodeName: node2,
      serviceAccountName: "default",
    },
    status: {
      phase: "Failed",
      reason: "Evicted",
      message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91340Ki.",
      hostIP: nodeIP(node2),
      startTime: b.ago(2 * 60 * MIN),
      containerStatuses: [
        status(
          "cache",
          "registry.example.com/lab/cache:7.2",
          {
            terminated: {
              exitCode: 137,
              reason: "OOMKilled",
              message: "killed",
              startedAt: b.ago(2 * 60 * MIN - 5),
              finishedAt: b.ago(40 * MIN),
            },
          },
          false,
        ),
      ],
      qosClass: "Burstable",
    },
  });

  const events = [
    b.event({
      namespace: LAB,
      involved: batch,
      reason: "Scheduled",
      message: `Successfully assigned ${LAB}/batch-runner-x7k2p to ${node1}`,
      component: "default-scheduler",
      firstAgo: 20 * MIN,
      eventTimeOnly: true,
    }),
    b.event({
      namespace: LAB,
      involved: batch,
      reason: "Started",
      message: "Started container worker",
      component: "kubelet",
      host: node1,
      firstAgo: 19 * MIN,
    }),
    b.event({
      namespace: LAB,
      involved: pending,
      type: "Warning",
      reason: "FailedScheduling",
      message: "0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available.",
      component: "default-scheduler",
      count: 4,
      firstAgo: 3 * MIN,
      lastAgo: 30,
    }),
    b.event({
      namespace: LAB,
      involved: evicted,
      type: "Warning",
      reason: "Evicted",
      message: "The node was low on resource: memory.",
      component: "kubelet",
      host: node2,
      firstAgo: 40 * MIN,
    }),
  ];
  const objects = [
    b.namespace(LAB, 30 * MIN),
    batch,
    pending,
    draining,
    debugged,
    evicted,
    ...events,
    ...labDeployment(b, batch),
    ...labLimits(b),
    ...labServices(b),
    ...gpuNode(b),
    ...rollouts(b),
    ...statefulSets(b),
    ...daemonSets(b),
    ...labBatch(b),
    ...labClaims(b, node1),
    ...labVolumes(b, node1),
    ...labIngresses(b),
    ...labAutoscalers(b),
    ...labNetworkPolicies(b),
    ...labBudgets(b),
    ...labRbac(b),
    ...executorRbac(b),
    ...labAccounts(b),
    ...labCustomResources(b),
    ...labClasses(b),
    yamlScalars(b),
    appSettings(b),
  ];
  return [...objects, ...labRevisions(b, objects)];
}

/**
 * DaemonSets as `describe daemonset` and `rollout status` print them: `log-agent` runs on every
 * Linux node, one of its three pods not yet available; `node-exporter` is rolled out; `legacy-agent`
 * updates on delete.
 */
function daemonSets(b: FixtureBuilder): KubeObject[] {
  const daemonSet = (name: string, updateStrategy: Record<string, unknown>, available: number) => {
    const labels = { app: name };
    return b.add({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: {
        ...b.meta("DaemonSet", name, LAB, 27 * MIN),
        generation: 2,
        labels,
        annotations: { "deprecated.daemonset.template.generation": "2" },
      },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              container(name, `registry.example.com/lab/${name}:2.2.0`, {
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                volumeMounts: [],
              }),
            ],
            nodeSelector: { "kubernetes.io/os": "linux" },
            tolerations: [{ operator: "Exists" }],
            restartPolicy: "Always",
          },
        },
        updateStrategy,
        revisionHistoryLimit: 10,
      },
      status: {
        currentNumberScheduled: 3,
        numberMisscheduled: 0,
        desiredNumberScheduled: 3,
        numberReady: available,
        observedGeneration: 2,
        updatedNumberScheduled: 3,
        numberAvailable: available,
        ...(available < 3 ? { numberUnavailable: 3 - available } : {}),
      },
    });
  };
  const rolling = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
  const logAgent = daemonSet("log-agent", rolling, 2);
  const owner = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    name: "log-agent",
    uid: logAgent.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  const pod = (suffix: string, node: string, phase: string) =>
    b.add({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        ...b.meta("Pod", `log-agent-${suffix}`, LAB, 27 * MIN),
        generateName: "log-agent-",
        labels: { app: "log-agent", "controller-revision-hash": "6f8d9c7b5" },
        ownerReferences: [owner],
      },
      spec: {
        containers: [
          container("log-agent", "registry.example.com/lab/log-agent:2.2.0", { volumeMounts: [] }),
        ],
        nodeName: node,
        restartPolicy: "Always",
        serviceAccountName: "default",
      },
      status: { phase, qosClass: "BestEffort", startTime: b.ago(27 * MIN) },
    });
  const [node1 = "", node2 = ""] = NODE_NAMES;
  return [
    logAgent,
    daemonSet("node-exporter", rolling, 3),
    daemonSet("legacy-agent", { type: "OnDelete" }, 3),
    pod("7kx2p", node1, "Running"),
    pod("m4q8z", node2, "Running"),
    pod("z9w3d", GPU_NODE, "Pending"),
  ];
}

/**
 * StatefulSets as `describe statefulset` and `rollout status` print them: `postgres` rolls out by
 * partition, has a volume claim template and two pods, one running and one pending; `cache`
 * updates on delete and claims nothing; `queue`'s partitioned rollout is complete.
 */
function statefulSets(b: FixtureBuilder): KubeObject[] {
  const statefulSet = (
    name: string,
    replicas: number,
    ready: number,
    updateStrategy: Record<string, unknown>,
    volumeClaimTemplates: Record<string, unknown>[],
  ) => {
    const labels = { app: name };
    return b.add({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { ...b.meta("StatefulSet", name, LAB, 26 * MIN), generation: 1, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        serviceName: name,
        podManagementPolicy: "OrderedReady",
        updateStrategy,
        revisionHistoryLimit: 10,
        template: {
          metadata: { labels },
          spec: {
            containers: [
              container(name, `registry.example.com/lab/${name}:16.4`, {
                ports: [{ containerPort: 5432, name: "db", protocol: "TCP" }],
                volumeMounts: volumeClaimTemplates.length
                  ? [{ name: "data", mountPath: "/var/lib/data" }]
                  : [],
              }),
            ],
            restartPolicy: "Always",
          },
        },
        volumeClaimTemplates,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      },
      status: {
        observedGeneration: 1,
        replicas,
        readyReplicas: ready,
        currentReplicas: replicas,
        updatedReplicas: replicas,
        availableReplicas: ready,
        currentRevision: `${name}-7d4b9c8f6`,
        updateRevision: `${name}-7d4b9c8f6`,
        collisionCount: 0,
      },
    });
  };
  const postgres = statefulSet("postgres", 2, 1, { type: "RollingUpdate", rollingUpdate: { partition: 0 } }, [
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", labels: { app: "postgres", tier: "db" } },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: "gp3",
        resources: { requests: { storage: "20Gi" } },
        volumeMode: "Filesystem",
      },
      status: { phase: "Pending" },
    },
  ]);
  const cache = statefulSet("cache", 0, 0, { type: "OnDelete" }, []);
  const queue = statefulSet("queue", 2, 2, { type: "RollingUpdate", rollingUpdate: { partition: 1 } }, []);
  const owner = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    name: "postgres",
    uid: postgres.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  const pod = (index: number, phase: string) =>
    b.add({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        ...b.meta("Pod", `postgres-${index}`, LAB, 25 * MIN),
        generateName: "postgres-",
        labels: { app: "postgres", "apps.kubernetes.io/pod-index": String(index) },
        ownerReferences: [owner],
      },
      spec: {
        containers: [
          container("postgres", "registry.example.com/lab/postgres:16.4", {
            volumeMounts: [{ name: "data", mountPath: "/var/lib/data" }],
          }),
        ],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: `data-postgres-${index}` } }],
        restartPolicy: "Always",
        serviceAccountName: "default",
        ...(phase === "Running" ? { nodeName: NODE_NAMES[0] } : {}),
      },
      status: {
        phase,
        qosClass: "BestEffort",
        ...(phase === "Running" ? { startTime: b.ago(25 * MIN) } : {}),
      },
    });
  const events = [
    b.event({
      namespace: LAB,
      involved: postgres,
      reason: "SuccessfulCreate",
      message: "create Pod postgres-1 in StatefulSet postgres successful",
      component: "statefulset-controller",
      firstAgo: 24 * MIN,
    }),
  ];
  return [postgres, cache, queue, pod(0, "Running"), pod(1, "Pending"), ...events];
}

/**
 * Deployments caught in each state `rollout status` names: new replicas still being made, old ones
 * still running, new ones not yet available, and a spec change the controller has not seen yet.
 */
function rollouts(b: FixtureBuilder): KubeObject[] {
  const rollout = (
    name: string,
    generations: [number, number],
    replicas: number,
    counts: { replicas: number; updatedReplicas: number; availableReplicas: number },
  ) => {
    const labels = { app: name };
    return b.add({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        ...b.meta("Deployment", name, LAB, 15 * MIN),
        generation: generations[0],
        labels,
        annotations: {
          "deployment.kubernetes.io/revision": String(generations[0]),
          // As `kubectl apply` leaves it: the manifest applied, as JSON, and a line break.
          "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify({
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { annotations: {}, name, namespace: LAB },
            spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels } } },
          })}\n`,
        },
      },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [container("web", "registry.example.com/lab/web:3.1.0", { volumeMounts: [] })],
            restartPolicy: "Always",
          },
        },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: generations[1],
        ...counts,
        readyReplicas: counts.availableReplicas,
        unavailableReplicas: counts.replicas - counts.availableReplicas,
        conditions: [
          {
            type: "Progressing",
            status: "True",
            lastUpdateTime: b.ago(2 * MIN),
            lastTransitionTime: b.ago(15 * MIN),
            reason: "ReplicaSetUpdated",
            message: `ReplicaSet "${name}-5c9d7f8b6" is progressing.`,
          },
        ],
      },
    });
  };
  return [
    rollout("rolling-web", [3, 3], 3, { replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
    rollout("draining-web", [2, 2], 2, { replicas: 3, updatedReplicas: 2, availableReplicas: 2 }),
    rollout("warming-web", [2, 2], 2, { replicas: 2, updatedReplicas: 2, availableReplicas: 1 }),
    rollout("unobserved-web", [5, 4], 2, { replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
  ];
}

const GPU_NODE = "ip-10-0-3-88.eu-west-1.compute.internal";

/**
 * What `describe node` prints beyond the default cluster's plain nodes: a cordoned GPU node with
 * roles, taints of each form, huge pages and an extended resource to allocate, events naming it by
 * uid (the node controller) and by name (the kubelet), and pods whose requests kubectl sums in its
 * own way: a sidecar and an init container, memory in two formats, a GPU, huge pages. A pod that
 * finished is on the node too, and left out as kubectl leaves it out.
 */
function gpuNode(b: FixtureBuilder): KubeObject[] {
  const node = b.node(GPU_NODE, {
    ip: nodeIP(GPU_NODE),
    zone: "eu-west-1c",
    createdAgo: 3 * 24 * 60 * MIN,
    podCIDR: "10.0.3.0/24",
  });
  const labels = node.metadata.labels as Record<string, string>;
  labels["node-role.kubernetes.io/gpu"] = "";
  labels["kubernetes.io/role"] = "worker";
  labels["nvidia.com/gpu.product"] = "Tesla-T4";
  const spec = node.spec as Record<string, unknown>;
  spec.unschedulable = true;
  spec.taints = [
    { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule", timeAdded: b.ago(40 * MIN) },
    { key: "dedicated", value: "ml", effect: "NoExecute" },
  ];
  const status = node.status as Record<string, Record<string, string>>;
  status.capacity = {
    cpu: "8",
    "ephemeral-storage": "209702892Ki",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "2Gi",
    memory: "32386328Ki",
    "nvidia.com/gpu": "4",
    pods: "58",
  };
  status.allocatable = {
    cpu: "7910m",
    "ephemeral-storage": "192188443124",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "2Gi",
    memory: "29331736Ki",
    "nvidia.com/gpu": "4",
    pods: "58",
  };
  const resources = (requests: Record<string, string>, limits: Record<string, string> = {}) => ({
    requests,
    limits,
  });
  const pod = (name: string, phase: string, createdAgo: number, podSpec: Record<string, unknown>) =>
    b.add({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { ...b.meta("Pod", name, LAB, createdAgo), labels: { app: "trainer" } },
      spec: {
        nodeName: GPU_NODE,
        restartPolicy: "Always",
        schedulerName: "default-scheduler",
        serviceAccountName: "default",
        ...podSpec,
      },
      status: {
        phase,
        hostIP: nodeIP(GPU_NODE),
        podIP: "10.0.3.17",
        podIPs: [{ ip: "10.0.3.17" }],
        qosClass: "Burstable",
        startTime: b.ago(createdAgo),
      },
    });
  const trainer = container("trainer", "registry.example.com/ml/trainer:4.2.0", {
    resources: resources(
      { cpu: "1500m", memory: "4Gi", "nvidia.com/gpu": "2", "hugepages-2Mi": "512Mi" },
      { memory: "6Gi", "nvidia.com/gpu": "2", "hugepages-2Mi": "512Mi" },
    ),
  });
  const exporter = container("exporter", "registry.example.com/ml/exporter:1.0.3", {
    resources: resources({ cpu: "50m", memory: "100M" }, { cpu: "200m", memory: "200M" }),
  });
  const events = [
    {
      component: "node-controller",
      reason: "RegisteredNode",
      uid: node.metadata.uid,
      ago: 3 * 24 * 60 * MIN,
    },
    { component: "kubelet", reason: "NodeNotSchedulable", uid: GPU_NODE, ago: 40 * MIN },
  ].map(({ component, reason, uid, ago }) =>
    b.event({
      namespace: "default",
      involved: { ...node, metadata: { ...node.metadata, uid } },
      reason,
      message: `Node ${GPU_NODE} status is now: ${reason}`,
      component,
      ...(component === "kubelet" ? { host: GPU_NODE } : {}),
      firstAgo: ago,
    }),
  );
  return [
    node,
    b.nodeLease(node),
    ...events,
    pod("trainer-0", "Running", 35 * MIN, {
      initContainers: [
        container("fetch-weights", "registry.example.com/ml/fetch:1.1.0", {
          resources: resources({ cpu: "2", memory: "1Gi" }, { memory: "2Gi" }),
        }),
        container("log-shipper", "registry.example.com/ml/shipper:0.9.1", {
          restartPolicy: "Always",
          resources: resources({ cpu: "250m", memory: "64Mi" }, { cpu: "500m", memory: "128Mi" }),
        }),
      ],
      containers: [trainer, exporter],
    }),
    pod("trainer-1", "Pending", 12 * MIN, { containers: [trainer] }),
    pod("trainer-warmup", "Succeeded", 50 * MIN, { containers: [exporter] }),
  ];
}

/**
 * Services of the shapes `describe service` prints differently: a LoadBalancer with node ports,
 * traffic policies, source ranges and ingress points, whose slice holds six endpoints on two ports
 * (one not ready, so kubectl lists three and counts the rest); a headless service whose slice has no
 * ports; an ExternalName service with no selector and no slice. The first and last carry the label
 * `kubectl cluster-info` lists services by.
 */
function labServices(b: FixtureBuilder): KubeObject[] {
  // What `kubectl cluster-info -n lab` lists: a load balancer's ingress points, and a service with no ports.
  const CLUSTER_SERVICE = { "kubernetes.io/cluster-service": "true" };
  const service = (
    name: string,
    spec: Record<string, unknown>,
    status: Record<string, unknown> = {},
    labels: Record<string, string> = {},
  ) =>
    b.add({
      apiVersion: "v1",
      kind: "Service",
      metadata: { ...b.meta("Service", name, LAB, 28 * MIN), labels: { app: name, ...labels } },
      spec: { sessionAffinity: "None", ...spec },
      status: { loadBalancer: {}, ...status },
    });
  const slice = (owner: KubeObject, suffix: string, ports: unknown[], addresses: [string, boolean][]) =>
    b.add({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: {
        ...b.meta("EndpointSlice", `${owner.metadata.name}-${suffix}`, LAB, 28 * MIN),
        generateName: `${owner.metadata.name}-`,
        labels: {
          "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
          "kubernetes.io/service-name": owner.metadata.name,
        },
      },
      addressType: "IPv4",
      endpoints: addresses.map(([ip, ready]) => ({
        addresses: [ip],
        conditions: { ready, serving: ready, terminating: false },
      })),
      ports,
    });
  const ipFamily = { ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack", internalTrafficPolicy: "Cluster" };
  const gateway = service(
    "gateway",
    {
      ...ipFamily,
      type: "LoadBalancer",
      selector: { app: "gateway", tier: "edge" },
      clusterIP: "10.96.140.12",
      clusterIPs: ["10.96.140.12"],
      externalIPs: ["203.0.113.10"],
      loadBalancerIP: "203.0.113.20",
      ports: [
        { name: "http", port: 80, protocol: "TCP", targetPort: "web", nodePort: 30080 },
        { name: "metrics", port: 9090, protocol: "TCP", targetPort: 9090, nodePort: 30090 },
      ],
      externalTrafficPolicy: "Local",
      healthCheckNodePort: 32456,
      loadBalancerSourceRanges: ["10.0.0.0/8", "192.168.0.0/16"],
      allocateLoadBalancerNodePorts: true,
    },
    { loadBalancer: { ingress: [{ ip: "203.0.113.20", ipMode: "VIP" }, { hostname: "gw.example.com" }] } },
    CLUSTER_SERVICE,
  );
  const headless = service("headless", {
    ...ipFamily,
    type: "ClusterIP",
    selector: { app: "headless" },
    clusterIP: "None",
    clusterIPs: ["None"],
  });
  const external = service(
    "external-db",
    { type: "ExternalName", externalName: "db.example.com" },
    {},
    CLUSTER_SERVICE,
  );
  const slices = [
    slice(
      gateway,
      "q7x2m",
      [
        { name: "http", port: 8080, protocol: "TCP" },
        { name: "metrics", port: 9090, protocol: "TCP" },
      ],
      [
        ["10.0.1.31", true],
        ["10.0.1.32", false],
        ["10.0.1.33", true],
        ["10.0.2.34", true],
        ["10.0.2.35", true],
        ["10.0.2.36", false],
      ],
    ),
    slice(
      headless,
      "w4k9d",
      [],
      [
        ["10.0.1.41", true],
        ["10.0.2.42", false],
      ],
    ),
  ];
  return [gateway, headless, external, ...slices, ...addEndpoints(b, slices)];
}

/**
 * What `describe namespace` prints besides the namespace: `lab` has a compute quota, a scoped one,
 * one whose used and hard amounts are in different formats (describe quota rewrites the used one,
 * describe namespace does not) and limit ranges of one resource per limit; `sandbox` is being
 * deleted, with its conditions, and has a limit of two resources, which kubectl prints in Go's
 * random map order.
 */
function labLimits(b: FixtureBuilder): KubeObject[] {
  const quota = (
    namespace: string,
    name: string,
    spec: Record<string, unknown>,
    used: Record<string, string>,
  ) => {
    const hard = spec.hard as Record<string, string>;
    return b.add({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: b.meta("ResourceQuota", name, namespace, 29 * MIN),
      spec,
      status: { hard, used },
    });
  };
  const limits = (namespace: string, name: string, items: Record<string, unknown>[]) =>
    b.add({
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: b.meta("LimitRange", name, namespace, 29 * MIN),
      spec: { limits: items },
    });
  const sandbox = b.namespace("sandbox", 12 * MIN);
  sandbox.metadata.deletionTimestamp = b.ago(2 * MIN);
  sandbox.spec = { finalizers: ["kubernetes"] };
  sandbox.status = {
    phase: "Terminating",
    conditions: [
      {
        type: "NamespaceContentRemaining",
        status: "True",
        lastTransitionTime: b.ago(2 * MIN),
        reason: "SomeResourcesRemain",
        message: "Some resources are remaining: limitranges. has 1 resource instances",
      },
      {
        type: "NamespaceDeletionDiscoveryFailure",
        status: "False",
        lastTransitionTime: b.ago(2 * MIN),
        reason: "ResourcesDiscovered",
        message: "All resources successfully discovered",
      },
    ],
  };
  return [
    quota(
      LAB,
      "lab-compute",
      {
        hard: {
          "limits.cpu": "4",
          "limits.memory": "8Gi",
          pods: "10",
          "requests.cpu": "2",
          "requests.memory": "4Gi",
        },
      },
      {
        "limits.cpu": "1500m",
        "limits.memory": "1536Mi",
        pods: "3",
        "requests.cpu": "750m",
        "requests.memory": "768Mi",
      },
    ),
    quota(
      LAB,
      "lab-besteffort",
      { hard: { pods: "5" }, scopes: ["BestEffort", "NotTerminating"] },
      { pods: "1" },
    ),
    // Used and hard in different formats: describe quota rewrites the used amount, describe namespace does not.
    quota(LAB, "lab-storage", { hard: { "requests.storage": "10G" } }, { "requests.storage": "1Gi" }),
    limits(LAB, "lab-defaults", [
      { type: "Container", default: { cpu: "500m" } },
      { type: "Container", defaultRequest: { memory: "128Mi" } },
      { type: "Pod", max: { memory: "2Gi" } },
      { type: "PersistentVolumeClaim", min: { storage: "1Gi" } },
    ]),
    sandbox,
    limits("sandbox", "sandbox-defaults", [
      { type: "Container", default: { cpu: "500m", memory: "256Mi" }, max: { cpu: "2" } },
    ]),
  ];
}

/**
 * A Deployment whose template is the batch pod's spec, with its current ReplicaSet (the template
 * plus the pod-template-hash label, revision 2), an older one scaled to 0, and a ReplicaSet its
 * selector matches that it does not control.
 */
function labDeployment(b: FixtureBuilder, batch: KubeObject): KubeObject[] {
  const { nodeName: _n, priority: _p, ...podSpec } = batch.spec as Record<string, unknown>;
  const labels = { app: "batch-runner", tier: "jobs" };
  const template = {
    metadata: { labels, annotations: { "example.com/config-hash": "9f2c4e1a" } },
    spec: podSpec,
  };
  const deployment = b.add({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      ...b.meta("Deployment", "batch-runner", LAB, 25 * MIN),
      generation: 2,
      labels,
      annotations: { "deployment.kubernetes.io/revision": "2" },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: 1 } },
      minReadySeconds: 5,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 2,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        {
          type: "Available",
          status: "True",
          lastUpdateTime: b.ago(18 * MIN),
          lastTransitionTime: b.ago(18 * MIN),
          reason: "MinimumReplicasAvailable",
          message: "Deployment has minimum availability.",
        },
        {
          type: "Progressing",
          status: "True",
          lastUpdateTime: b.ago(18 * MIN),
          lastTransitionTime: b.ago(25 * MIN),
          reason: "NewReplicaSetAvailable",
          message: 'ReplicaSet "batch-runner-6d5c8b7f9" has successfully progressed.',
        },
      ],
    },
  });
  const owner = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    name: "batch-runner",
    uid: deployment.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  const replicaSet = (
    name: string,
    hash: string,
    revision: string,
    replicas: number,
    createdAgo: number,
    podTemplate = template,
    owned = true,
  ) =>
    b.add({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        ...b.meta("ReplicaSet", name, LAB, createdAgo),
        labels: { ...labels, "pod-template-hash": hash },
        annotations: {
          "deployment.kubernetes.io/revision": revision,
          // What `kubectl rollout history` shows as each revision's change cause.
          ...(revision === "2"
            ? { "kubernetes.io/change-cause": "kubectl set image deploy/batch-runner runner=v2" }
            : {}),
        },
        ...(owned ? { ownerReferences: [owner] } : {}),
      },
      spec: {
        replicas,
        selector: { matchLabels: { ...labels, "pod-template-hash": hash } },
        template: {
          ...podTemplate,
          metadata: { ...podTemplate.metadata, labels: { ...labels, "pod-template-hash": hash } },
        },
      },
      status: {
        replicas,
        fullyLabeledReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        observedGeneration: 1,
      },
    });
  const older = { ...template, spec: { ...podSpec, serviceAccountName: "batch-old" } };
  return [
    deployment,
    replicaSet("batch-runner-7b4f9c6d8", "7b4f9c6d8", "1", 0, 25 * MIN, older),
    replicaSet("batch-runner-6d5c8b7f9", "6d5c8b7f9", "2", 1, 20 * MIN),
    replicaSet("batch-runner-manual", "manual", "1", 0, 22 * MIN, older, false),
    b.event({
      namespace: LAB,
      involved: deployment,
      reason: "ScalingReplicaSet",
      message: "Scaled up replica set batch-runner-6d5c8b7f9 from 0 to 1",
      component: "deployment-controller",
      firstAgo: 20 * MIN,
    }),
  ];
}

/**
 * A ConfigMap of one key and one binary key, as `kubectl describe configmap` prints the same every
 * time only for such (it walks the maps in Go's random order): a value with tabs and blank lines,
 * and a binary file whose length describe counts.
 */
function appSettings(b: FixtureBuilder): KubeObject {
  return b.add({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      ...b.meta("ConfigMap", "app-settings", LAB, 15 * MIN),
      labels: { app: "batch-runner", tier: "jobs" },
    },
    data: { "settings.ini": "[queue]\nname\t= jobs\nworkers\t= 4\n\n[log]\nlevel\t= info\n" },
    binaryData: { "logo.png": Buffer.from("\x89PNG\r\n\x1a\n-lab-logo-bytes-").toString("base64") },
  });
}

/**
 * Strings that begin with a sign, as container args and flags do, YAML 1.1's sexagesimal numbers,
 * strings with line breaks and text beyond ASCII: `-o yaml` must quote exactly those kubectl's YAML printer quotes,
 * and write the others as the literal blocks it writes.
 */
function yamlScalars(b: FixtureBuilder): KubeObject {
  const values = [
    ...["-", "--", "---", "---x", "- a", "-a", "--flag", "--to=latest", "-v=4", "+a", "+1-555-0100"],
    ...["-1", "+1", "-0x1F", "+0o17", "-0b101", "-0b102", "-017", "-08", "-1_000", "-1.", "-.5", "-1e5"],
    ...["-.inf", "+.Inf", "-.nan", "-1:30", "-1,2", "-1 2", "-#", "+ a", "-_"],
    ...["1:30", "1:60", "12:30:45.5", "1_0:3_0"],
    // Line breaks: literal blocks, clipped or stripped, with an indentation hint, an empty line.
    ...[
      "line one\nline two\n",
      "no break at the end\nsecond",
      "  indented first\nnext\n",
      "\nafter a break\n",
    ],
    ...["a\n\nb\n", '#!/bin/sh\nset -eu\nexec /app --port=8080 "$@"\n'],
    // Printable text beyond ASCII, written as it is (folded past column 80 by characters).
    ...[
      "café",
      "naïve résumé: cv",
      "日本語のテキスト",
      "→ next",
      "'quoted' ünïcode",
      "Grüße\nzweite Zeile\n",
    ],
    "Überprüfung der Konfiguration für den Dienst läuft noch; bitte später erneut versuchen, danke schön",
  ];
  const data = Object.fromEntries(values.map((value, i) => [`v${String(i).padStart(2, "0")}`, value]));
  return b.configMap(LAB, "yaml-scalars", { ...data, "-key": "x", "--key": "y", "+1": "z" }, 20 * MIN);
}

/** The default cluster, and the `lab` pods `describe` is tested on. */
export function describeScenario(now: Date = new Date()): Scenario {
  const scenario = defaultScenario(now);
  return { ...scenario, objects: [...scenario.objects, ...labPods(new FixtureBuilder(now))] };
}
