/**
 * Owns the shapes of what native reads take from the API server, as typebox schemas checked with
 * one compiled checker each: a response that does not match is not printed natively, the command
 * falls back to kubectl. Only the fields native reads use are described; the rest pass unchecked.
 */
import { type Static, type TSchema, Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";

const Metadata = t.Object({
  name: t.String(),
  namespace: t.Optional(t.String()),
  labels: t.Optional(t.Record(t.String(), t.String())),
});

export const Table = t.Object({
  kind: t.Literal("Table"),
  columnDefinitions: t.Array(t.Object({ name: t.String(), priority: t.Optional(t.Integer()) })),
  rows: t.Array(
    t.Object({
      cells: t.Array(t.Unknown()),
      object: t.Optional(t.Object({ metadata: t.Optional(Metadata) })),
    }),
  ),
});
export type Table = Static<typeof Table>;

/** Where a load balancer lets traffic in, as a Service's or an Ingress's status says. */
export const LoadBalancerStatus = t.Object({
  loadBalancer: t.Optional(
    t.Object({
      ingress: t.Optional(
        t.Array(t.Object({ ip: t.Optional(t.String()), hostname: t.Optional(t.String()) })),
      ),
    }),
  ),
});

/** One event of a watch: its type and the object (a Table of one row, when Tables were asked for). */
export const WatchEvent = t.Object({ type: t.String(), object: t.Unknown() });

export const ObjectList = t.Object({ items: t.Array(t.Object({ metadata: Metadata })) });
export const NamedObject = t.Object({ metadata: Metadata });
export type NamedObject = Static<typeof NamedObject>;

export const Status = t.Object({
  kind: t.Literal("Status"),
  reason: t.Optional(t.String()),
  message: t.Optional(t.String()),
  code: t.Optional(t.Integer()),
});
export type Status = Static<typeof Status>;

const DiscoveredResource = t.Object({
  resource: t.String(),
  responseKind: t.Optional(t.Object({ kind: t.String() })),
  scope: t.Union([t.Literal("Namespaced"), t.Literal("Cluster")]),
  singularResource: t.Optional(t.String()),
  shortNames: t.Optional(t.Array(t.String())),
  verbs: t.Optional(t.Array(t.String())),
  categories: t.Optional(t.Array(t.String())),
});

export const GroupDiscoveryList = t.Object({
  kind: t.Literal("APIGroupDiscoveryList"),
  items: t.Array(
    t.Object({
      metadata: t.Object({ name: t.Optional(t.String()) }),
      versions: t.Array(t.Object({ version: t.String(), resources: t.Array(DiscoveredResource) })),
    }),
  ),
});
export type GroupDiscoveryList = Static<typeof GroupDiscoveryList>;

const Containers = t.Array(t.Object({ name: t.String() }));
const ContainerStatuses = t.Optional(
  t.Array(t.Object({ name: t.String(), restartCount: t.Optional(t.Integer()) })),
);
export const Pod = t.Object({
  metadata: t.Object({
    name: t.String(),
    annotations: t.Optional(t.Record(t.String(), t.String())),
    creationTimestamp: t.Optional(t.Union([t.String(), t.Null()])),
  }),
  spec: t.Object({
    nodeName: t.Optional(t.String()),
    containers: t.Array(t.Object({ name: t.String() }), { minItems: 1 }),
    initContainers: t.Optional(
      t.Array(t.Object({ name: t.String(), restartPolicy: t.Optional(t.String()) })),
    ),
    ephemeralContainers: t.Optional(Containers),
  }),
  status: t.Optional(
    t.Object({
      phase: t.Optional(t.String()),
      conditions: t.Optional(
        t.Array(
          t.Object({
            type: t.String(),
            status: t.String(),
            lastTransitionTime: t.Optional(t.Union([t.String(), t.Null()])),
          }),
        ),
      ),
      containerStatuses: ContainerStatuses,
      initContainerStatuses: ContainerStatuses,
    }),
  ),
});
export type Pod = Static<typeof Pod>;
export const PodList = t.Object({ items: t.Array(Pod) });

/** What kubectl reads a workload's pod selector from (a Service's is a plain map). */
export const Workload = t.Object({
  spec: t.Object({
    selector: t.Optional(
      t.Union([
        t.Record(t.String(), t.String()),
        t.Object({
          matchLabels: t.Optional(t.Record(t.String(), t.String())),
          matchExpressions: t.Optional(t.Array(t.Unknown())),
        }),
      ]),
    ),
  }),
});

const Timestamp = t.Optional(t.Union([t.String(), t.Null()]));
export const KubeEvent = t.Object({
  metadata: t.Object({ namespace: t.Optional(t.String()) }),
  type: t.Optional(t.String()),
  reason: t.Optional(t.String()),
  message: t.Optional(t.String()),
  involvedObject: t.Object({ kind: t.Optional(t.String()), name: t.Optional(t.String()) }),
  count: t.Optional(t.Integer()),
  firstTimestamp: Timestamp,
  lastTimestamp: Timestamp,
  eventTime: Timestamp,
  series: t.Optional(t.Object({ count: t.Optional(t.Integer()), lastObservedTime: Timestamp })),
  source: t.Optional(t.Object({ component: t.Optional(t.String()) })),
  reportingComponent: t.Optional(t.String()),
});
export type KubeEvent = Static<typeof KubeEvent>;
export const EventList = t.Object({
  items: t.Array(KubeEvent),
  metadata: t.Optional(t.Object({ continue: t.Optional(t.String()) })),
});

/** CPU and memory as quantities (metrics.k8s.io usage, a node's allocatable or capacity). */
const Resources = t.Record(t.String(), t.String());
const Usage = t.Object({ cpu: t.Optional(t.String()), memory: t.Optional(t.String()) });
export const PodMetrics = t.Object({
  metadata: t.Object({ name: t.String(), namespace: t.String() }),
  containers: t.Array(t.Object({ name: t.String(), usage: Usage })),
});
export type PodMetrics = Static<typeof PodMetrics>;
export const NodeMetrics = t.Object({ metadata: t.Object({ name: t.String() }), usage: Usage });
export type NodeMetrics = Static<typeof NodeMetrics>;
export const Node = t.Object({
  metadata: t.Object({ name: t.String() }),
  status: t.Optional(t.Object({ allocatable: t.Optional(Resources), capacity: t.Optional(Resources) })),
});
export type Node = Static<typeof Node>;
export const APIGroupList = t.Object({
  kind: t.Literal("APIGroupList"),
  groups: t.Array(t.Object({ name: t.String(), versions: t.Array(t.Object({ version: t.String() })) })),
});

/** A SelfSubjectRulesReview's status: the rules `auth can-i --list` prints. */
const Names = t.Array(t.String());
/** Go writes a nil slice as null: a review with no rules of a kind has null there. */
const orNull = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()]);
export const RulesStatus = t.Object({
  resourceRules: orNull(
    t.Array(
      t.Object({
        verbs: Names,
        apiGroups: t.Optional(Names),
        resources: t.Optional(Names),
        resourceNames: t.Optional(Names),
      }),
    ),
  ),
  nonResourceRules: orNull(t.Array(t.Object({ verbs: Names, nonResourceURLs: t.Optional(Names) }))),
  incomplete: t.Boolean(),
  evaluationError: t.Optional(t.String()),
});
export const checkTable = TypeCompiler.Compile(Table);
export const checkWatchEvent = TypeCompiler.Compile(WatchEvent);
export const checkEventList = TypeCompiler.Compile(EventList);
export const checkEvent = TypeCompiler.Compile(KubeEvent);
export const checkPod = TypeCompiler.Compile(Pod);
export const checkPodList = TypeCompiler.Compile(PodList);
export const checkWorkload = TypeCompiler.Compile(Workload);
export const checkObjectList = TypeCompiler.Compile(ObjectList);
export const checkNamedObject = TypeCompiler.Compile(NamedObject);
export const checkStatus = TypeCompiler.Compile(Status);
export const checkRulesStatus = TypeCompiler.Compile(RulesStatus);
export const checkDiscovery = TypeCompiler.Compile(GroupDiscoveryList);
export const checkPodMetrics = TypeCompiler.Compile(PodMetrics);
export const checkPodMetricsList = TypeCompiler.Compile(t.Object({ items: t.Array(PodMetrics) }));
export const checkNodeMetrics = TypeCompiler.Compile(NodeMetrics);
export const checkNodeMetricsList = TypeCompiler.Compile(t.Object({ items: t.Array(NodeMetrics) }));
export const checkNode = TypeCompiler.Compile(Node);
export const checkNodeList = TypeCompiler.Compile(t.Object({ items: t.Array(Node) }));
export const checkGroupList = TypeCompiler.Compile(APIGroupList);

