// Builders that turn short descriptions into full, realistic Kubernetes objects
// (uids, resourceVersions, timestamps, pod specs and statuses, events) for scenarios.

import { createHash } from "node:crypto";
import type { ContainerLogs, ContainerStatus, KubeObject, LogLine, ObjectMeta } from "./types";

export interface ContainerSpec {
  name: string;
  image: string;
  port?: number;
  env?: Record<string, unknown>[];
  args?: string[];
  probePath?: string;
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  replicas: number;
  labels: Record<string, string>;
  containers: ContainerSpec[];
  createdAgo: number;
  serviceAccountName?: string;
  priorityClassName?: string;
  /** Defaults to RollingUpdate 25%/25%. */
  strategy?: "Recreate";
}

export interface ReplicaSetSpec {
  hash: string;
  revision: number;
  createdAgo: number;
  replicas: number;
  /** Images of this revision, by container name, when they differ from the deployment's. */
  images?: Record<string, string>;
}

export interface PodSpec {
  suffix: string;
  node: string;
  ip: string;
  createdAgo: number;
  /** Healthy and ready, or crash-looping with the given restart history. */
  state:
    | { kind: "running" }
    | { kind: "crashloop"; restarts: number; lastExitCode: number; lastFinishedAgo: number };
}

export interface EventSpec {
  namespace: string;
  involved: KubeObject;
  fieldPath?: string;
  reason: string;
  message: string;
  type?: "Normal" | "Warning";
  component: string;
  host?: string;
  count?: number;
  firstAgo: number;
  lastAgo?: number;
  /** Newer components (scheduler) write events.k8s.io events: only eventTime is set. */
  eventTimeOnly?: boolean;
}

/** Deterministic, realistic-looking scenario objects relative to one fixed "now". */
export class FixtureBuilder {
  readonly objects: KubeObject[] = [];
  readonly logs: ContainerLogs[] = [];
  private resourceVersion = 48213;

  constructor(readonly now: Date) {}

