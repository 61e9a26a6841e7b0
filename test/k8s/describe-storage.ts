// The `lab` namespace's PersistentVolumeClaims, shaped for what `kubectl describe pvc` prints: the
// postgres StatefulSet's two claims (one bound and provisioned, one waiting for its pod to be
// scheduled), the batch pod's claim (its class named by the beta annotation, restored from a
// snapshot, bound in two access modes, a resize waiting for the pod to restart) and a claim being
// deleted that the evicted pod still holds, cloned from another claim. Written out as the API server
// and the persistent volume controller leave them.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const LAB = "lab";
const PROTECTION = ["kubernetes.io/pvc-protection"];
const PROVISIONER = "ebs.csi.aws.com";

interface ClaimShape {
  name: string;
  createdAgo: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
  deletedAgo?: number;
}

function claim(b: FixtureBuilder, shape: ClaimShape): KubeObject {
  return b.add({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      ...b.meta("PersistentVolumeClaim", shape.name, LAB, shape.createdAgo),
      ...(shape.labels ? { labels: shape.labels } : {}),
      ...(shape.annotations ? { annotations: shape.annotations } : {}),
      ...(shape.deletedAgo !== undefined
        ? { deletionTimestamp: b.ago(shape.deletedAgo), deletionGracePeriodSeconds: 0 }
        : {}),
      finalizers: PROTECTION,
    },
    spec: { volumeMode: "Filesystem", ...shape.spec },
    status: shape.status,
  });
}

/** What the persistent volume controller writes on a claim it bound to a volume it provisioned. */
const boundBy = (node: string) => ({
  "pv.kubernetes.io/bind-completed": "yes",
  "pv.kubernetes.io/bound-by-controller": "yes",
  "volume.beta.kubernetes.io/storage-provisioner": PROVISIONER,
  "volume.kubernetes.io/selected-node": node,
  "volume.kubernetes.io/storage-provisioner": PROVISIONER,
});

/** The name of the volume provisioned for a claim, as the external provisioner names it. */
export const volumeFor = (b: FixtureBuilder, claimName: string) =>
  `pvc-${b.uid(`PersistentVolume/${claimName}`)}`;

/** The claims, and the events of provisioning them; `node` is where postgres-0 runs. */
export function labClaims(b: FixtureBuilder, node: string): KubeObject[] {
  const volume = (name: string) => volumeFor(b, name);
  const dbLabels = { app: "postgres", tier: "db" };
  const first = claim(b, {
    name: "data-postgres-0",
    createdAgo: 25 * MIN,
    labels: dbLabels,
    annotations: boundBy(node),
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "20Gi" } },
      storageClassName: "gp3",
      volumeName: volume("data-postgres-0"),
    },
    status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "20Gi" } },
  });
  const second = claim(b, {
    name: "data-postgres-1",
    createdAgo: 24 * MIN,
    labels: dbLabels,
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "20Gi" } },
      storageClassName: "gp3",
    },
    status: { phase: "Pending" },
  });
  const worker = claim(b, {
    name: "worker-data",
    createdAgo: 21 * MIN,
    annotations: { ...boundBy(node), "volume.beta.kubernetes.io/storage-class": "standard" },
    spec: {
      accessModes: ["ReadWriteMany", "ReadWriteOnce"],
      resources: { requests: { storage: "10Gi" } },
      volumeName: volume("worker-data"),
      dataSource: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "worker-data-snap" },
      dataSourceRef: {
        apiGroup: "snapshot.storage.k8s.io",
        kind: "VolumeSnapshot",
        name: "worker-data-snap",
      },
    },
    status: {
      phase: "Bound",
      accessModes: ["ReadWriteMany", "ReadWriteOnce"],
      capacity: { storage: "5Gi" },
      allocatedResources: { storage: "10Gi" },
      conditions: [
        {
          type: "FileSystemResizePending",
          status: "True",
          lastProbeTime: null,
          lastTransitionTime: b.ago(6 * MIN),
          message: "Waiting for user to (re-)start a pod to finish file system resize of volume on node.",
        },
      ],
    },
  });
  const scratch = claim(b, {
    name: "old-scratch",
    createdAgo: 2 * 60 * MIN,
    deletedAgo: 7 * MIN,
    annotations: boundBy(node),
    spec: {
      accessModes: ["ReadWriteOncePod"],
      resources: { requests: { storage: "1Gi" } },
      storageClassName: "gp3",
      volumeName: volume("old-scratch"),
      dataSource: { kind: "PersistentVolumeClaim", name: "worker-data" },
      dataSourceRef: { kind: "PersistentVolumeClaim", name: "worker-data" },
    },
    status: { phase: "Bound", accessModes: ["ReadWriteOncePod"], capacity: { storage: "1Gi" } },
  });
  const event = (
    involved: KubeObject,
    component: string,
    reason: string,
    message: string,
    firstAgo: number,
    more: { count?: number; lastAgo?: number } = {},
  ) => b.event({ namespace: LAB, involved, component, reason, message, firstAgo, ...more });
  const external = `${PROVISIONER}_ebs-csi-controller-6f9c7b8d5-x2k9p_4f1d2c3b`;
  return [
    first,
    second,
    worker,
    scratch,
    event(
      first,
      "persistentvolume-controller",
      "WaitForFirstConsumer",
      "waiting for first consumer to be created before binding",
      25 * MIN,
    ),
    event(
      first,
      external,
      "Provisioning",
      `External provisioner is provisioning volume for claim "${LAB}/data-postgres-0"`,
      25 * MIN - 2,
    ),
    event(
      first,
      external,
      "ProvisioningSucceeded",
      `Successfully provisioned volume ${volume("data-postgres-0")}`,
      25 * MIN - 5,
    ),
    event(
      second,
      "persistentvolume-controller",
      "WaitForFirstConsumer",
      "waiting for first consumer to be created before binding",
      24 * MIN,
      { count: 98, lastAgo: 8 },
    ),
  ];
}
