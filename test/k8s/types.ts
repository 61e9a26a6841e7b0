// Shapes shared by the Kubernetes API stand-in: scenario data, the Kubernetes
// object subsets the stand-in reads, and the request record tests inspect.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  deletionTimestamp?: string;
  /** Set by the stand-in as the API server's field manager sets it (managed-fields.ts). */
  managedFields?: Record<string, unknown>[];
}

/** Any Kubernetes object as served; fields beyond metadata are read through the typed views below. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ContainerState {
  running?: { startedAt: string };
  waiting?: { reason: string; message?: string };
  terminated?: {
    exitCode: number;
    reason?: string;
    signal?: number;
    startedAt: string;
    finishedAt: string;
    containerID?: string;
  };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
}

export interface Container {
  name: string;
  image: string;
  [field: string]: unknown;
}

export interface PodView extends KubeObject {
  spec: {
    nodeName?: string;
    containers: Container[];
    initContainers?: Container[];
    readinessGates?: { conditionType: string }[];
    [field: string]: unknown;
  };
  status: {
    phase: string;
    reason?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    nominatedNodeName?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: ContainerStatus[];
    [field: string]: unknown;
  };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface PodTemplate {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: Container[]; [field: string]: unknown };
}

export interface WorkloadView extends KubeObject {
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplate; [field: string]: unknown };
  status: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    [field: string]: unknown;
  };
}

export interface NodeView extends KubeObject {
  spec: { unschedulable?: boolean; [field: string]: unknown };
  status: {
    conditions?: { type: string; status: string }[];
    addresses?: { type: string; address: string }[];
    nodeInfo: {
      kubeletVersion: string;
      osImage: string;
      kernelVersion: string;
      containerRuntimeVersion: string;
      [field: string]: unknown;
    };
    [field: string]: unknown;
  };
}

export interface EventView extends KubeObject {
  involvedObject: {
    kind: string;
    namespace?: string;
    name: string;
    uid?: string;
    apiVersion?: string;
    resourceVersion?: string;
    fieldPath?: string;
  };
  reason: string;
  message: string;
  type: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

export interface ServiceView extends KubeObject {
  spec: {
    type?: string;
    clusterIP?: string;
    externalIPs?: string[];
    selector?: Record<string, string>;
    ports?: { port: number; protocol?: string; nodePort?: number; targetPort?: number | string }[];
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** One line a container wrote, with the time the runtime stamped on it. */
export interface LogLine {
  time: string;
  text: string;
}

/** Logs of one container: the current instance and, if it restarted, the previous one. */
export interface ContainerLogs {
  namespace: string;
  pod: string;
  container: string;
  current: LogLine[];
  previous?: LogLine[];
}

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** Everything one stand-in cluster serves, as plain data. */
export interface Scenario {
  serverVersion: VersionInfo;
  objects: KubeObject[];
  logs: ContainerLogs[];
}

/** One HTTP request the stand-in received, in arrival order. */
export interface RecordedRequest {
  method: string;
  /** Path plus query string, e.g. `/api/v1/namespaces/shop/pods?limit=500`. */
  path: string;
  pathname: string;
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
}
