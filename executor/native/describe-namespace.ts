/**
 * Owns what `kubectl describe namespace` prints for one namespace, as kubectl v1.32's
 * NamespaceDescriber writes it: its fields and conditions, then its resource quotas (sorted by name,
 * each one's scopes and its resources, describe-quota.ts's pieces) and its limit ranges. A section
 * whose list the server does not serve (404) is left out, as kubectl leaves it out.
 */
import { annotations, byteOrder, labels, laidOutBy, rfc1123z, Writer } from "./describe-parts";
import { limitHeader, limitRows, quotaRows, scopes } from "./describe-quota";
import type { DescribedNamespace, LimitRange, Quota } from "./describe-types";

function quotas(w: Writer, list: Quota[]): void {
  if (list.length === 0) {
    w.write(0, "No resource quota.\n");
    return;
  }
  w.write(0, "Resource Quotas\n");
  for (const q of [...list].sort((a, b) => byteOrder(a.metadata.name, b.metadata.name))) {
    w.write(1, `Name:\t${q.metadata.name}\n`);
    scopes(w, 1, "* ", q);
    w.write(1, "Resource\tUsed\tHard\n");
    w.write(1, "--------\t---\t---\n");
    for (const [resource, used, hard] of quotaRows(q, false)) w.write(1, `${resource}\t${used}\t${hard}\n`);
  }
}

function limitRanges(w: Writer, list: LimitRange[]): void {
  if (list.length === 0) {
    w.write(0, "No LimitRange resource.\n");
    return;
  }
  w.write(0, "Resource Limits\n");
  limitHeader(w, " ");
  for (const { spec } of list) limitRows(w, spec, " ");
}

function describe(ns: DescribedNamespace, quotaList: Quota[] | null, limitList: LimitRange[] | null) {
  const { metadata, status } = ns;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, `Status:\t${status?.phase ?? ""}\n`);
  if (status?.conditions?.length) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t------------------\t------\t-------\n");
    for (const c of status.conditions) {
      const at = rfc1123z(c.lastTransitionTime);
      w.write(1, `${c.type}\t${c.status}\t${at}\t${c.reason ?? ""}\t${c.message ?? ""}\n`);
    }
  }
  if (quotaList !== null) {
    w.write(0, "\n");
    quotas(w, quotaList);
  }
  if (limitList !== null) {
    w.write(0, "\n");
    limitRanges(w, limitList);
  }
  return w.text;
}

/**
 * What kubectl describe prints for `ns`, its quotas and its limit ranges (null: the server does not
 * serve them), laid out; undefined where it holds what is not modeled.
 */
export const describeNamespace = laidOutBy(describe);
