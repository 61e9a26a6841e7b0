/**
 * Owns `kubectl describe` of every kind kubectl has no describer of its own for: custom resources
 * (a cert-manager Certificate, an Argo Rollout), and built-in kinds such as Leases, Events and
 * ControllerRevisions. kubectl v1.32 picks its describer by the mapping's group and kind
 * (describerMap); a kind not in that map gets the generic describer, which reads the object as
 * unstructured and prints its name, namespace, labels and annotations, then every other field
 * (metadata's managed fields and what was printed already left out), keys sorted, each name made a
 * label by smartLabelFor, then its events by involvedObject. A kind kubectl describes its own way,
 * and native reads do not (Secrets), is left to kubectl.
 */
import type { Kind } from "./describe-kinds";
import { annotations, events, labels, laidOutBy, unmodeled, Writer } from "./describe-parts";
import { checkDescribedUnstructured, type DescribedUnstructured } from "./describe-types";
import type { Resource } from "./discovery";
import { goValue, isAscii, isGoMap } from "./go-value";
import type { KubeEvent } from "./kube-types";

/** The group/kind pairs kubectl v1.32's describerMap gives a describer of their own. */
const OWN_DESCRIBERS = new Set([
  "/Pod",
  "/ReplicationController",
  "/Secret",
  "/Service",
  "/ServiceAccount",
  "/Node",
  "/LimitRange",
  "/ResourceQuota",
  "/PersistentVolume",
  "/PersistentVolumeClaim",
  "/Namespace",
  "/Endpoints",
  "/ConfigMap",
  "/PriorityClass",
  "discovery.k8s.io/EndpointSlice",
  "autoscaling/HorizontalPodAutoscaler",
  "extensions/Ingress",
  "networking.k8s.io/Ingress",
  "networking.k8s.io/IngressClass",
  "networking.k8s.io/ServiceCIDR",
  "networking.k8s.io/IPAddress",
  "networking.k8s.io/NetworkPolicy",
  "batch/Job",
  "batch/CronJob",
  "apps/StatefulSet",
  "apps/Deployment",
  "apps/DaemonSet",
  "apps/ReplicaSet",
  "certificates.k8s.io/CertificateSigningRequest",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/CSINode",
  "storage.k8s.io/VolumeAttributesClass",
  "policy/PodDisruptionBudget",
  "rbac.authorization.k8s.io/Role",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/RoleBinding",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "scheduling.k8s.io/PriorityClass",
]);

/** What the generic describer leaves out of the content: printed above it, or never printed. */
const SKIPPED = new Set([
  ".metadata.managedFields",
  ".metadata.name",
  ".metadata.namespace",
  ".metadata.labels",
  ".metadata.annotations",
]);
const ACRONYMS = new Set(["API", "URL", "UID", "OSB", "GUID"]);

const classOf = (c: string) => (/[a-z]/.test(c) ? 1 : /[A-Z]/.test(c) ? 2 : /[0-9]/.test(c) ? 3 : 4);
const isUpper = (c: string | undefined) => c !== undefined && /[A-Z]/.test(c);
const isLower = (c: string | undefined) => c !== undefined && /[a-z]/.test(c);

/**
 * camelcase.Split as kubectl uses it: runs of lower, upper, digit and other characters, then the last
 * capital of a run of capitals moved to the lower-case run after it (`PDFLoader` → `PDF`, `Loader`).
 */
function camelWords(field: string): string[] {
  const runs: string[][] = [];
  let last = 0;
  for (const c of field) {
    const cls = classOf(c);
    if (cls === last) runs[runs.length - 1]?.push(c);
    else runs.push([c]);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    const [run, next] = [runs[i] as string[], runs[i + 1] as string[]];
    if (isUpper(run[0]) && isLower(next[0])) next.unshift(run.pop() as string);
  }
  return runs.filter((run) => run.length > 0).map((run) => run.join(""));
}

/** smartLabelFor: `apiVersion` → `API Version`; a name with anything but letters and `-` as it is. */
function smartLabel(field: string): string {
  if (/[^A-Za-z-]/.test(field)) return field;
  return camelWords(field)
    .map((word) => {
      const upper = word.toUpperCase();
      return ACRONYMS.has(upper) ? upper : upper.slice(0, 1) + word.slice(1);
    })
    .join(" ");
}

/** printUnstructuredContent: each field in key order, a map or a list as a title over its contents. */
function content(w: Writer, level: number, map: Record<string, unknown>, prefix: string): void {
  const fields = Object.keys(map);
  // Go sorts by bytes and labels a non-ASCII letter by Unicode's classes: neither is modeled.
  if (!fields.every(isAscii)) unmodeled();
  for (const field of fields.sort()) {
    const path = `${prefix}.${field}`;
    if (SKIPPED.has(path)) continue;
    const value = map[field];
    if (isGoMap(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      content(w, level + 1, value, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const item of value) {
        if (isGoMap(item)) content(w, level + 1, item, path);
        else w.write(level + 1, `${goValue(item) ?? unmodeled()}\n`);
      }
    } else {
      w.write(level, `${smartLabel(field)}:\t${goValue(value) ?? unmodeled()}\n`);
    }
  }
}

function describe(object: DescribedUnstructured, list: KubeEvent[] | undefined, now: number) {
  const { metadata } = object;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Namespace:\t${metadata.namespace ?? ""}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  content(w, 0, object as unknown as Record<string, unknown>, "");
  events(w, list, now);
  return w.text;
}

const describeGeneric = laidOutBy(describe);

/**
 * The kind describe reads `found` as: the generic describer's, or, where kubectl describes it its own
 * way and native reads do not, one that lists it but describes nothing (any object of it runs kubectl).
 */
export function kindOfResource(found: Resource): Kind {
  const { group, version, resource, namespaced } = found;
  const own = describedItsOwnWay(found);
  return {
    resource: { group, version, resource },
    namespaced,
    async describe(_fetch, object, now, events) {
      if (own || !checkDescribedUnstructured.Check(object)) return undefined;
      const { name, namespace = "", uid } = object.metadata;
      const objectEvents = await events.of({ name, namespace }, uid, object.kind);
      return describeGeneric(object, objectEvents, now);
    },
  };
}

/** Whether kubectl has a describer of its own for a resource's kind (which native reads may lack). */
export function describedItsOwnWay({ group, kind }: Resource): boolean {
  return OWN_DESCRIBERS.has(`${group}/${kind}`);
}
