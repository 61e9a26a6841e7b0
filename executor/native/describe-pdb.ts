/**
 * Owns what `kubectl describe pdb` prints for one policy/v1 PodDisruptionBudget, as kubectl v1.32's
 * PodDisruptionBudgetDescriber writes it: its bound (min available, else max unavailable, as a
 * number or a percentage), its selector as FormatLabelSelector writes it (describe-parts.ts), how
 * many disruptions it allows and how many pods are healthy, wanted and expected, and its events.
 */
import { events, formatLabelSelector, laidOutBy, Writer } from "./describe-parts";
import type { DescribedBudget } from "./describe-types";
import type { KubeEvent } from "./kube-types";

function describe(pdb: DescribedBudget, list: KubeEvent[] | undefined, now: number) {
  const { metadata, spec } = pdb;
  const status = pdb.status ?? {};
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Namespace:\t${metadata.namespace}\n`);
  if (spec.minAvailable !== undefined) w.write(0, `Min available:\t${spec.minAvailable}\n`);
  else if (spec.maxUnavailable !== undefined) w.write(0, `Max unavailable:\t${spec.maxUnavailable}\n`);
  w.write(0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : "<unset>"}\n`);
  w.write(0, "Status:\n");
  w.write(2, `Allowed disruptions:\t${status.disruptionsAllowed ?? 0}\n`);
  w.write(2, `Current:\t${status.currentHealthy ?? 0}\n`);
  w.write(2, `Desired:\t${status.desiredHealthy ?? 0}\n`);
  w.write(2, `Total:\t${status.expectedPods ?? 0}\n`);
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for `pdb` and its events, laid out; undefined where it holds what is not modeled. */
export const describeBudget = laidOutBy(describe);
