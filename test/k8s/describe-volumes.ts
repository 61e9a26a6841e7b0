// PersistentVolumes and StorageClasses beside the `lab` claims, shaped for what `kubectl describe pv`
// and `describe storageclass` print: the EBS CSI volumes provisioned for three claims (bound, one
// of them being deleted with its claim, their zone as node affinity, the provisioner's attribute), a
// hostPath volume still available, a local volume pinned to a node by two expressions, a released
// NFS volume with the controller's message and event, and the classes they name: the default gp3
// (parameters, expansion, topologies), a retained one with mount options, and a bare one.

import { volumeFor } from "./describe-storage";
import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const DAY = 24 * 60 * MIN;
const LAB = "lab";
const EBS = "ebs.csi.aws.com";

interface VolumeShape {
  name: string;
  createdAgo: number;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  finalizers?: string[];
  deletedAgo?: number;
}

function volume(b: FixtureBuilder, shape: VolumeShape): KubeObject {
  return b.add({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: {
      ...b.meta("PersistentVolume", shape.name, undefined, shape.createdAgo),
      ...(shape.labels ? { labels: shape.labels } : {}),
      ...(shape.annotations ? { annotations: shape.annotations } : {}),
      ...(shape.deletedAgo !== undefined
        ? { deletionTimestamp: b.ago(shape.deletedAgo), deletionGracePeriodSeconds: 0 }
        : {}),
      finalizers: shape.finalizers ?? ["kubernetes.io/pv-protection"],
    },
    spec: shape.spec,
    status: shape.status,
  });
}

/** A volume the EBS CSI driver provisioned for a lab claim, in the zone of the node that asked. */
function provisioned(b: FixtureBuilder, claim: string, storage: string, modes: string[], ago: number) {
  const name = volumeFor(b, claim);
  return {
    name,
    createdAgo: ago,
    annotations: {
      "pv.kubernetes.io/provisioned-by": EBS,
      "volume.kubernetes.io/provisioner-deletion-secret-name": "",
    },
    finalizers: ["external-provisioner.volume.kubernetes.io/finalizer", "kubernetes.io/pv-protection"],
    spec: {
      accessModes: modes,
      capacity: { storage },
      claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: LAB, name: claim },
      csi: {
        driver: EBS,
        fsType: "ext4",
        volumeHandle: `vol-0${b.uid(name).replaceAll("-", "").slice(0, 16)}`,
        volumeAttributes: { "storage.kubernetes.io/csiProvisionerIdentity": `1733400000000-8081-${EBS}` },
      },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1a"] },
              ],
            },
          ],
        },
      },
      persistentVolumeReclaimPolicy: "Delete",
      storageClassName: "gp3",
      volumeMode: "Filesystem",
    },
    status: { phase: "Bound", lastPhaseTransitionTime: b.ago(ago) },
  };
}

/** The worker's claim names the `standard` class: its volume is the NFS CSI driver's, with its attributes. */
function nfsProvisioned(shape: VolumeShape): VolumeShape {
  return {
    ...shape,
    annotations: { "pv.kubernetes.io/provisioned-by": "nfs.csi.k8s.io" },
    spec: {
      ...shape.spec,
      csi: {
        driver: "nfs.csi.k8s.io",
        volumeHandle: `nfs.lab.example.com#exports#${shape.name}##`,
        volumeAttributes: {
          "csi.storage.k8s.io/pv/name": shape.name,
          "csi.storage.k8s.io/pvc/name": "worker-data",
          "csi.storage.k8s.io/pvc/namespace": LAB,
          server: "nfs.lab.example.com",
          share: "/exports",
          "storage.kubernetes.io/csiProvisionerIdentity": "1733400000000-3342-nfs.csi.k8s.io",
          subdir: shape.name,
        },
      },
      nodeAffinity: undefined,
      storageClassName: "standard",
      mountOptions: ["nfsvers=4.1", "hard"],
    },
  };
}