/** A Deployment as `kubectl rollout status` weighs it: its generations, replica counts and conditions. */
export const RolloutDeployment = t.Object({
  metadata: t.Object({ name: t.String(), generation: t.Optional(t.Integer()) }),
  spec: t.Object({ replicas: t.Optional(t.Integer()) }),
  status: t.Optional(
    t.Object({
      observedGeneration: t.Optional(t.Integer()),
      replicas: t.Optional(t.Integer()),
      updatedReplicas: t.Optional(t.Integer()),
      availableReplicas: t.Optional(t.Integer()),
      conditions: t.Optional(t.Array(t.Object({ type: t.String(), reason: t.Optional(t.String()) }))),
    }),
  ),
});
export type RolloutDeployment = Static<typeof RolloutDeployment>;
export const checkRolloutDeployment = TypeCompiler.Compile(RolloutDeployment);

/**
 * A workload as `kubectl rollout history` finds its history: its uid and selector (a Deployment's
 * ReplicaSets, a StatefulSet's or DaemonSet's ControllerRevisions).
 */
export const HistoryWorkload = t.Object({
  metadata: t.Object({ name: t.String(), namespace: t.String(), uid: t.String() }),
  spec: t.Object({
    selector: t.Object({
      matchLabels: t.Optional(t.Record(t.String(), t.String())),
      matchExpressions: t.Optional(t.Array(t.Unknown())),
    }),
  }),
});
export const checkHistoryWorkload = TypeCompiler.Compile(HistoryWorkload);

