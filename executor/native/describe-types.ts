/**
 * Owns the shapes of the objects native describe reads (pods, workloads, services, nodes,
 * namespaces, quotas, jobs), as typebox schemas with one compiled checker each. Each names every
 * field its describer prints that native reads model; an object that does not match runs kubectl.
 * Fields a describer prints but native reads do not model are named too, so the describer can see
 * them and fall back (pod-level resources, volume devices).
 */
import { type Static, type TSchema, Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { LoadBalancerStatus } from "./kube-types";

const Quantities = t.Record(t.String(), t.String());
const IntOrString = t.Union([t.Integer(), t.String()]);
const Present = t.Unknown();

/** A label selector with expressions, as FormatLabelSelector (describe-parts.ts) writes it. */
const FullSelector = t.Object({
  matchLabels: t.Optional(t.Record(t.String(), t.String())),
  matchExpressions: t.Optional(
    t.Array(t.Object({ key: t.String(), operator: t.String(), values: t.Optional(t.Array(t.String())) })),
  ),
});
export type FullSelector = Static<typeof FullSelector>;

/** A seccomp profile, as the pod describer prints it for the pod and for each container. */
const SeccompProfile = t.Object({ type: t.String(), localhostProfile: t.Optional(t.String()) });

/** A topology spread constraint, as describeTopologySpreadConstraints prints it. */
const TopologySpread = t.Object({
  topologyKey: t.String(),
  whenUnsatisfiable: t.String(),
  maxSkew: t.Integer(),
  labelSelector: t.Optional(FullSelector),
});
export type TopologySpread = Static<typeof TopologySpread>;

/** A list a describer reads in pages of 500: its items, and where the next page starts. */
const Paged = <T extends TSchema>(item: T) =>
  t.Object({ items: t.Array(item), metadata: t.Optional(t.Object({ continue: t.Optional(t.String()) })) });

const Probe = t.Object({
  initialDelaySeconds: t.Optional(t.Integer()),
  timeoutSeconds: t.Optional(t.Integer()),
  periodSeconds: t.Optional(t.Integer()),
  successThreshold: t.Optional(t.Integer()),
  failureThreshold: t.Optional(t.Integer()),
  exec: t.Optional(t.Object({ command: t.Optional(t.Array(t.String())) })),
  httpGet: t.Optional(
    t.Object({
      path: t.Optional(t.String()),
      port: IntOrString,
      host: t.Optional(t.String()),
      scheme: t.Optional(t.String()),
    }),
  ),
  tcpSocket: t.Optional(t.Object({ port: IntOrString, host: t.Optional(t.String()) })),
  grpc: t.Optional(Present),
});
export type Probe = Static<typeof Probe>;

const KeyRef = t.Object({ key: t.String(), name: t.Optional(t.String()), optional: t.Optional(t.Boolean()) });
const EnvVar = t.Object({
  name: t.String(),
  value: t.Optional(t.String()),
  valueFrom: t.Optional(
    t.Object({
      fieldRef: t.Optional(t.Object({ apiVersion: t.Optional(t.String()), fieldPath: t.String() })),
      resourceFieldRef: t.Optional(Present),
      secretKeyRef: t.Optional(KeyRef),
      configMapKeyRef: t.Optional(KeyRef),
    }),
  ),
});
export type EnvVar = Static<typeof EnvVar>;
const SourceRef = t.Object({ name: t.Optional(t.String()), optional: t.Optional(t.Boolean()) });

const Container = t.Object({
  name: t.String(),
  image: t.Optional(t.String()),
  command: t.Optional(t.Array(t.String())),
  args: t.Optional(t.Array(t.String())),
  ports: t.Optional(
    t.Array(
      t.Object({
        containerPort: t.Integer(),
        hostPort: t.Optional(t.Integer()),
        protocol: t.Optional(t.String()),
      }),
    ),
  ),
  resources: t.Optional(t.Object({ limits: t.Optional(Quantities), requests: t.Optional(Quantities) })),
  livenessProbe: t.Optional(Probe),
  readinessProbe: t.Optional(Probe),
  startupProbe: t.Optional(Probe),
  env: t.Optional(t.Array(EnvVar)),
  envFrom: t.Optional(
    t.Array(
      t.Object({
        prefix: t.Optional(t.String()),
        configMapRef: t.Optional(SourceRef),
        secretRef: t.Optional(SourceRef),
      }),
    ),
  ),
  volumeMounts: t.Optional(
    t.Array(
      t.Object({
        name: t.String(),
        mountPath: t.String(),
        readOnly: t.Optional(t.Boolean()),
        subPath: t.Optional(t.String()),
      }),
    ),
  ),
  volumeDevices: t.Optional(t.Array(Present)),
  securityContext: t.Optional(t.Object({ seccompProfile: t.Optional(SeccompProfile) })),
});
export type Container = Static<typeof Container>;

const Time = t.Optional(t.String());
const State = t.Object({
  running: t.Optional(t.Object({ startedAt: Time })),
  waiting: t.Optional(t.Object({ reason: t.Optional(t.String()) })),
  terminated: t.Optional(
    t.Object({
      reason: t.Optional(t.String()),
      message: t.Optional(t.String()),
      exitCode: t.Integer(),
      signal: t.Optional(t.Integer()),
      startedAt: Time,
      finishedAt: Time,
    }),
  ),
});
export type ContainerState = Static<typeof State>;
const ContainerStatus = t.Object({
  name: t.String(),
  containerID: t.Optional(t.String()),
  imageID: t.Optional(t.String()),
  state: t.Optional(State),
  lastState: t.Optional(State),
  ready: t.Boolean(),
  restartCount: t.Integer(),
});
export type ContainerStatus = Static<typeof ContainerStatus>;

const Volume = t.Object({
  name: t.String(),
  projected: t.Optional(
    t.Object({
      sources: t.Optional(
        t.Array(
          t.Object({
            secret: t.Optional(t.Object({ name: t.Optional(t.String()), optional: t.Optional(t.Boolean()) })),
            configMap: t.Optional(
              t.Object({ name: t.Optional(t.String()), optional: t.Optional(t.Boolean()) }),
            ),
            downwardAPI: t.Optional(Present),
            serviceAccountToken: t.Optional(t.Object({ expirationSeconds: t.Optional(t.Integer()) })),
          }),
        ),
      ),
    }),
  ),
  configMap: t.Optional(t.Object({ name: t.Optional(t.String()), optional: t.Optional(t.Boolean()) })),
  secret: t.Optional(t.Object({ secretName: t.Optional(t.String()), optional: t.Optional(t.Boolean()) })),
  emptyDir: t.Optional(t.Object({ medium: t.Optional(t.String()), sizeLimit: t.Optional(t.String()) })),
  persistentVolumeClaim: t.Optional(t.Object({ claimName: t.String(), readOnly: t.Optional(t.Boolean()) })),
  hostPath: t.Optional(t.Object({ path: t.String(), type: t.Optional(t.String()) })),
});
export type Volume = Static<typeof Volume>;

const Tolerations = t.Array(
  t.Object({
    key: t.Optional(t.String()),
    operator: t.Optional(t.String()),
    value: t.Optional(t.String()),
    effect: t.Optional(t.String()),
    tolerationSeconds: t.Optional(t.Integer()),
  }),
);
export type Tolerations = Static<typeof Tolerations>;

/** What describe prints of an object's metadata: who it is, its labels and annotations, who controls it. */
const DescribedMeta = {
  name: t.String(),
  namespace: t.String(),
  uid: t.String(),
  labels: t.Optional(t.Record(t.String(), t.String())),
  annotations: t.Optional(t.Record(t.String(), t.String())),
  ownerReferences: t.Optional(
    t.Array(t.Object({ kind: t.String(), name: t.String(), controller: t.Optional(t.Boolean()) })),
  ),
};

export const DescribedPod = t.Object({
  metadata: t.Object({
    ...DescribedMeta,
    deletionTimestamp: t.Optional(t.String()),
    deletionGracePeriodSeconds: t.Optional(t.Integer()),
  }),
  spec: t.Object({
    priority: t.Optional(t.Integer()),
    priorityClassName: t.Optional(t.String()),
    runtimeClassName: t.Optional(t.String()),
    serviceAccountName: t.Optional(t.String()),
    nodeName: t.Optional(t.String()),
    securityContext: t.Optional(t.Object({ seccompProfile: t.Optional(SeccompProfile) })),
    resources: t.Optional(Present),
    initContainers: t.Optional(t.Array(Container)),
    containers: t.Array(Container),
    ephemeralContainers: t.Optional(t.Array(Container)),
    readinessGates: t.Optional(t.Array(t.Object({ conditionType: t.String() }))),
    volumes: t.Optional(t.Array(Volume)),
    nodeSelector: t.Optional(t.Record(t.String(), t.String())),
    tolerations: t.Optional(Tolerations),
    topologySpreadConstraints: t.Optional(t.Array(TopologySpread)),
  }),
  status: t.Object({
    phase: t.Optional(t.String()),
    reason: t.Optional(t.String()),
    message: t.Optional(t.String()),
    hostIP: t.Optional(t.String()),
    podIP: t.Optional(t.String()),
    podIPs: t.Optional(t.Array(t.Object({ ip: t.String() }))),
    startTime: Time,
    nominatedNodeName: t.Optional(t.String()),
    qosClass: t.Optional(t.String()),
    conditions: t.Optional(t.Array(t.Object({ type: t.String(), status: t.String() }))),
    containerStatuses: t.Optional(t.Array(ContainerStatus)),
    initContainerStatuses: t.Optional(t.Array(ContainerStatus)),
    ephemeralContainerStatuses: t.Optional(t.Array(ContainerStatus)),
  }),
});
export type DescribedPod = Static<typeof DescribedPod>;
export const checkDescribedPod = TypeCompiler.Compile(DescribedPod);

/** A workload's pod template as DescribePodTemplate prints it. */
export const PodTemplate = t.Object({
  metadata: t.Optional(
    t.Object({
      labels: t.Optional(t.Record(t.String(), t.String())),
      annotations: t.Optional(t.Record(t.String(), t.String())),
    }),
  ),
  spec: t.Object({
    serviceAccountName: t.Optional(t.String()),
    initContainers: t.Optional(t.Array(Container)),
    containers: t.Array(Container),
    volumes: t.Optional(t.Array(Volume)),
    topologySpreadConstraints: t.Optional(t.Array(TopologySpread)),
    priorityClassName: t.Optional(t.String()),
    nodeSelector: t.Optional(t.Record(t.String(), t.String())),
    tolerations: t.Optional(Tolerations),
  }),
});
export type PodTemplate = Static<typeof PodTemplate>;

/** A label selector; only matchLabels is modeled. */
const LabelSelector = t.Object({
  matchLabels: t.Optional(t.Record(t.String(), t.String())),
  matchExpressions: t.Optional(t.Array(Present)),
});

/** A Deployment as `kubectl describe deployment` reads it; matchExpressions and a template's topology spread constraints are not modeled. */
export const DescribedDeployment = t.Object({
  metadata: t.Object({
    name: t.String(),
    namespace: t.String(),
    uid: t.String(),
    creationTimestamp: t.String(),
    labels: t.Optional(t.Record(t.String(), t.String())),
    annotations: t.Optional(t.Record(t.String(), t.String())),
  }),
  spec: t.Object({
    replicas: t.Integer(),
    selector: LabelSelector,
    strategy: t.Object({
      type: t.String(),
      rollingUpdate: t.Optional(t.Object({ maxUnavailable: IntOrString, maxSurge: IntOrString })),
    }),
    minReadySeconds: t.Optional(t.Integer()),
    template: PodTemplate,
  }),
  status: t.Optional(
    t.Object({
      replicas: t.Optional(t.Integer()),
      updatedReplicas: t.Optional(t.Integer()),
      availableReplicas: t.Optional(t.Integer()),
      unavailableReplicas: t.Optional(t.Integer()),
      conditions: t.Optional(
        t.Array(t.Object({ type: t.String(), status: t.String(), reason: t.Optional(t.String()) })),
      ),
    }),
  ),
});
export type DescribedDeployment = Static<typeof DescribedDeployment>;
export const checkDescribedDeployment = TypeCompiler.Compile(DescribedDeployment);

/** A ReplicaSet as the deployment describer weighs it: whose it is, when it came, its template and counts. */
export const OwnedReplicaSet = t.Object({
  metadata: t.Object({
    name: t.String(),
    uid: t.String(),
    creationTimestamp: t.String(),
    annotations: t.Optional(t.Record(t.String(), t.String())),
    ownerReferences: t.Optional(t.Array(t.Object({ uid: t.String(), controller: t.Optional(t.Boolean()) }))),
  }),
  spec: t.Object({ replicas: t.Integer(), template: t.Unknown() }),
  status: t.Optional(t.Object({ replicas: t.Optional(t.Integer()) })),
});
export type OwnedReplicaSet = Static<typeof OwnedReplicaSet>;
export const checkReplicaSetList = TypeCompiler.Compile(Paged(OwnedReplicaSet));

/** A ReplicaSet as `kubectl describe replicaset` reads it. */
export const DescribedReplicaSet = t.Object({
  metadata: t.Object(DescribedMeta),
  spec: t.Object({ replicas: t.Integer(), selector: LabelSelector, template: PodTemplate }),
  status: t.Optional(
    t.Object({
      replicas: t.Optional(t.Integer()),
      conditions: t.Optional(
        t.Array(t.Object({ type: t.String(), status: t.String(), reason: t.Optional(t.String()) })),
      ),
    }),
  ),
});
export type DescribedReplicaSet = Static<typeof DescribedReplicaSet>;
export const checkDescribedReplicaSet = TypeCompiler.Compile(DescribedReplicaSet);

/** A pod as a controller's describer counts it: who controls it, and its phase. */
const CountedPod = t.Object({
  metadata: t.Object({
    ownerReferences: t.Optional(t.Array(t.Object({ uid: t.String(), controller: t.Optional(t.Boolean()) }))),
  }),
  status: t.Optional(t.Object({ phase: t.Optional(t.String()) })),
});
export type CountedPod = Static<typeof CountedPod>;
export const checkCountedPodList = TypeCompiler.Compile(Paged(CountedPod));

/** A namespace as `kubectl describe namespace` reads it. */
export const DescribedNamespace = t.Object({
  metadata: t.Object({
    name: t.String(),
    labels: t.Optional(t.Record(t.String(), t.String())),
    annotations: t.Optional(t.Record(t.String(), t.String())),
  }),
  status: t.Optional(
    t.Object({
      phase: t.Optional(t.String()),
      conditions: t.Optional(
        t.Array(
          t.Object({
            type: t.String(),
            status: t.String(),
            lastTransitionTime: t.Optional(t.String()),
            reason: t.Optional(t.String()),
            message: t.Optional(t.String()),
          }),
        ),
      ),
    }),
  ),
});
export type DescribedNamespace = Static<typeof DescribedNamespace>;
export const checkDescribedNamespace = TypeCompiler.Compile(DescribedNamespace);

/** A resource quota as the namespace describer prints it. */
const Quota = t.Object({
  metadata: t.Object({ name: t.String(), namespace: t.Optional(t.String()) }),
  spec: t.Optional(t.Object({ scopes: t.Optional(t.Array(t.String())) })),
  status: t.Optional(t.Object({ hard: t.Optional(Quantities), used: t.Optional(Quantities) })),
});
export type Quota = Static<typeof Quota>;
export const checkQuotaList = TypeCompiler.Compile(Paged(Quota));

/** A limit range as the namespace describer prints it: each limit's type and quantities. */
const LimitRange = t.Object({
  metadata: t.Object({ name: t.String(), namespace: t.Optional(t.String()) }),
  spec: t.Object({
    limits: t.Array(
      t.Object({
        type: t.String(),
        max: t.Optional(Quantities),
        min: t.Optional(Quantities),
        default: t.Optional(Quantities),
        defaultRequest: t.Optional(Quantities),
        maxLimitRequestRatio: t.Optional(Quantities),
      }),
    ),
  }),
});
export type LimitRange = Static<typeof LimitRange>;
export const checkLimitRangeList = TypeCompiler.Compile(Paged(LimitRange));

/** A quota or limit range as its own describer reads it: in a namespace. */
const InNamespace = t.Object({ metadata: t.Object({ name: t.String(), namespace: t.String() }) });
export const DescribedQuota = t.Intersect([Quota, InNamespace]);
export type DescribedQuota = Static<typeof DescribedQuota>;
export const checkDescribedQuota = TypeCompiler.Compile(DescribedQuota);
export const DescribedLimitRange = t.Intersect([LimitRange, InNamespace]);
export type DescribedLimitRange = Static<typeof DescribedLimitRange>;
export const checkDescribedLimitRange = TypeCompiler.Compile(DescribedLimitRange);

/** A Service as `kubectl describe service` reads it. */
export const DescribedService = t.Object({
  metadata: t.Object({
    name: t.String(),
    namespace: t.String(),
    uid: t.String(),
    labels: t.Optional(t.Record(t.String(), t.String())),
    annotations: t.Optional(t.Record(t.String(), t.String())),
  }),
  spec: t.Object({
    selector: t.Optional(t.Record(t.String(), t.String())),
    type: t.Optional(t.String()),
    ipFamilyPolicy: t.Optional(t.String()),
    ipFamilies: t.Optional(t.Array(t.String())),
    clusterIP: t.Optional(t.String()),
    clusterIPs: t.Optional(t.Array(t.String())),
    externalIPs: t.Optional(t.Array(t.String())),
    loadBalancerIP: t.Optional(t.String()),
    externalName: t.Optional(t.String()),
    ports: t.Optional(
      t.Array(
        t.Object({
          name: t.Optional(t.String()),
          port: t.Integer(),
          protocol: t.Optional(t.String()),
          targetPort: t.Optional(IntOrString),
          nodePort: t.Optional(t.Integer()),
        }),
      ),
    ),
    sessionAffinity: t.Optional(t.String()),
    externalTrafficPolicy: t.Optional(t.String()),
    internalTrafficPolicy: t.Optional(t.String()),
    healthCheckNodePort: t.Optional(t.Integer()),
    loadBalancerSourceRanges: t.Optional(t.Array(t.String())),
  }),
  status: t.Optional(
    t.Object({
      loadBalancer: t.Optional(
        t.Object({
          ingress: t.Optional(
            t.Array(
              t.Object({
                ip: t.Optional(t.String()),
                hostname: t.Optional(t.String()),
                ipMode: t.Optional(t.String()),
              }),
            ),
          ),
        }),
      ),
    }),
  ),
});
export type DescribedService = Static<typeof DescribedService>;
export const checkDescribedService = TypeCompiler.Compile(DescribedService);

/**
 * An EndpointSlice as the service describer lists its endpoints. kubectl reads each endpoint's first
 * address and each port's name and number through pointers: a slice without them is not modeled.
 */
const EndpointSlice = t.Object({
  endpoints: t.Optional(
    t.Array(
      t.Object({
        addresses: t.Array(t.String(), { minItems: 1 }),
        conditions: t.Optional(t.Object({ ready: t.Optional(t.Boolean()) })),
      }),
    ),
  ),
  ports: t.Optional(t.Array(t.Object({ name: t.String(), port: t.Integer() }))),
});
export type EndpointSlice = Static<typeof EndpointSlice>;
export const checkEndpointSliceList = TypeCompiler.Compile(t.Object({ items: t.Array(EndpointSlice) }));

/** A pod as the node describer sums its resources and lists it. */
const ResourcedContainer = t.Object({
  resources: t.Optional(
    t.Object({
      requests: t.Optional(t.Record(t.String(), t.String())),
      limits: t.Optional(t.Record(t.String(), t.String())),
    }),
  ),
  restartPolicy: t.Optional(t.String()),
});
export const ResourcedPod = t.Object({
  metadata: t.Object({ name: t.String(), namespace: t.String(), creationTimestamp: t.String() }),
  spec: t.Object({
    containers: t.Array(ResourcedContainer),
    initContainers: t.Optional(t.Array(ResourcedContainer)),
    overhead: t.Optional(Present),
  }),
  status: t.Optional(
    t.Object({ containerStatuses: t.Optional(t.Array(t.Object({ resources: t.Optional(Present) }))) }),
  ),
});
export type ResourcedPod = Static<typeof ResourcedPod>;
export const checkResourcedPodList = TypeCompiler.Compile(Paged(ResourcedPod));

/** A Node as `kubectl describe node` reads it. */
export const DescribedNode = t.Object({
  metadata: t.Object({
    name: t.String(),
    uid: t.String(),
    creationTimestamp: t.String(),
    labels: t.Optional(t.Record(t.String(), t.String())),
    annotations: t.Optional(t.Record(t.String(), t.String())),
  }),
  spec: t.Optional(
    t.Object({
      taints: t.Optional(
        t.Array(t.Object({ key: t.String(), value: t.Optional(t.String()), effect: t.String() })),
      ),
      unschedulable: t.Optional(t.Boolean()),
      podCIDR: t.Optional(t.String()),
      podCIDRs: t.Optional(t.Array(t.String())),
      providerID: t.Optional(t.String()),
    }),
  ),
  status: t.Object({
    conditions: t.Optional(
      t.Array(
        t.Object({
          type: t.String(),
          status: t.String(),
          lastHeartbeatTime: t.Optional(t.String()),
          lastTransitionTime: t.Optional(t.String()),
          reason: t.Optional(t.String()),
          message: t.Optional(t.String()),
        }),
      ),
    ),
    addresses: t.Optional(t.Array(t.Object({ type: t.String(), address: t.String() }))),
    capacity: t.Optional(Quantities),
    allocatable: t.Optional(Quantities),
    nodeInfo: t.Record(t.String(), t.String()),
  }),
});
export type DescribedNode = Static<typeof DescribedNode>;
export const checkDescribedNode = TypeCompiler.Compile(DescribedNode);

/** A node's Lease in kube-node-lease: who holds it and when. */
export const NodeLease = t.Object({
  spec: t.Optional(
    t.Object({
      holderIdentity: t.Optional(t.String()),
      acquireTime: t.Optional(t.String()),
      renewTime: t.Optional(t.String()),
    }),
  ),
});
export type NodeLease = Static<typeof NodeLease>;
export const checkNodeLease = TypeCompiler.Compile(NodeLease);

/** A StatefulSet as `kubectl describe statefulset` reads it. */
export const DescribedStatefulSet = t.Object({
  metadata: t.Object({ ...DescribedMeta, creationTimestamp: t.String() }),
  spec: t.Object({
    replicas: t.Integer(),
    selector: LabelSelector,
    updateStrategy: t.Optional(
      t.Object({
        type: t.Optional(t.String()),
        rollingUpdate: t.Optional(
          t.Object({ partition: t.Optional(t.Integer()), maxUnavailable: t.Optional(IntOrString) }),
        ),
      }),
    ),
    template: PodTemplate,
    volumeClaimTemplates: t.Optional(
      t.Array(
        t.Object({
          metadata: t.Object({
            name: t.String(),
            labels: t.Optional(t.Record(t.String(), t.String())),
            annotations: t.Optional(t.Record(t.String(), t.String())),
          }),
          spec: t.Object({
            storageClassName: t.Optional(t.String()),
            accessModes: t.Optional(t.Array(t.String())),
            resources: t.Optional(t.Object({ requests: t.Optional(Quantities) })),
          }),
        }),
      ),
    ),
  }),
  status: t.Optional(t.Object({ replicas: t.Optional(t.Integer()) })),
});
export type DescribedStatefulSet = Static<typeof DescribedStatefulSet>;
export const checkDescribedStatefulSet = TypeCompiler.Compile(DescribedStatefulSet);

/** A DaemonSet as `kubectl describe daemonset` reads it. */
export const DescribedDaemonSet = t.Object({
  metadata: t.Object(DescribedMeta),
  spec: t.Object({ selector: LabelSelector, template: PodTemplate }),
  status: t.Optional(
    t.Object({
      desiredNumberScheduled: t.Optional(t.Integer()),
      currentNumberScheduled: t.Optional(t.Integer()),
      updatedNumberScheduled: t.Optional(t.Integer()),
      numberAvailable: t.Optional(t.Integer()),
      numberMisscheduled: t.Optional(t.Integer()),
    }),
  ),
});
export type DescribedDaemonSet = Static<typeof DescribedDaemonSet>;
export const checkDescribedDaemonSet = TypeCompiler.Compile(DescribedDaemonSet);

/** A Job as `kubectl describe job` reads it: its spec as set or defaulted, and its counts. */
export const DescribedJob = t.Object({
  metadata: t.Object(DescribedMeta),
  spec: t.Object({
    selector: LabelSelector,
    parallelism: t.Optional(t.Integer()),
    completions: t.Optional(t.Integer()),
    completionMode: t.Optional(t.String()),
    suspend: t.Optional(t.Boolean()),
    backoffLimit: t.Optional(t.Integer()),
    ttlSecondsAfterFinished: t.Optional(t.Integer()),
    activeDeadlineSeconds: t.Optional(t.Integer()),
    template: PodTemplate,
  }),
  status: t.Optional(
    t.Object({
      startTime: Time,
      completionTime: Time,
      active: t.Optional(t.Integer()),
      ready: t.Optional(t.Integer()),
      succeeded: t.Optional(t.Integer()),
      failed: t.Optional(t.Integer()),
      completedIndexes: t.Optional(t.String()),
    }),
  ),
});
export type DescribedJob = Static<typeof DescribedJob>;
export const checkDescribedJob = TypeCompiler.Compile(DescribedJob);

/** A CronJob as `kubectl describe cronjob` reads it: its schedule, limits, job template and runs. */
export const DescribedCronJob = t.Object({
  metadata: t.Object(DescribedMeta),
  spec: t.Object({
    schedule: t.String(),
    concurrencyPolicy: t.Optional(t.String()),
    suspend: t.Optional(t.Boolean()),
    successfulJobsHistoryLimit: t.Optional(t.Integer()),
    failedJobsHistoryLimit: t.Optional(t.Integer()),
    startingDeadlineSeconds: t.Optional(t.Integer()),
    jobTemplate: t.Object({
      spec: t.Object({
        selector: t.Optional(LabelSelector),
        parallelism: t.Optional(t.Integer()),
        completions: t.Optional(t.Integer()),
        activeDeadlineSeconds: t.Optional(t.Integer()),
        template: PodTemplate,
      }),
    }),
  }),
  status: t.Optional(
    t.Object({ lastScheduleTime: Time, active: t.Optional(t.Array(t.Object({ name: t.String() }))) }),
  ),
});
export type DescribedCronJob = Static<typeof DescribedCronJob>;
export const checkDescribedCronJob = TypeCompiler.Compile(DescribedCronJob);

/** A PersistentVolumeClaim as `kubectl describe pvc` reads it. */
export const DescribedClaim = t.Object({
  metadata: t.Object({
    ...DescribedMeta,
    deletionTimestamp: Time,
    finalizers: t.Optional(t.Array(t.String())),
  }),
  spec: t.Object({
    storageClassName: t.Optional(t.String()),
    volumeName: t.Optional(t.String()),
    volumeMode: t.Optional(t.String()),
    resources: t.Optional(t.Object({ requests: t.Optional(Quantities) })),
    dataSource: t.Optional(
      t.Object({ apiGroup: t.Optional(t.String()), kind: t.String(), name: t.String() }),
    ),
  }),
  status: t.Optional(
    t.Object({
      phase: t.Optional(t.String()),
      accessModes: t.Optional(t.Array(t.String())),
      capacity: t.Optional(Quantities),
      conditions: t.Optional(
        t.Array(
          t.Object({
            type: t.String(),
            status: t.String(),
            lastProbeTime: t.Optional(t.Union([t.String(), t.Null()])),
            lastTransitionTime: t.Optional(t.Union([t.String(), t.Null()])),
            reason: t.Optional(t.String()),
            message: t.Optional(t.String()),
          }),
        ),
      ),
    }),
  ),
});
export type DescribedClaim = Static<typeof DescribedClaim>;
export const checkDescribedClaim = TypeCompiler.Compile(DescribedClaim);

/** A pod as the claim describer looks at it: its name and the claims its volumes name. */
const ClaimingPod = t.Object({
  metadata: t.Object({ name: t.String() }),
  spec: t.Object({
    volumes: t.Optional(
      t.Array(t.Object({ persistentVolumeClaim: t.Optional(t.Object({ claimName: t.String() })) })),
    ),
  }),
});
export type ClaimingPod = Static<typeof ClaimingPod>;
export const checkClaimingPodList = TypeCompiler.Compile(Paged(ClaimingPod));

/** An Ingress backend: a Service by port number or name, or a resource. */
const IngressBackend = t.Object({
  service: t.Optional(
    t.Object({
      name: t.String(),
      port: t.Object({ number: t.Optional(t.Integer()), name: t.Optional(t.String()) }),
    }),
  ),
  resource: t.Optional(t.Object({ apiGroup: t.Optional(t.String()), kind: t.String(), name: t.String() })),
});
export type IngressBackend = Static<typeof IngressBackend>;

/** An Ingress as `kubectl describe ingress` reads it. */
export const DescribedIngress = t.Object({
  metadata: t.Object(DescribedMeta),
  spec: t.Object({
    ingressClassName: t.Optional(t.String()),
    defaultBackend: t.Optional(IngressBackend),
    tls: t.Optional(
      t.Array(t.Object({ hosts: t.Optional(t.Array(t.String())), secretName: t.Optional(t.String()) })),
    ),
    rules: t.Optional(
      t.Array(
        t.Object({
          host: t.Optional(t.String()),
          http: t.Optional(
            t.Object({ paths: t.Array(t.Object({ path: t.Optional(t.String()), backend: IngressBackend })) }),
          ),
        }),
      ),
    ),
  }),
  status: t.Optional(LoadBalancerStatus),
});
export type DescribedIngress = Static<typeof DescribedIngress>;
export const checkDescribedIngress = TypeCompiler.Compile(DescribedIngress);

/** A Service as an Ingress backend reads it: its ports' numbers and names. */
export const BackendService = t.Object({
  spec: t.Object({
    ports: t.Optional(t.Array(t.Object({ port: t.Integer(), name: t.Optional(t.String()) }))),
  }),
});
export const checkBackendService = TypeCompiler.Compile(BackendService);

/** A metric's target or current value, as an autoscaling/v2 HorizontalPodAutoscaler holds one. */
const MetricValue = t.Object({
  type: t.Optional(t.String()),
  averageUtilization: t.Optional(t.Integer()),
  averageValue: t.Optional(t.String()),
  value: t.Optional(t.String()),
});
export type MetricValue = Static<typeof MetricValue>;
const MetricName = t.Object({ name: t.String() });

/** One metric of the spec: its type and the source that type names. */
const MetricSpec = t.Object({
  type: t.String(),
  resource: t.Optional(t.Object({ name: t.String(), target: MetricValue })),
  containerResource: t.Optional(t.Object({ name: t.String(), container: t.String(), target: MetricValue })),
  pods: t.Optional(t.Object({ metric: MetricName, target: MetricValue })),
  object: t.Optional(
    t.Object({
      metric: MetricName,
      describedObject: t.Object({ kind: t.String(), name: t.String() }),
      target: MetricValue,
    }),
  ),
  external: t.Optional(t.Object({ metric: MetricName, target: MetricValue })),
});
export type MetricSpec = Static<typeof MetricSpec>;

const Current = t.Optional(t.Object({ current: MetricValue }));
/** One metric of the status, at the same place in its list as the spec's. */
const MetricStatus = t.Object({
  resource: Current,
  containerResource: Current,
  pods: Current,
  object: Current,
  external: Current,
});
export type MetricStatus = Static<typeof MetricStatus>;

const ScalingRules = t.Optional(
  t.Object({
    stabilizationWindowSeconds: t.Optional(t.Integer()),
    selectPolicy: t.Optional(t.String()),
    policies: t.Optional(
      t.Array(t.Object({ type: t.String(), value: t.Integer(), periodSeconds: t.Integer() })),
    ),
  }),
);
export type ScalingRules = Static<typeof ScalingRules>;

/** A HorizontalPodAutoscaler as `kubectl describe hpa` reads it (autoscaling/v2). */
export const DescribedAutoscaler = t.Object({
  metadata: t.Object({ ...DescribedMeta, creationTimestamp: t.String() }),
  spec: t.Object({
    scaleTargetRef: t.Object({ kind: t.String(), name: t.String() }),
    minReplicas: t.Optional(t.Integer()),
    maxReplicas: t.Integer(),
    metrics: t.Optional(t.Array(MetricSpec)),
    behavior: t.Optional(t.Object({ scaleUp: ScalingRules, scaleDown: ScalingRules })),
  }),
  status: t.Optional(
    t.Object({
      currentReplicas: t.Optional(t.Integer()),
      desiredReplicas: t.Optional(t.Integer()),
      currentMetrics: t.Optional(t.Array(MetricStatus)),
      conditions: t.Optional(
        t.Array(
          t.Object({
            type: t.String(),
            status: t.String(),
            reason: t.Optional(t.String()),
            message: t.Optional(t.String()),
          }),
        ),
      ),
    }),
  ),
});
export type DescribedAutoscaler = Static<typeof DescribedAutoscaler>;
export const checkDescribedAutoscaler = TypeCompiler.Compile(DescribedAutoscaler);

/** A label selector with its expressions, as FormatLabelSelector reads one. */

/** One peer of a NetworkPolicy rule: pods, namespaces, both, or an address block. */
const PolicyPeer = t.Object({
  podSelector: t.Optional(FullSelector),
  namespaceSelector: t.Optional(FullSelector),
  ipBlock: t.Optional(t.Object({ cidr: t.String(), except: t.Optional(t.Array(t.String())) })),
});
export type PolicyPeer = Static<typeof PolicyPeer>;
const PolicyPort = t.Object({
  protocol: t.Optional(t.String()),
  port: t.Optional(IntOrString),
  endPort: t.Optional(t.Integer()),
});
export type PolicyPort = Static<typeof PolicyPort>;

/** A NetworkPolicy as `kubectl describe networkpolicy` reads it. */
export const DescribedNetworkPolicy = t.Object({
  metadata: t.Object({ ...DescribedMeta, creationTimestamp: t.String() }),
  spec: t.Object({
    podSelector: FullSelector,
    ingress: t.Optional(
      t.Array(t.Object({ ports: t.Optional(t.Array(PolicyPort)), from: t.Optional(t.Array(PolicyPeer)) })),
    ),
    egress: t.Optional(
      t.Array(t.Object({ ports: t.Optional(t.Array(PolicyPort)), to: t.Optional(t.Array(PolicyPeer)) })),
    ),
    policyTypes: t.Optional(t.Array(t.String())),
  }),
});
export type DescribedNetworkPolicy = Static<typeof DescribedNetworkPolicy>;
export const checkDescribedNetworkPolicy = TypeCompiler.Compile(DescribedNetworkPolicy);

/** A PodDisruptionBudget as `kubectl describe pdb` reads it (policy/v1). */
export const DescribedBudget = t.Object({
  metadata: t.Object(DescribedMeta),
  spec: t.Object({
    minAvailable: t.Optional(IntOrString),
    maxUnavailable: t.Optional(IntOrString),
    selector: t.Optional(FullSelector),
  }),
  status: t.Optional(
    t.Object({
      disruptionsAllowed: t.Optional(t.Integer()),
      currentHealthy: t.Optional(t.Integer()),
      desiredHealthy: t.Optional(t.Integer()),
      expectedPods: t.Optional(t.Integer()),
    }),
  ),
});
export type DescribedBudget = Static<typeof DescribedBudget>;
export const checkDescribedBudget = TypeCompiler.Compile(DescribedBudget);

/**
 * Any object as kubectl's generic describer reads it (decoded by go-value.ts): its kind, which names
 * its events, and the metadata it prints before the rest; namespace absent for a cluster-scoped one.
 */
export const DescribedUnstructured = t.Object({
  kind: t.String({ minLength: 1 }),
  metadata: t.Object({
    name: t.String(),
    namespace: t.Optional(t.String()),
    uid: t.String({ minLength: 1 }),
    labels: t.Optional(t.Record(t.String(), t.String())),
    annotations: t.Optional(t.Record(t.String(), t.String())),
  }),
});
export type DescribedUnstructured = Static<typeof DescribedUnstructured>;
export const checkDescribedUnstructured = TypeCompiler.Compile(DescribedUnstructured);

/** The volume sources kubectl's volume describer prints that native reads do not model. */
export const UNMODELED_VOLUME_SOURCES = [
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "iscsi",
  "glusterfs",
  "rbd",
  "quobyte",
  "vsphereVolume",
  "cinder",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "cephfs",
  "storageos",
  "fc",
  "azureFile",
  "flexVolume",
  "flocker",
];

/** A node selector requirement, as a volume's node affinity holds it. */
const Requirement = t.Object({
  key: t.String(),
  operator: t.String(),
  values: t.Optional(t.Array(t.String())),
});

/**
 * A PersistentVolume as `kubectl describe pv` reads it. The sources it prints are named; every other
 * source the describer knows is Present, so the printer can see one and fall back.
 */
export const DescribedVolume = t.Object({
  metadata: t.Object({
    name: t.String(),
    uid: t.String(),
    labels: t.Optional(t.Record(t.String(), t.String())),
    annotations: t.Optional(t.Record(t.String(), t.String())),
    finalizers: t.Optional(t.Array(t.String())),
    deletionTimestamp: Time,
  }),
  spec: t.Object({
    storageClassName: t.Optional(t.String()),
    claimRef: t.Optional(t.Object({ namespace: t.Optional(t.String()), name: t.Optional(t.String()) })),
    persistentVolumeReclaimPolicy: t.Optional(t.String()),
    accessModes: t.Optional(t.Array(t.String())),
    volumeMode: t.Optional(t.String()),
    capacity: t.Optional(Quantities),
    nodeAffinity: t.Optional(
      t.Object({
        required: t.Optional(
          t.Object({
            nodeSelectorTerms: t.Array(t.Object({ matchExpressions: t.Optional(t.Array(Requirement)) })),
          }),
        ),
      }),
    ),
    hostPath: t.Optional(t.Object({ path: t.String(), type: t.Optional(t.String()) })),
    nfs: t.Optional(t.Object({ server: t.String(), path: t.String(), readOnly: t.Optional(t.Boolean()) })),
    local: t.Optional(t.Object({ path: t.String() })),
    csi: t.Optional(
      t.Object({
        driver: t.String(),
        volumeHandle: t.String(),
        fsType: t.Optional(t.String()),
        readOnly: t.Optional(t.Boolean()),
        volumeAttributes: t.Optional(t.Record(t.String(), t.String())),
      }),
    ),
    ...Object.fromEntries(UNMODELED_VOLUME_SOURCES.map((source) => [source, t.Optional(Present)])),
  }),
  status: t.Optional(t.Object({ phase: t.Optional(t.String()), message: t.Optional(t.String()) })),
});
export type DescribedVolume = Static<typeof DescribedVolume>;
export const checkDescribedVolume = TypeCompiler.Compile(DescribedVolume);

/** What a cluster-scoped object's describer reads of its metadata. */
const ClusterMeta = t.Object({
  name: t.String(),
  uid: t.String(),
  labels: t.Optional(t.Record(t.String(), t.String())),
  annotations: t.Optional(t.Record(t.String(), t.String())),
});

/** A StorageClass as `kubectl describe storageclass` reads it. */
export const DescribedStorageClass = t.Object({
  metadata: ClusterMeta,
  provisioner: t.String(),
  parameters: t.Optional(t.Record(t.String(), t.String())),
  allowVolumeExpansion: t.Optional(t.Boolean()),
  mountOptions: t.Optional(t.Array(t.String())),
  reclaimPolicy: t.Optional(t.String()),
  volumeBindingMode: t.Optional(t.String()),
  allowedTopologies: t.Optional(
    t.Array(
      t.Object({
        matchLabelExpressions: t.Optional(
          t.Array(t.Object({ key: t.String(), values: t.Array(t.String()) })),
        ),
      }),
    ),
  ),
});
export type DescribedStorageClass = Static<typeof DescribedStorageClass>;
export const checkDescribedStorageClass = TypeCompiler.Compile(DescribedStorageClass);

/**
 * A PriorityClass as `kubectl describe priorityclass` reads it. The API server always sets the
 * preemption policy; kubectl dereferences it, so one without it is not described here.
 */
export const DescribedPriorityClass = t.Object({
  metadata: ClusterMeta,
  value: t.Integer(),
  globalDefault: t.Optional(t.Boolean()),
  preemptionPolicy: t.String(),
  description: t.Optional(t.String()),
});
export type DescribedPriorityClass = Static<typeof DescribedPriorityClass>;
export const checkDescribedPriorityClass = TypeCompiler.Compile(DescribedPriorityClass);

/** An IngressClass (networking.k8s.io/v1) as `kubectl describe ingressclass` reads it. */
export const DescribedIngressClass = t.Object({
  metadata: ClusterMeta,
  spec: t.Optional(
    t.Object({
      controller: t.Optional(t.String()),
      parameters: t.Optional(
        t.Object({ apiGroup: t.Optional(t.String()), kind: t.String(), name: t.String() }),
      ),
    }),
  ),
});
export type DescribedIngressClass = Static<typeof DescribedIngressClass>;
export const checkDescribedIngressClass = TypeCompiler.Compile(DescribedIngressClass);

/** A Secret as `kubectl describe secret` reads it: its data as base64, as the API (and the gate) gives it. */
export const DescribedSecret = t.Object({
  metadata: t.Object(DescribedMeta),
  type: t.Optional(t.String()),
  data: t.Optional(t.Record(t.String(), t.String())),
});
export type DescribedSecret = Static<typeof DescribedSecret>;
export const checkDescribedSecret = TypeCompiler.Compile(DescribedSecret);

/** A ConfigMap as `kubectl describe configmap` reads it: its data by key, binary data as base64. */
export const DescribedConfigMap = t.Object({
  metadata: t.Object(DescribedMeta),
  data: t.Optional(t.Record(t.String(), t.String())),
  binaryData: t.Optional(t.Record(t.String(), t.String())),
});
export type DescribedConfigMap = Static<typeof DescribedConfigMap>;
export const checkDescribedConfigMap = TypeCompiler.Compile(DescribedConfigMap);

/** An RBAC rule: verbs over API groups and resources (or names of them), or over non-resource URLs. */
const PolicyRule = t.Object({
  verbs: t.Optional(t.Union([t.Array(t.String()), t.Null()])),
  apiGroups: t.Optional(t.Array(t.String())),
  resources: t.Optional(t.Array(t.String())),
  resourceNames: t.Optional(t.Array(t.String())),
  nonResourceURLs: t.Optional(t.Array(t.String())),
});
export type PolicyRule = Static<typeof PolicyRule>;

/** Who an object is, as the RBAC describers print it: name, labels and annotations, no namespace. */
const RbacMeta = t.Object({
  name: t.String(),
  labels: t.Optional(t.Record(t.String(), t.String())),
  annotations: t.Optional(t.Record(t.String(), t.String())),
});

/**
 * A Role or ClusterRole as `kubectl describe role|clusterrole` reads it (an aggregation rule is not
 * printed). Rules, and a rule's verbs, are written as null when empty: they have no omitempty.
 */
export const DescribedRole = t.Object({
  metadata: RbacMeta,
  rules: t.Optional(t.Union([t.Array(PolicyRule), t.Null()])),
});
export type DescribedRole = Static<typeof DescribedRole>;
export const checkDescribedRole = TypeCompiler.Compile(DescribedRole);

/** A RoleBinding or ClusterRoleBinding as `kubectl describe rolebinding|clusterrolebinding` reads it. */
export const DescribedBinding = t.Object({
  metadata: RbacMeta,
  roleRef: t.Object({ kind: t.String(), name: t.String() }),
  subjects: t.Optional(
    t.Array(t.Object({ kind: t.String(), name: t.String(), namespace: t.Optional(t.String()) })),
  ),
});
export type DescribedBinding = Static<typeof DescribedBinding>;
export const checkDescribedBinding = TypeCompiler.Compile(DescribedBinding);

const NamedRef = t.Object({ name: t.Optional(t.String()) });

/** A ServiceAccount as `kubectl describe serviceaccount` reads it: the secrets it mounts and pulls with. */
export const DescribedServiceAccount = t.Object({
  metadata: t.Object(DescribedMeta),
  secrets: t.Optional(t.Array(NamedRef)),
  imagePullSecrets: t.Optional(t.Array(NamedRef)),
});
export type DescribedServiceAccount = Static<typeof DescribedServiceAccount>;
export const checkDescribedServiceAccount = TypeCompiler.Compile(DescribedServiceAccount);

/**
 * A Secret as the service account describer lists them: its name, type and annotations; its data
 * only to see whether kubectl's typed client could decode it (the gate redacts it, and a redacted
 * value is not base64).
 */
const ListedSecret = t.Object({
  metadata: t.Object({ name: t.String(), annotations: t.Optional(t.Record(t.String(), t.String())) }),
  type: t.Optional(t.String()),
  data: t.Optional(t.Record(t.String(), t.String())),
});
export type ListedSecret = Static<typeof ListedSecret>;
export const checkSecretList = TypeCompiler.Compile(Paged(ListedSecret));

const EndpointAddress = t.Object({ ip: t.String() });

/** An Endpoints object as `kubectl describe endpoints` reads it: each subset's addresses and ports. */
export const DescribedEndpoints = t.Object({
  metadata: t.Object(DescribedMeta),
  subsets: t.Optional(
    t.Array(
      t.Object({
        addresses: t.Optional(t.Array(EndpointAddress)),
        notReadyAddresses: t.Optional(t.Array(EndpointAddress)),
        ports: t.Optional(
          t.Array(
            t.Object({ name: t.Optional(t.String()), port: t.Integer(), protocol: t.Optional(t.String()) }),
          ),
        ),
      }),
    ),
  ),
});
export type DescribedEndpoints = Static<typeof DescribedEndpoints>;
export const checkDescribedEndpoints = TypeCompiler.Compile(DescribedEndpoints);

/** An EndpointSlice as `kubectl describe endpointslice` reads it (discovery.k8s.io/v1). */
export const DescribedEndpointSlice = t.Object({
  metadata: t.Object(DescribedMeta),
  addressType: t.String(),
  ports: t.Optional(
    t.Array(t.Object({ name: t.Optional(t.String()), port: t.Optional(t.Integer()), protocol: t.String() })),
  ),
  endpoints: t.Optional(
    t.Array(
      t.Object({
        addresses: t.Array(t.String()),
        conditions: t.Optional(t.Object({ ready: t.Optional(t.Boolean()) })),
        hostname: t.Optional(t.String()),
        targetRef: t.Optional(t.Object({ kind: t.Optional(t.String()), name: t.Optional(t.String()) })),
        nodeName: t.Optional(t.String()),
        zone: t.Optional(t.String()),
      }),
    ),
  ),
});
export type DescribedEndpointSlice = Static<typeof DescribedEndpointSlice>;
export const checkDescribedEndpointSlice = TypeCompiler.Compile(DescribedEndpointSlice);
