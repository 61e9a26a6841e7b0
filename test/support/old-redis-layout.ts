/**
 * The Redis store's layout before shards, written by hand: what a deployment upgraded from it holds,
 * for the upgrade's test and its bench.
 */
import { auditRow, type LinkedEntry } from "../../src/models";

/** XADD's arguments for one audit entry of the old, unsharded trail (stream `<prefix>audit`). */
export function oldAuditXadd(prefix: string, linked: LinkedEntry): string[] {
  const [seq, at, cluster, identity, action, outcome, json] = auditRow(linked);
  return [
    `${prefix}audit`,
    `${seq}-0`,
    "t",
    at,
    "c",
    cluster,
    "i",
    identity,
    "a",
    action,
    "o",
    outcome,
    "e",
    json,
  ].map(String);
}
