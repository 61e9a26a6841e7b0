/**
 * Owns what `kubectl describe deployment` prints for one Deployment, as kubectl v1.32's
 * DeploymentDescriber writes it: its fields, the pod template (describe-parts.ts's containers and
 * volumes as a template's: no statuses, field references empty), its conditions, its old and new
 * ReplicaSets, and its events. kubectl picks the new ReplicaSet as the oldest of those the
 * Deployment controls whose template equals the Deployment's but for the pod-template-hash label,
 * by Go's semantic equality. That equality is read here as JSON with every empty value left out
 * (as Go's typed zero values are), and the choice is only kept when that ReplicaSet carries the
 * Deployment's revision, which the controller writes on the new one; otherwise, and for a selector
 * with expressions or a template with topology spread constraints (describe-parts.ts), it answers
 * undefined and the command runs kubectl.
 */
import {
  annotations,
  conditions,
  events,
  labelSelector,
  labels,
  laidOutBy,
  podTemplate,
  rfc1123z,
  unmodeled,
  Writer,
} from "./describe-parts";
import type { DescribedDeployment, OwnedReplicaSet } from "./describe-types";
import type { KubeEvent } from "./kube-types";

const HASH_LABEL = "pod-template-hash";
const REVISION = "deployment.kubernetes.io/revision";

/** A value with every empty part left out, objects with sorted keys: what Go's typed zero values compare as. */
function normalized(value: unknown): unknown {
  if (value === null || value === undefined || value === "" || value === 0 || value === false)
    return undefined;
  if (Array.isArray(value))
    return value.length === 0 ? undefined : value.map((item) => normalized(item) ?? null);
  if (typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => [key, normalized(item)] as const)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function withoutHash(template: unknown): unknown {
  const t = template as { metadata?: { labels?: Record<string, string> } } | undefined;
  const { [HASH_LABEL]: _, ...rest } = t?.metadata?.labels ?? {};
  return { ...t, metadata: { ...t?.metadata, labels: rest } };
}

const sameTemplate = (a: unknown, b: unknown) =>
  JSON.stringify(normalized(withoutHash(a))) === JSON.stringify(normalized(withoutHash(b)));

/** The old ReplicaSets and the new one, as kubectl's deployment helpers find them. */
function replicaSetsOf(d: DescribedDeployment, all: OwnedReplicaSet[]) {
  const owned = all
    .filter((rs) => rs.metadata.ownerReferences?.find((o) => o.controller)?.uid === d.metadata.uid)
    .sort((a, b) => {
      const [ta, tb] = [Date.parse(a.metadata.creationTimestamp), Date.parse(b.metadata.creationTimestamp)];
      return ta !== tb ? ta - tb : a.metadata.name < b.metadata.name ? -1 : 1;
    });
  if (owned.length === 0) return { old: [], fresh: [] };
  const fresh = owned.find((rs) => sameTemplate(rs.spec.template, d.spec.template));
  if (fresh === undefined || fresh.metadata.annotations?.[REVISION] !== d.metadata.annotations?.[REVISION])
    unmodeled();
  return { old: owned.filter((rs) => rs !== fresh), fresh: fresh ? [fresh] : [] };
}

const replicaSetLine = (list: OwnedReplicaSet[]) =>
  list
    .map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas} replicas created)`)
    .join(", ") || "<none>";

function describe(
  d: DescribedDeployment,
  replicaSets: OwnedReplicaSet[] | undefined,
  list: KubeEvent[] | undefined,
  now: number,
): string {
  const { metadata, spec, status } = d;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Namespace:\t${metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(metadata.creationTimestamp)}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, `Selector:\t${labelSelector(spec.selector) ?? unmodeled()}\n`);
  w.write(
    0,
    `Replicas:\t${spec.replicas} desired | ${status?.updatedReplicas ?? 0} updated | ${status?.replicas ?? 0} total | ${status?.availableReplicas ?? 0} available | ${status?.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(0, `StrategyType:\t${spec.strategy.type}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const rolling = spec.strategy.rollingUpdate;
  if (rolling) {
    w.write(
      0,
      `RollingUpdateStrategy:\t${rolling.maxUnavailable} max unavailable, ${rolling.maxSurge} max surge\n`,
    );
  }
  podTemplate(w, spec.template);
  conditions(w, status?.conditions);
  // kubectl leaves both lines out when it could not list the ReplicaSets, or none is this one's.
  const sets = replicaSets === undefined ? undefined : replicaSetsOf(d, replicaSets);
  if (sets && (sets.old.length > 0 || sets.fresh.length > 0)) {
    w.write(0, `OldReplicaSets:\t${replicaSetLine(sets.old)}\n`);
    w.write(0, `NewReplicaSet:\t${replicaSetLine(sets.fresh)}\n`);
  }
  events(w, list, now);
  return w.text;
}

/**
 * What kubectl describe prints for `d`, its ReplicaSets (undefined: they could not be listed) and
 * its events, laid out; undefined where it holds what is not modeled.
 */
export const describeDeployment = laidOutBy(describe);