  /** RFC 3339 timestamp (second precision, like the API server) `seconds` before now. */
  ago(seconds: number): string {
    return new Date(this.now.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** RFC 3339 with nanoseconds, as container runtimes stamp log lines. */
  agoNano(seconds: number, seq = 0): string {
    const ms = this.now.getTime() - seconds * 1000;
    const iso = new Date(ms).toISOString();
    const nanos = String((Math.abs(Math.round(seconds * 7919)) % 900_000) + (seq % 90) * 1_031).padStart(
      6,
      "0",
    );
    return iso.replace(/Z$/, `${nanos}Z`);
  }

  uid(key: string): string {
    const h = hex(key, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  nextResourceVersion(): string {
    this.resourceVersion += 17;
    return String(this.resourceVersion);
  }

  meta(kind: string, name: string, namespace: string | undefined, createdAgo: number): ObjectMeta {
    const meta: ObjectMeta = {
      name,
      uid: this.uid(`${kind}/${namespace ?? ""}/${name}`),
      resourceVersion: this.nextResourceVersion(),
      creationTimestamp: this.ago(createdAgo),
    };
    if (namespace !== undefined) meta.namespace = namespace;
    return meta;
  }

  add<T extends KubeObject>(obj: T): T {
    this.objects.push(obj);
    return obj;
  }

  namespace(name: string, createdAgo: number): KubeObject {
    const metadata = this.meta("Namespace", name, undefined, createdAgo);
    metadata.labels = { "kubernetes.io/metadata.name": name };
    return this.add({
      apiVersion: "v1",
      kind: "Namespace",
      metadata,
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
  }

  node(name: string, opts: { ip: string; zone: string; createdAgo: number; podCIDR: string }): KubeObject {
    const metadata = this.meta("Node", name, undefined, opts.createdAgo);
    metadata.labels = {
      "beta.kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/instance-type": "m5.large",
      "beta.kubernetes.io/os": "linux",
      "eks.amazonaws.com/nodegroup": "general",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/hostname": name,
      "kubernetes.io/os": "linux",
      "node.kubernetes.io/instance-type": "m5.large",
      "topology.kubernetes.io/region": "eu-west-1",
      "topology.kubernetes.io/zone": opts.zone,
    };
    metadata.annotations = {
      "alpha.kubernetes.io/provided-node-ip": opts.ip,
      "node.alpha.kubernetes.io/ttl": "0",
      "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    };
    const heartbeat = this.ago(23);
    const since = this.ago(opts.createdAgo - 40);
    const condition = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      lastHeartbeatTime: heartbeat,
      lastTransitionTime: since,
      reason,
      message,
    });
    return this.add({
      apiVersion: "v1",
      kind: "Node",
      metadata,
      spec: {
        podCIDR: opts.podCIDR,
        podCIDRs: [opts.podCIDR],
        providerID: `aws:///${opts.zone}/i-0${hex(name, 16)}`,
      },
      status: {
        capacity: {
          cpu: "2",
          "ephemeral-storage": "83873772Ki",
          "hugepages-1Gi": "0",
          "hugepages-2Mi": "0",
          memory: "7936952Ki",
          pods: "29",
        },
        allocatable: {
          cpu: "1930m",
          "ephemeral-storage": "76224326324",
          "hugepages-1Gi": "0",
          "hugepages-2Mi": "0",
          memory: "7246776Ki",
          pods: "29",
        },
        conditions: [
          condition(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
          ),
          condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
          condition(
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
          ),
          condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        addresses: [
          { type: "InternalIP", address: opts.ip },
          { type: "InternalDNS", address: name },
          { type: "Hostname", address: name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: hex(`${name}/machine`, 32),
          systemUUID: `ec2${hex(`${name}/system`, 5)}-${hex(name, 4)}-${hex(name, 4)}-${hex(name, 4)}-${hex(name, 12)}`,
          bootID: this.uid(`${name}/boot`),
          kernelVersion: "6.1.132-147.221.amzn2023.x86_64",
          osImage: "Amazon Linux 2023.7.20250512",
          containerRuntimeVersion: "containerd://1.7.27",
          kubeletVersion: "v1.32.3-eks-473151a",
          kubeProxyVersion: "v1.32.3-eks-473151a",
          operatingSystem: "linux",
          architecture: "amd64",
        },
      },
    });
  }

  /** The kubelet's heartbeat Lease for a node, in kube-node-lease. */
  nodeLease(node: KubeObject): KubeObject {
    const metadata = this.meta("Lease", node.metadata.name, "kube-node-lease", 0);
    metadata.creationTimestamp = node.metadata.creationTimestamp;
    metadata.ownerReferences = [
      { apiVersion: "v1", kind: "Node", name: node.metadata.name, uid: node.metadata.uid },
    ];
    return this.add({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata,
      spec: {
        holderIdentity: node.metadata.name,
        leaseDurationSeconds: 40,
        renewTime: this.agoNano(4).replace(/(\.\d{6})\d*Z$/, "$1Z"),
      },
    });
  }

  podTemplate(spec: WorkloadSpec, images?: Record<string, string>) {
    return {
      metadata: { creationTimestamp: null, labels: { ...spec.labels } },
      spec: {
        containers: spec.containers.map((c) => containerSpec(c, images?.[c.name] ?? c.image)),
        dnsPolicy: "ClusterFirst",
        restartPolicy: "Always",
        schedulerName: "default-scheduler",
        securityContext: {},
        ...(spec.serviceAccountName
          ? { serviceAccount: spec.serviceAccountName, serviceAccountName: spec.serviceAccountName }
          : {}),
        ...(spec.priorityClassName ? { priorityClassName: spec.priorityClassName } : {}),
        terminationGracePeriodSeconds: 30,
      },
    };
  }

  /** A Deployment with its ReplicaSets (the last one is current) and the current ReplicaSet's pods. */
  deployment(spec: WorkloadSpec, replicaSets: ReplicaSetSpec[], pods: PodSpec[]): KubeObject {
    const current = replicaSets[replicaSets.length - 1];
    if (!current) throw new Error(`deployment ${spec.name} needs a replica set`);
    const ready = pods.filter((p) => p.state.kind === "running").length;
    const metadata = this.meta("Deployment", spec.name, spec.namespace, spec.createdAgo);
    metadata.generation = current.revision;
    metadata.labels = { ...spec.labels };
    metadata.annotations = { "deployment.kubernetes.io/revision": String(current.revision) };
    const available = ready >= spec.replicas;
    const deployment = this.add({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      spec: {
        progressDeadlineSeconds: 600,
        replicas: spec.replicas,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { ...spec.labels } },
        strategy:
          spec.strategy === "Recreate"
            ? { type: "Recreate" }
            : { rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" }, type: "RollingUpdate" },
        template: this.podTemplate(spec),
      },
      status: {
        observedGeneration: current.revision,
        replicas: spec.replicas,
        updatedReplicas: spec.replicas,
        ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
        ...(ready < spec.replicas ? { unavailableReplicas: spec.replicas - ready } : {}),
        conditions: [
          available || current.createdAgo < 600
            ? {
                type: "Progressing",
                status: "True",
                lastUpdateTime: this.ago(current.createdAgo - 20),
                lastTransitionTime: this.ago(spec.createdAgo),
                reason: "NewReplicaSetAvailable",
                message: `ReplicaSet "${spec.name}-${current.hash}" has successfully progressed.`,
              }
            : {
                type: "Progressing",
                status: "False",
                lastUpdateTime: this.ago(current.createdAgo - 600),
                lastTransitionTime: this.ago(current.createdAgo - 600),
                reason: "ProgressDeadlineExceeded",
                message: `ReplicaSet "${spec.name}-${current.hash}" has timed out progressing.`,
              },
          available
            ? {
                type: "Available",
                status: "True",
                lastUpdateTime: this.ago(spec.createdAgo - 30),
                lastTransitionTime: this.ago(spec.createdAgo - 30),
                reason: "MinimumReplicasAvailable",
                message: "Deployment has minimum availability.",
              }
            : {
                type: "Available",
                status: "False",
                lastUpdateTime: this.ago(Math.min(...pods.map((p) => p.createdAgo)) - 15),
                lastTransitionTime: this.ago(Math.min(...pods.map((p) => p.createdAgo)) - 15),
                reason: "MinimumReplicasUnavailable",
                message: "Deployment does not have minimum availability.",
              },
        ],
      },
    });
    for (const rs of replicaSets) {
      const isCurrent = rs === current;
      const replicaSet = this.replicaSet(spec, deployment, rs, isCurrent ? ready : rs.replicas);
      if (!isCurrent) continue;
      for (const p of pods) this.pod(spec, replicaSet, rs.hash, p);
    }
    return deployment;
  }

  private replicaSet(spec: WorkloadSpec, owner: KubeObject, rs: ReplicaSetSpec, ready: number): KubeObject {
    const name = `${spec.name}-${rs.hash}`;
    const labels = { ...spec.labels, "pod-template-hash": rs.hash };
    const metadata = this.meta("ReplicaSet", name, spec.namespace, rs.createdAgo);
    metadata.generation = rs.replicas === 0 ? 2 : 1;
    metadata.labels = labels;
    metadata.annotations = {
      "deployment.kubernetes.io/desired-replicas": String(spec.replicas),
      "deployment.kubernetes.io/max-replicas": String(spec.replicas + Math.ceil(spec.replicas / 4)),
      "deployment.kubernetes.io/revision": String(rs.revision),
    };
    metadata.ownerReferences = [controllerRef(owner)];
    const template = this.podTemplate(spec, rs.images);
    template.metadata.labels = labels;
    return this.add({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata,
      spec: {
        replicas: rs.replicas,
        selector: { matchLabels: labels },
        template,
      },
      status: {
        replicas: rs.replicas,
        fullyLabeledReplicas: rs.replicas,
        observedGeneration: metadata.generation,
        ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
      },
    });
  }

  private pod(spec: WorkloadSpec, owner: KubeObject, hash: string, p: PodSpec): KubeObject {
    const name = `${owner.metadata.name}-${p.suffix}`;
    const metadata = this.meta("Pod", name, spec.namespace, p.createdAgo);
    metadata.generateName = `${owner.metadata.name}-`;
    metadata.labels = { ...spec.labels, "pod-template-hash": hash };
    metadata.ownerReferences = [controllerRef(owner)];
    const template = this.podTemplate(spec);
    const apiAccess = `kube-api-access-${p.suffix.split("").reverse().join("")}`;
    const running = p.state.kind === "running";
    const started = this.ago(p.createdAgo - 3);
    const readySince = running ? this.ago(p.createdAgo - 12) : this.ago(p.createdAgo - 2);
    const statuses: ContainerStatus[] = template.spec.containers.map((c) => {
      const imageID = `${c.image.replace(/:[^:/]+$/, "")}@sha256:${hex(c.image, 64)}`;
      const containerID = `containerd://${hex(`${name}/${c.name}/${p.createdAgo}`, 64)}`;
      if (p.state.kind === "running") {
        return {
          name: c.name,
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: started } },
          lastState: {},
          image: c.image,
          imageID,
          containerID,
        };
      }
      const finished = p.state.lastFinishedAgo;
      return {
        name: c.name,
        ready: false,
        restartCount: p.state.restarts,
        started: false,
        state: {
          waiting: {
            reason: "CrashLoopBackOff",
            message: `back-off 5m0s restarting failed container=${c.name} pod=${name}_${spec.namespace}(${metadata.uid})`,
          },
        },
        lastState: {
          terminated: {
            exitCode: p.state.lastExitCode,
            reason: "Error",
            startedAt: this.ago(finished + 2),
            finishedAt: this.ago(finished),
            containerID,
          },
        },
        image: c.image,
        imageID,
        containerID,
      };
    });
    const condition = (type: string, status: boolean, at: string, reason?: string) => ({
      type,
      status: status ? "True" : "False",
      lastProbeTime: null,
      lastTransitionTime: at,
      ...(reason ? { reason } : {}),
    });
    const notReady = `containers with unready status: [${template.spec.containers.map((c) => c.name).join(" ")}]`;
    return this.add({
      apiVersion: "v1",
      kind: "Pod",
      metadata,
      spec: {
        ...template.spec,
        containers: template.spec.containers.map((c) => ({
          ...c,
          volumeMounts: [
            { mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", name: apiAccess, readOnly: true },
          ],
        })),
        enableServiceLinks: true,
        nodeName: p.node,
        preemptionPolicy: "PreemptLowerPriority",
        priority: spec.priorityClassName === "system-cluster-critical" ? 2000000000 : 0,
        serviceAccount: spec.serviceAccountName ?? "default",
        serviceAccountName: spec.serviceAccountName ?? "default",
        tolerations: [
          {
            effect: "NoExecute",
            key: "node.kubernetes.io/not-ready",
            operator: "Exists",
            tolerationSeconds: 300,
          },
          {
            effect: "NoExecute",
            key: "node.kubernetes.io/unreachable",
            operator: "Exists",
            tolerationSeconds: 300,
          },
        ],
        volumes: [
          {
            name: apiAccess,
            projected: {
              defaultMode: 420,
              sources: [
                { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
                { configMap: { items: [{ key: "ca.crt", path: "ca.crt" }], name: "kube-root-ca.crt" } },
                {
                  downwardAPI: {
                    items: [
                      { fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" }, path: "namespace" },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
      status: {
        conditions: [
          condition("PodReadyToStartContainers", true, this.ago(p.createdAgo - 2)),
          condition("Initialized", true, this.ago(p.createdAgo)),
          {
            ...condition("Ready", running, readySince),
            ...(running ? {} : { reason: "ContainersNotReady", message: notReady }),
          },
          {
            ...condition("ContainersReady", running, readySince),
            ...(running ? {} : { reason: "ContainersNotReady", message: notReady }),
          },
          condition("PodScheduled", true, this.ago(p.createdAgo)),
        ],
        containerStatuses: statuses,
        hostIP: nodeIP(p.node),
        hostIPs: [{ ip: nodeIP(p.node) }],
        phase: "Running",
        podIP: p.ip,
        podIPs: [{ ip: p.ip }],
        qosClass: "Burstable",
        startTime: this.ago(p.createdAgo),
      },
    });
  }

  event(spec: EventSpec): KubeObject {
    const first = this.ago(spec.firstAgo);
    const last = this.ago(spec.lastAgo ?? spec.firstAgo);
    const involved = spec.involved;
    const nanos =
      BigInt(Math.round(this.now.getTime() - spec.firstAgo * 1000)) * 1_000_000n +
      BigInt(Math.round(spec.firstAgo * 7919) % 1_000_000);
    const name = `${involved.metadata.name}.${nanos.toString(16)}`;
    const metadata = this.meta("Event", name, spec.namespace, spec.firstAgo);
    const base = {
      apiVersion: "v1",
      kind: "Event",
      metadata,
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        // A cluster-scoped object's events name no namespace for it.
        ...(involved.metadata.namespace !== undefined ? { namespace: involved.metadata.namespace } : {}),
        resourceVersion: involved.metadata.resourceVersion,
        uid: involved.metadata.uid,
        ...(spec.fieldPath ? { fieldPath: spec.fieldPath } : {}),
      },
      reason: spec.reason,
      message: spec.message,
      type: spec.type ?? "Normal",
    };
    if (spec.eventTimeOnly) {
      return this.add({
        ...base,
        source: {},
        firstTimestamp: null,
        lastTimestamp: null,
        eventTime: this.agoNano(spec.firstAgo).replace(/(\.\d{6})\d*Z$/, "$1Z"),
        action: "Binding",
        reportingComponent: spec.component,
        reportingInstance: `${spec.component}-${spec.host ?? "ip-10-0-0-10"}`,
      });
    }
    return this.add({
      ...base,
      source: { component: spec.component, ...(spec.host ? { host: spec.host } : {}) },
      firstTimestamp: first,
      lastTimestamp: last,
      count: spec.count ?? 1,
      eventTime: null,
      reportingComponent: spec.component,
      reportingInstance: spec.host ?? "",
    });
  }

  secret(
    namespace: string,
    name: string,
    type: string,
    data: Record<string, string>,
    createdAgo: number,
    extra?: Partial<ObjectMeta>,
  ): KubeObject {
    const metadata = { ...this.meta("Secret", name, namespace, createdAgo), ...extra };
    const encoded = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
    );
    return this.add({ apiVersion: "v1", kind: "Secret", metadata, type, data: encoded });
  }

  configMap(namespace: string, name: string, data: Record<string, string>, createdAgo: number): KubeObject {
    const metadata = this.meta("ConfigMap", name, namespace, createdAgo);
    if (name === "kube-root-ca.crt") {
      metadata.annotations = {
        "kubernetes.io/description":
          "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
      };
    }
    return this.add({ apiVersion: "v1", kind: "ConfigMap", metadata, data });
  }

  /** Every namespace has a `default` one, as the service-account controller makes. */
  serviceAccount(namespace: string, name: string, createdAgo: number): KubeObject {
    return this.add({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: this.meta("ServiceAccount", name, namespace, createdAgo),
    });
  }

  service(
    namespace: string,
    name: string,
    opts: {
      clusterIP: string;
      ports: { name?: string; port: number; targetPort: number | string; protocol: string }[];
      selector?: Record<string, string>;
      labels?: Record<string, string>;
      createdAgo: number;
    },
  ): KubeObject {
    const metadata = this.meta("Service", name, namespace, opts.createdAgo);
    if (opts.labels) metadata.labels = opts.labels;
    return this.add({
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: {
        clusterIP: opts.clusterIP,
        clusterIPs: [opts.clusterIP],
        internalTrafficPolicy: "Cluster",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        ports: opts.ports,
        ...(opts.selector ? { selector: opts.selector } : {}),
        sessionAffinity: "None",
        type: "ClusterIP",
      },
      status: { loadBalancer: {} },
    });
  }

  /** Log lines for a container; each entry is [seconds ago, text]. */
  containerLogs(
    namespace: string,
    pod: string,
    container: string,
    current: [number, string][],
    previous?: [number, string][],
  ): void {
    const toLines = (entries: [number, string][]): LogLine[] =>
      entries.map(([ago, text], i) => ({ time: this.agoNano(ago, i), text }));
    const logs: ContainerLogs = { namespace, pod, container, current: toLines(current) };
    if (previous) logs.previous = toLines(previous);
    this.logs.push(logs);
  }
}

function containerSpec(c: ContainerSpec, image: string) {
  const probe = c.probePath
    ? {
        failureThreshold: 3,
        httpGet: { path: c.probePath, port: c.port ?? 8080, scheme: "HTTP" },
        periodSeconds: 10,
        successThreshold: 1,
        timeoutSeconds: 1,
      }
    : undefined;
  return {
    name: c.name,
    image,
    imagePullPolicy: "IfNotPresent",
    ...(c.args ? { args: c.args } : {}),
    ...(c.env ? { env: c.env } : {}),
    ...(c.port ? { ports: [{ containerPort: c.port, name: "http", protocol: "TCP" }] } : {}),
    ...(probe ? { readinessProbe: probe } : {}),
    resources: { limits: { memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
  };
}

function controllerRef(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion,
    blockOwnerDeletion: true,
    controller: true,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
  };
}

/** Node names encode their IP (ip-10-0-1-23.… → 10.0.1.23), as on EKS. */
export function nodeIP(node: string): string {
  const m = /^ip-(\d+)-(\d+)-(\d+)-(\d+)/.exec(node);
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4]}` : "10.0.0.10";
}

function hex(key: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${key}#${i}`).digest("hex");
  return out.slice(0, length);
}
