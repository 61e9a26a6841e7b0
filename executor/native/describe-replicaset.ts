/**
 * Owns what `kubectl describe replicaset` prints for one ReplicaSet, as kubectl v1.32's
 * ReplicaSetDescriber writes it: its fields, who controls it, its replicas, its pods counted by
 * phase (only those it controls, as getPodStatusForController counts them), the pod template
 * (describe-parts.ts), its conditions and its events. A selector with expressions or a template with
 * topology spread constraints is not modeled: the command then runs kubectl.
 */
import { conditions, controlledHeader, events, laidOutBy, podTemplate, Writer } from "./describe-parts";
import type { CountedPod, DescribedReplicaSet } from "./describe-types";
import type { KubeEvent } from "./kube-types";

/** Running / Waiting / Succeeded / Failed, of the pods whose controller is `uid` (getPodStatusForController). */
export function podStatus(uid: string, pods: CountedPod[]): string {
  const count = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  for (const pod of pods) {
    if (pod.metadata.ownerReferences?.find((owner) => owner.controller)?.uid !== uid) continue;
    const phase = pod.status?.phase;
    if (phase !== undefined && Object.hasOwn(count, phase)) count[phase as keyof typeof count]++;
  }
  return `${count.Running} Running / ${count.Pending} Waiting / ${count.Succeeded} Succeeded / ${count.Failed} Failed`;
}

function describe(rs: DescribedReplicaSet, pods: CountedPod[], list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec, status } = rs;
  const w = new Writer();
  controlledHeader(w, metadata, spec.selector);
  w.write(0, `Replicas:\t${status?.replicas ?? 0} current / ${spec.replicas} desired\n`);
  w.write(0, `Pods Status:\t${podStatus(metadata.uid, pods)}\n`);
  podTemplate(w, spec.template);
  conditions(w, status?.conditions);
  events(w, list, now);
  return w.text;
}

/**
 * What kubectl describe prints for `rs`, the pods its selector matches and its events, laid out;
 * undefined where it holds what is not modeled.
 */
export const describeReplicaSet = laidOutBy(describe);