function classes(b: FixtureBuilder): KubeObject[] {
  const storageClass = (
    name: string,
    createdAgo: number,
    rest: Record<string, unknown>,
    annotations?: Record<string, string>,
  ) =>
    b.add({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: {
        ...b.meta("StorageClass", name, undefined, createdAgo),
        ...(annotations ? { annotations } : {}),
      },
      ...rest,
    });
  return [
    storageClass(
      "gp3",
      200 * DAY,
      {
        provisioner: EBS,
        parameters: { type: "gp3", encrypted: "true", fsType: "ext4" },
        reclaimPolicy: "Delete",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        allowedTopologies: [
          {
            matchLabelExpressions: [
              { key: "topology.ebs.csi.aws.com/zone", values: ["eu-west-1a", "eu-west-1b"] },
              { key: "node.kubernetes.io/instance-type", values: ["m6i.large"] },
            ],
          },
        ],
      },
      { "storageclass.kubernetes.io/is-default-class": "true" },
    ),
    storageClass("standard", 200 * DAY, {
      provisioner: "nfs.csi.k8s.io",
      parameters: { server: "nfs.lab.example.com", share: "/exports" },
      reclaimPolicy: "Retain",
      volumeBindingMode: "Immediate",
      mountOptions: ["nfsvers=4.1", "hard"],
    }),
    storageClass(
      "manual",
      90 * DAY,
      {
        provisioner: "kubernetes.io/no-provisioner",
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
      },
      { "kubernetes.io/description": "volumes made by hand" },
    ),
  ];
}

/** `node` is where postgres-0 runs: the local volume is pinned to it. */
export function labVolumes(b: FixtureBuilder, node: string): KubeObject[] {
  const released = volume(b, {
    name: "shared-nfs",
    createdAgo: 30 * DAY,
    labels: { team: "data" },
    spec: {
      accessModes: ["ReadWriteMany", "ReadOnlyMany"],
      capacity: { storage: "100Gi" },
      claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "shop", name: "reports" },
      nfs: { server: "nfs.lab.example.com", path: "/exports/reports" },
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "standard",
      mountOptions: ["nfsvers=4.1"],
    },
    status: {
      phase: "Released",
      message: "claim shop/reports not found",
      lastPhaseTransitionTime: b.ago(2 * DAY),
    },
  });
  return [
    volume(b, provisioned(b, "data-postgres-0", "20Gi", ["ReadWriteOnce"], 25 * MIN - 5)),
    volume(
      b,
      nfsProvisioned(provisioned(b, "worker-data", "10Gi", ["ReadWriteMany", "ReadWriteOnce"], 21 * MIN - 5)),
    ),
    volume(b, {
      ...provisioned(b, "old-scratch", "1Gi", ["ReadWriteOncePod"], 2 * 60 * MIN),
      deletedAgo: 7 * MIN,
    }),
    volume(b, {
      name: "local-cache",
      createdAgo: 12 * DAY,
      labels: { team: "platform", type: "local" },
      spec: {
        accessModes: ["ReadWriteOnce"],
        capacity: { storage: "50Gi" },
        hostPath: { path: "/mnt/cache", type: "DirectoryOrCreate" },
        persistentVolumeReclaimPolicy: "Retain",
        storageClassName: "manual",
        volumeMode: "Filesystem",
      },
      status: { phase: "Available" },
    }),
    volume(b, {
      name: "local-ssd",
      createdAgo: 12 * DAY,
      labels: { team: "platform", type: "local" },
      annotations: { "volume.beta.kubernetes.io/storage-class": "manual" },
      spec: {
        accessModes: ["ReadWriteOnce"],
        capacity: { storage: "375Gi" },
        local: { path: "/mnt/disks/ssd0" },
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: "kubernetes.io/hostname", operator: "In", values: [node] },
                  {
                    key: "node.kubernetes.io/exclude-from-external-load-balancers",
                    operator: "DoesNotExist",
                  },
                ],
              },
            ],
          },
        },
        persistentVolumeReclaimPolicy: "Delete",
        volumeMode: "Block",
      },
      status: { phase: "Available" },
    }),
    released,
    b.event({
      namespace: "default",
      involved: released,
      reason: "VolumeFailedRecycle",
      message: "No recycler plugin found for the volume!",
      component: "persistentvolume-controller",
      type: "Warning",
      firstAgo: 2 * DAY,
      lastAgo: 60,
      count: 40,
    }),
    ...classes(b),
  ];
}
