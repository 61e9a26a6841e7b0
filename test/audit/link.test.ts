/**
 * Linking entries into the chain: what a store stores for each entry is its canonical body with the
 * hash added, and that hash is the one the verifier computes, whatever the record's shape. The
 * builders' records take a fast way to canonical order (the schema's sorted fields); anything else
 * takes the general one, and both must write the same bytes.
 */
import { describe, expect, test } from "bun:test";
import {
  type AuditRecord,
  auditHash,
  ChainVerifier,
  type Command,
  type CommandResult,
  canonicalJson,
  GENESIS_HASH,
  linkAudit,
} from "../../src/models";
import { adminAction, commandAccepted, commandAnswered } from "../../src/modules/audit/events";

const command: Command = {
  command_id: "0193d1e0-0000-7000-8000-000000000001",
  cluster_id: "production",
  command_type: "get",
  args: ["pods", "--token=secret", "-n", "shop"],
  namespace: "shop",
  timeout_seconds: 30,
  deadline_ms: 1_767_225_630_000,
  correlation_id: "incident-4711",
  service_identity: "agent",
  requested_by: "triage-ägent",
  created_at: "2026-01-01T00:00:00.000Z",
} as Command;

const result: CommandResult = {
  command_id: command.command_id,
  cluster_id: command.cluster_id,
  status: "success",
  exit_code: 0,
  stdout: "pod-1\n",
  stderr: "",
  truncated: false,
  execution_time_ms: 12.4,
} as CommandResult;

const stamp = (event: object, n: number): AuditRecord =>
  ({ ...event, id: `entry-${n}`, at: "2026-01-01T00:00:01.000Z" }) as AuditRecord;

/** Records of every shape: the builders', and ones no builder makes (they take the general way). */
const records: AuditRecord[] = [
  stamp(commandAccepted(command), 1),
  stamp({ ...commandAnswered(command, result), duration_ms: 190 }, 2),
  stamp(adminAction("ops", "token.create", "production"), 3),
  stamp({ ...adminAction("ops", "token.revoke", "gone"), extra_field: "not in the schema" }, 4),
  stamp({ ...commandAccepted(command), args: ["pods", { nested: true, a: 1 }] }, 5),
  stamp({ ...commandAccepted(command), namespace: { z: 1, b: [{ y: 2, x: 3 }] } }, 6),
  stamp({ ...commandAccepted(command), 7: "an integer-like key" }, 7),
  stamp({ ...commandAccepted(command), exit_code: null, truncated: undefined }, 8),
];

describe("linkAudit", () => {
  const linked = linkAudit(records, { seq: 41, hash: "a".repeat(64) });

  test("stores each entry as its canonical body plus the hash the verifier computes", () => {
    for (const [i, { entry, json }] of linked.entries()) {
      const { hash, ...body } = JSON.parse(json) as Record<string, unknown>;
      expect(json).toBe(`${canonicalJson(body).slice(0, -1)},"hash":"${hash}"}`);
      expect(hash).toBe(auditHash(JSON.parse(json)));
      expect(entry.hash).toBe(hash as string);
      expect(entry.seq).toBe(42 + i);
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(entry)));
      expect(body).toEqual(
        JSON.parse(JSON.stringify({ ...records[i], seq: 42 + i, prev_hash: body.prev_hash })),
      );
    }
  });

  test("links each entry to the one before, into a chain the verifier accepts", () => {
    const chain = linkAudit(records, null);
    expect(chain[0]?.entry.prev_hash).toBe(GENESIS_HASH);
    const verifier = new ChainVerifier();
    expect(verifier.add(chain.map(({ json }) => JSON.parse(json)))).toBeNull();
    const last = chain.at(-1)?.entry;
    expect(verifier.finish(last ? { seq: last.seq, hash: last.hash } : null)).toBeNull();
  });
});
