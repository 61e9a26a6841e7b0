/**
 * Owns what `kubectl describe pv` prints for one PersistentVolume, as kubectl v1.32's
 * PersistentVolumeDescriber writes it: labels, annotations, finalizers, its storage class (the beta
 * annotation first), status or how long it has been terminating, the claim bound to it, reclaim
 * policy, access modes, volume mode, capacity, node affinity (each required term's expressions, as
 * printNodeSelectorTermsMultilineWithIndent writes them), message, its source and its events. The
 * sources agents meet (CSI, hostPath, local, NFS) are printed; any other one runs kubectl.
 */
import {
  accessModes,
  annotations,
  events,
  labels,
  laidOutBy,
  quantity,
  selectorTerms,
  shorten,
  storageClassOf,
  terminating,
  unmodeled,
  Writer,
} from "./describe-parts";
import { type DescribedVolume, UNMODELED_VOLUME_SOURCES } from "./describe-types";
import type { KubeEvent } from "./kube-types";

/** The describer's own cut of a long attribute line, as maxAnnotationLen cuts it. */
const MAX_LINE = 140;

type Spec = DescribedVolume["spec"];

function nodeAffinity(w: Writer, affinity: Spec["nodeAffinity"]): void {
  w.write(0, "Node Affinity:\t");
  if (affinity?.required === undefined) {
    w.write(0, "<none>\n");
    return;
  }
  w.write(0, "\n");
  const terms = affinity.required.nodeSelectorTerms;
  selectorTerms(
    w,
    1,
    "Required Terms",
    terms.map((term) => term.matchExpressions ?? []),
  );
}

/** printCSIPersistentVolumeAttributesMultiline: every line written at level 2, the first after its title. */
function csiAttributes(w: Writer, attributes: Record<string, string> | undefined): void {
  w.write(2, "VolumeAttributes:\t");
  const keys = Object.keys(attributes ?? {}).sort();
  if (keys.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) {
      w.write(2, "");
      w.write(2, "\t");
    }
    w.write(2, `${shorten(`${key}=${attributes?.[key]}`, MAX_LINE)}\n`);
  });
}

function source(w: Writer, spec: Spec): void {
  if (UNMODELED_VOLUME_SOURCES.some((name) => (spec as Record<string, unknown>)[name] !== undefined))
    unmodeled();
  const { hostPath, nfs, local, csi } = spec;
  if (hostPath) {
    w.write(2, "Type:\tHostPath (bare host directory volume)\n");
    w.write(0, `    Path:\t${hostPath.path}\n    HostPathType:\t${hostPath.type ?? "<none>"}\n`);
  } else if (nfs) {
    w.write(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n");
    w.write(
      0,
      `    Server:\t${nfs.server}\n    Path:\t${nfs.path}\n    ReadOnly:\t${nfs.readOnly ?? false}\n`,
    );
  } else if (local) {
    w.write(
      2,
      `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${local.path}\n`,
    );
  } else if (csi) {
    w.write(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n");
    w.write(
      0,
      `    Driver:\t${csi.driver}\n    FSType:\t${csi.fsType ?? ""}\n    VolumeHandle:\t${csi.volumeHandle}\n    ReadOnly:\t${csi.readOnly ?? false}\n`,
    );
    csiAttributes(w, csi.volumeAttributes);
  } else {
    w.write(1, "<unknown>\n");
  }
}

function describe(pv: DescribedVolume, list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec } = pv;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, `Finalizers:\t[${(metadata.finalizers ?? []).join(" ")}]\n`);
  w.write(0, `StorageClass:\t${storageClassOf(metadata.annotations, spec.storageClassName)}\n`);
  const deleted = metadata.deletionTimestamp;
  w.write(0, `Status:\t${deleted === undefined ? (pv.status?.phase ?? "") : terminating(deleted, now)}\n`);
  const claim = spec.claimRef;
  w.write(0, `Claim:\t${claim ? `${claim.namespace ?? ""}/${claim.name ?? ""}` : ""}\n`);
  w.write(0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ""}\n`);
  w.write(0, `Access Modes:\t${accessModes(spec.accessModes)}\n`);
  if (spec.volumeMode !== undefined) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  const capacity = spec.capacity?.storage;
  w.write(0, `Capacity:\t${capacity === undefined ? "0" : quantity(capacity)}\n`);
  nodeAffinity(w, spec.nodeAffinity);
  w.write(0, `Message:\t${pv.status?.message ?? ""}\n`);
  w.write(0, "Source:\n");
  source(w, spec);
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for `pv` and its events, laid out; undefined where it holds what is not modeled. */
export const describeVolume = laidOutBy(describe);
