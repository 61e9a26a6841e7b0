/**
 * Reads the policy an executor reports on its connection (the X-Executor-Policy header) into the
 * report the server keeps, or null. A report that cannot be read is ignored with one warning, not
 * refused: it only informs callers, and refusing the connection would take the cluster offline over
 * it (a newer executor's new mode, say). The cluster then shows no policy rather than a stale one.
 */
import { log } from "../../log";
import { decodePolicyReport, type ExecutorPolicy } from "../../models";

export type PolicyReports = (clusterId: string, header: string | undefined) => ExecutorPolicy | null;

/**
 * One reader per server. It remembers each cluster's last header and what it read from it: a
 * long-poll executor sends the same header with every poll, which is then neither decoded nor
 * warned about again. Only executors that passed the token check reach it, so it holds at most one
 * entry per registered cluster.
 */
export function createPolicyReports(): PolicyReports {
  const last = new Map<string, { header: string; policy: ExecutorPolicy | null }>();
  return (clusterId, header) => {
    if (header === undefined) return null; // an executor older than the report
    const known = last.get(clusterId);
    if (known?.header === header) return known.policy;
    const read = decodePolicyReport(header);
    if ("problem" in read) {
      log.warn("executor policy report ignored", { cluster_id: clusterId, problem: read.problem });
    }
    const policy = "policy" in read ? read.policy : null;
    last.set(clusterId, { header, policy });
    return policy;
  };
}
