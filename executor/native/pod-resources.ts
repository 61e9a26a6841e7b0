/**
 * Owns what kubectl's resource helper (PodRequestsAndLimits, v1.32) makes of a pod's resources:
 * the sum over its containers, each restartable (sidecar) init container added to it, and the
 * greatest of the other init containers' needs (each with the sidecars started before it) taken
 * where larger. Sums keep Quantity.Add's format, so they print as kubectl prints them. A pod with
 * overhead or resized containers (their status carries resources) is not modeled: undefined.
 */
import type { ResourcedPod } from "./describe-types";
import { addFormatted, type Formatted, readFormatted } from "./quantity";

export type ResourceList = Map<string, Formatted>;
type Amounts = Record<string, string> | undefined;

class Unreadable extends Error {}

function read(amounts: Amounts): ResourceList {
  const list: ResourceList = new Map();
  for (const [name, text] of Object.entries(amounts ?? {})) {
    const q = readFormatted(text);
    if (q === undefined) throw new Unreadable();
    list.set(name, q);
  }
  return list;
}

/** addResourceList: each of `more` added to `list`'s own, or copied in. */
export function addInto(list: ResourceList, more: ResourceList): void {
  for (const [name, q] of more) {
    const held = list.get(name);
    list.set(name, held === undefined ? q : addFormatted(held, q));
  }
}

/** maxResourceList: each of `more` taken where `list` has none or less. */
function maxInto(list: ResourceList, more: ResourceList): void {
  for (const [name, q] of more) {
    const held = list.get(name);
    if (held === undefined || q.value > held.value) list.set(name, q);
  }
}

function total(pod: ResourcedPod, which: "requests" | "limits"): ResourceList {
  const sum: ResourceList = new Map();
  for (const c of pod.spec.containers) addInto(sum, read(c.resources?.[which]));
  const sidecars: ResourceList = new Map();
  const init: ResourceList = new Map();
  for (const c of pod.spec.initContainers ?? []) {
    const own = read(c.resources?.[which]);
    if (c.restartPolicy === "Always") {
      addInto(sum, own);
      addInto(sidecars, own);
      maxInto(init, sidecars);
    } else {
      const needs: ResourceList = new Map();
      addInto(needs, own);
      addInto(needs, sidecars);
      maxInto(init, needs);
    }
  }
  maxInto(sum, init);
  return sum;
}

/** The pod's requests and limits as kubectl sums them; undefined where it is not modeled. */
export function podRequestsAndLimits(
  pod: ResourcedPod,
): { requests: ResourceList; limits: ResourceList } | undefined {
  if (pod.spec.overhead !== undefined) return undefined;
  if ([...(pod.status?.containerStatuses ?? [])].some((s) => s.resources !== undefined)) return undefined;
  try {
    return { requests: total(pod, "requests"), limits: total(pod, "limits") };
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
}
