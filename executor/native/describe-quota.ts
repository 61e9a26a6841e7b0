/**
 * Owns what kubectl v1.32 prints of resource quotas and limit ranges: `kubectl describe quota` and
 * `describe limitrange` of one object, and the rows the namespace describer prints of each. A quota's
 * scopes are sorted and explained in kubectl's words, its resources sorted with used and hard
 * amounts; a limit range's limits are one row per resource. kubectl prints a limit's resources in
 * Go's random map order, so no two of its runs need agree; they are printed here in byte order,
 * one of kubectl's orders (the rows are one tabwriter block, whose widths do not depend on their
 * order). describe quota writes a used amount in its hard amount's format where the two differ, as
 * kubectl does (NewQuantity of its rounded-up value).
 */
import { byteOrder, laidOut, quantity, unmodeled, Writer } from "./describe-parts";
import type { DescribedLimitRange, DescribedQuota, LimitRange, Quota } from "./describe-types";
import { wholeInFormat } from "./quantity";

/** kubectl's words under a quota scope it explains; the others it names only. */
const SCOPE_HELP: Record<string, string> = {
  Terminating:
    "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
  NotTerminating:
    "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
  BestEffort:
    "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
  NotBestEffort:
    "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
};

/** A quota's scopes, sorted, each one kubectl explains followed by `bullet` and its words. */
export function scopes(w: Writer, level: number, bullet: string, q: Quota): void {
  const sorted = [...(q.spec?.scopes ?? [])].sort(byteOrder);
  if (sorted.length === 0) return;
  w.write(level, `Scopes:\t${sorted.join(", ")}\n`);
  for (const scope of sorted)
    if (Object.hasOwn(SCOPE_HELP, scope)) w.write(level, `${bullet}${SCOPE_HELP[scope]}\n`);
}

/** Whether a quantity is in the binary format (Ki…); quantity() admits no exponent form. */
const binary = (text: string) => text.endsWith("i");

/**
 * A quota's resources, sorted: name, used, hard. `inHardFormat`: describe quota writes a used amount
 * in its hard amount's format, where the two differ: its whole value (rounded up) written anew.
 */
export function quotaRows(q: Quota, inHardFormat: boolean): [string, string, string][] {
  const hard = q.status?.hard ?? {};
  return Object.keys(hard)
    .sort(byteOrder)
    .map((resource) => {
      const [used, limit] = [quantity(q.status?.used?.[resource] ?? "0"), quantity(hard[resource] ?? "")];
      const rewritten = inHardFormat && used !== "0" && binary(used) !== binary(limit);
      return [resource, rewritten ? (wholeInFormat(used, binary(limit)) ?? unmodeled()) : used, limit];
    });
}

/** The limit table's two header lines, each after `prefix`. */
export function limitHeader(w: Writer, prefix: string): void {
  w.write(0, `${prefix}Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n`);
  w.write(0, `${prefix}----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n`);
}

/** A limit range's rows, each after `prefix`: per limit, its resource with each bound or `-`. */
export function limitRows(w: Writer, spec: LimitRange["spec"], prefix: string): void {
  for (const limit of spec.limits) {
    const maps = [limit.min, limit.max, limit.defaultRequest, limit.default, limit.maxLimitRequestRatio];
    const names = new Set(maps.flatMap((map) => Object.keys(map ?? {})));
    for (const name of [...names].sort(byteOrder)) {
      const cells = maps.map((map) => (map?.[name] === undefined ? "-" : quantity(map[name])));
      w.write(0, `${prefix}${limit.type}\t${name}\t${cells.join("\t")}\n`);
    }
  }
}

/** What `kubectl describe quota` prints for `q`, laid out; undefined where it is not modeled. */
export function describeQuota(q: DescribedQuota): string | undefined {
  return laidOut(() => {
    const w = new Writer();
    w.write(0, `Name:\t${q.metadata.name}\n`);
    w.write(0, `Namespace:\t${q.metadata.namespace}\n`);
    scopes(w, 0, " * ", q);
    w.write(0, "Resource\tUsed\tHard\n");
    w.write(0, "--------\t----\t----\n");
    for (const [resource, used, hard] of quotaRows(q, true)) w.write(0, `${resource}\t${used}\t${hard}\n`);
    return w.text;
  });
}

/** What `kubectl describe limitrange` prints for `lr`, laid out; undefined where it is not modeled. */
export function describeLimitRange(lr: DescribedLimitRange): string | undefined {
  return laidOut(() => {
    const w = new Writer();
    w.write(0, `Name:\t${lr.metadata.name}\n`);
    w.write(0, `Namespace:\t${lr.metadata.namespace}\n`);
    limitHeader(w, "");
    limitRows(w, lr.spec, "");
    return w.text;
  });
}
