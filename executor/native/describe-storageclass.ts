/**
 * Owns what `kubectl describe storageclass` prints for one StorageClass, as kubectl v1.32's
 * StorageClassDescriber writes it: whether it is the default (either annotation), its annotations
 * and parameters as FormatLabels writes a map, provisioner, volume expansion, mount options, reclaim
 * policy and binding mode where set, allowed topologies, and its events.
 */
import { events, formatLabels, laidOutBy, selectorTerms, Writer } from "./describe-parts";
import type { DescribedStorageClass } from "./describe-types";
import type { KubeEvent } from "./kube-types";

const DEFAULT_CLASS = [
  "storageclass.kubernetes.io/is-default-class",
  "storageclass.beta.kubernetes.io/is-default-class",
];

function describe(sc: DescribedStorageClass, list: KubeEvent[] | undefined, now: number) {
  const { metadata } = sc;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  const isDefault = DEFAULT_CLASS.some((key) => metadata.annotations?.[key] === "true");
  w.write(0, `IsDefaultClass:\t${isDefault ? "Yes" : "No"}\n`);
  w.write(0, `Annotations:\t${formatLabels(metadata.annotations)}\n`);
  w.write(0, `Provisioner:\t${sc.provisioner}\n`);
  w.write(0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
  const expansion = sc.allowVolumeExpansion;
  w.write(
    0,
    `AllowVolumeExpansion:\t${expansion === undefined ? "<unset>" : expansion ? "True" : "False"}\n`,
  );
  if (!sc.mountOptions?.length) w.write(0, "MountOptions:\t<none>\n");
  else {
    w.write(0, "MountOptions:\n");
    for (const option of sc.mountOptions) w.write(1, `${option}\n`);
  }
  if (sc.reclaimPolicy !== undefined) w.write(0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
  if (sc.volumeBindingMode !== undefined) w.write(0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
  if (sc.allowedTopologies !== undefined) {
    const terms = sc.allowedTopologies.map((term) =>
      (term.matchLabelExpressions ?? []).map((req) => ({ ...req, operator: "in" })),
    );
    selectorTerms(w, 0, "AllowedTopologies", terms);
  }
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for `sc` and its events, laid out; undefined where it holds what is not modeled. */
export const describeStorageClass = laidOutBy(describe);