/** A ReplicaSet as the history viewer reads it: who controls it, its revision and change cause. */
const HistoryReplicaSet = t.Object({
  metadata: t.Object({
    annotations: t.Optional(t.Record(t.String(), t.String())),
    ownerReferences: t.Optional(t.Array(t.Object({ uid: t.String(), controller: t.Optional(t.Boolean()) }))),
  }),
});
export type HistoryReplicaSet = Static<typeof HistoryReplicaSet>;
export const checkHistoryReplicaSetList = TypeCompiler.Compile(
  t.Object({ items: t.Array(HistoryReplicaSet) }),
);

/** A ControllerRevision as the history viewer reads it: who controls it, its revision and change cause. */
const HistoryRevision = t.Object({
  metadata: HistoryReplicaSet.properties.metadata,
  revision: t.Integer(),
});
export type HistoryRevision = Static<typeof HistoryRevision>;
export const checkHistoryRevisionList = TypeCompiler.Compile(t.Object({ items: t.Array(HistoryRevision) }));

/** A StatefulSet as `kubectl rollout status` weighs it. */
export const RolloutStatefulSet = t.Object({
  metadata: t.Object({ name: t.String(), generation: t.Optional(t.Integer()) }),
  spec: t.Object({
    replicas: t.Optional(t.Integer()),
    updateStrategy: t.Optional(
      t.Object({
        type: t.Optional(t.String()),
        rollingUpdate: t.Optional(t.Object({ partition: t.Optional(t.Integer()) })),
      }),
    ),
  }),
  status: t.Optional(
    t.Object({
      observedGeneration: t.Optional(t.Integer()),
      readyReplicas: t.Optional(t.Integer()),
      updatedReplicas: t.Optional(t.Integer()),
      currentReplicas: t.Optional(t.Integer()),
      currentRevision: t.Optional(t.String()),
      updateRevision: t.Optional(t.String()),
    }),
  ),
});
export type RolloutStatefulSet = Static<typeof RolloutStatefulSet>;
export const checkRolloutStatefulSet = TypeCompiler.Compile(RolloutStatefulSet);

/** A DaemonSet as `kubectl rollout status` weighs it. */
export const RolloutDaemonSet = t.Object({
  metadata: t.Object({ name: t.String(), generation: t.Optional(t.Integer()) }),
  spec: t.Object({ updateStrategy: t.Optional(t.Object({ type: t.Optional(t.String()) })) }),
  status: t.Optional(
    t.Object({
      observedGeneration: t.Optional(t.Integer()),
      desiredNumberScheduled: t.Optional(t.Integer()),
      updatedNumberScheduled: t.Optional(t.Integer()),
      numberAvailable: t.Optional(t.Integer()),
    }),
  ),
});
export type RolloutDaemonSet = Static<typeof RolloutDaemonSet>;
export const checkRolloutDaemonSet = TypeCompiler.Compile(RolloutDaemonSet);
