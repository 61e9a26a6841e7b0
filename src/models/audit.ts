/**
 * The audit-trail entry and its hash chain: what the server appends for every command decision and
 * admin action, what a store links atomically, and what `kubently audit verify` checks. An entry says
 * who, what, when and how it ended; never a command's output, never a token or key.
 *
 * The chain: entry n carries `seq` n (from 1, no gaps), `prev_hash` (the `hash` of entry n-1, or
 * GENESIS_HASH for entry 1) and `hash`: SHA-256, in hex, of the entry without `hash` written as
 * canonical JSON (object keys sorted by UTF-16 code units, no whitespace, strings and numbers as
 * JSON.stringify writes them). Editing, deleting or reordering entries breaks a link; the store also
 * keeps the chain's head apart from the entries, so removing the newest ones shows too.
 */
import { type Static, Type as t } from "@sinclair/typebox";

export const AuditAction = t.Union(
  [
    t.Literal("command"),
    t.Literal("token.create"),
    t.Literal("token.rotate"),
    t.Literal("token.revoke"),
    t.Literal("cluster.labels"),
  ],
  {
    description:
      "command: a kubectl command (one entry when queued, one when it ended). token.create, " +
      "token.rotate, token.revoke: an admin's executor-token action. cluster.labels: an admin set a " +
      "cluster's labels.",
  },
);
export type AuditAction = Static<typeof AuditAction>;

export const AuditOutcome = t.Union(
  [
    t.Literal("accepted"),
    t.Literal("succeeded"),
    t.Literal("failed"),
    t.Literal("denied"),
    t.Literal("timed_out"),
    t.Literal("executor_offline"),
    t.Literal("refused"),
  ],
  {
    description:
      "accepted: the command was queued. succeeded / failed: kubectl exited 0 / non-zero (or could not " +
      "start). denied: the executor's policy refused it, nothing ran. timed_out: kubectl ran out of time, " +
      "or the executor holding it sent no result in time. executor_offline: no executor took it in time. " +
      "For admin actions: succeeded, or refused (error_code says why).",
  },
);
export type AuditOutcome = Static<typeof AuditOutcome>;

const Hash = t.String({ description: "SHA-256, 64 hex digits.", examples: ["9f86d081…"] });

/**
 * Fields are plain strings rather than the id patterns of requests: GET /audit must be able to serve
 * an entry someone tampered with, so that verifying finds it instead of the response failing.
 */
export const AuditEntry = t.Object(
  {
    seq: t.Integer({ description: "Position in the chain: 1, 2, 3… without gaps." }),
    id: t.String({ description: "The entry's own id; a repeated id is one entry appended twice." }),
    at: t.String({ format: "date-time", description: "When the server made the decision." }),
    action: AuditAction,
    outcome: AuditOutcome,
    identity: t.String({ description: "Who: the service of the API key (or admin key) that asked." }),
    requested_by: t.Optional(
      t.String({ description: "X-Service-Identity of the request: who within that service asked." }),
    ),
    cluster_id: t.String(),
    command_id: t.Optional(t.String()),
    correlation_id: t.Optional(t.String()),
    session_id: t.Optional(t.String()),
    command_type: t.Optional(t.String({ description: "The kubectl verb." })),
    args: t.Optional(
      t.Array(t.String(), {
        description:
          "The kubectl arguments as asked, with the values of --token and --password replaced by ***.",
      }),
    ),
    namespace: t.Optional(t.String()),
    timeout_seconds: t.Optional(t.Integer({ description: "On accepted: how long the command may take." })),
    exit_code: t.Optional(t.Integer({ description: "kubectl's exit code, when it ran to an end." })),
    duration_ms: t.Optional(t.Integer({ description: "From acceptance to this outcome." })),
    execution_ms: t.Optional(
      t.Integer({ description: "kubectl's own run time, as the executor measured it." }),
    ),
    stdout_bytes: t.Optional(
      t.Integer({ description: "Size of the output (UTF-8 bytes); never the output." }),
    ),
    stderr_bytes: t.Optional(t.Integer()),
    truncated: t.Optional(t.Boolean({ description: "The executor cut the output at its cap." })),
    denial_code: t.Optional(t.String({ description: "The policy's reason code when denied." })),
    api_requests: t.Optional(
      t.Integer({
        description: "Kubernetes API requests the command made through the executor's cluster gate.",
      }),
    ),
    api_refused: t.Optional(t.Integer({ description: "Of those, how many the cluster gate refused." })),
    api_bytes_read: t.Optional(t.Integer({ description: "Response bytes read from the API server." })),
    refused_request: t.Optional(
      t.String({
        description: "The first request the cluster gate refused, as `METHOD /path RULE`.",
        examples: ["GET /api/v1/namespaces/shop/secrets RESOURCE_RESTRICTED"],
      }),
    ),
    error_code: t.Optional(
      t.String({
        description:
          "The error the caller was answered with: COMMAND_DENIED, COMMAND_TIMEOUT, EXECUTOR_OFFLINE, " +
          "SCOPE_DENIED (then denial_code names the scope: clusters, namespaces or mode); " +
          "for refused admin actions TOKEN_EXISTS or CLUSTER_NOT_FOUND.",
      }),
    ),
    prev_hash: Hash,
    hash: Hash,
  },
  {
    title: "AuditEntry",
    description:
      "One audit-trail entry. `hash` is SHA-256 over the entry without `hash` as canonical JSON (keys " +
      "sorted, no whitespace), so it covers `seq` and `prev_hash`, the previous entry's hash.",
    examples: [
      {
        seq: 42,
        id: "0b6a4f3e-1c2d-4e5f-8a9b-7c6d5e4f3a2b",
        at: "2026-01-15T12:00:01.190Z",
        action: "command",
        outcome: "succeeded",
        identity: "agent",
        requested_by: "triage-agent",
        cluster_id: "production",
        command_id: "8d2b6f0e-4c1a-4f7e-9a3b-5e6d7c8b9a01",
        correlation_id: "incident-4711",
        command_type: "get",
        args: ["pods", "-o", "wide"],
        namespace: "shop",
        exit_code: 0,
        duration_ms: 190,
        execution_ms: 182,
        stdout_bytes: 5120,
        stderr_bytes: 0,
        truncated: false,
        prev_hash: "5d41402abc4b2a76b9719d911017c592ae7c61c3a8b2f1e0d9c8b7a6f5e4d3c2",
        hash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
      },
    ],
  },
);
export type AuditEntry = Static<typeof AuditEntry>;

/** kubectl flags whose value is a secret. The policy refuses them, but the attempt is still recorded. */
const SECRET_FLAGS = new Set(["--token", "--password"]);

/**
 * kubectl arguments as the audit trail records them (and the executor logs them): the values of
 * --token and --password replaced by ***, whether attached (`--token=x`) or the next argument.
 */
export function maskSecrets(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    const flag = arg.split("=", 1)[0] ?? "";
    if (SECRET_FLAGS.has(flag) && arg.includes("=")) return `${flag}=***`;
    const previous = args[i - 1];
    return previous !== undefined && SECRET_FLAGS.has(previous) ? "***" : arg;
  });
}

/** An entry before the store gives it its place in the chain. */
export type AuditRecord = Omit<AuditEntry, "seq" | "prev_hash" | "hash">;

/** The chain's newest link. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** What entry 1 links to. */
export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted and no whitespace; undefined properties are left out, as JSON does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(withSortedKeys(value));
}

/**
 * A copy whose objects have their keys inserted in sorted order, which JSON.stringify keeps: several
 * times faster than writing the JSON by hand. (JavaScript puts integer-like keys first whatever the
 * insertion order; no entry has one, and one added by tampering only breaks the hash, as anything does.)
 */
function withSortedKeys(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(withSortedKeys);
  const object = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of sortedKeys(object)) sorted[key] = withSortedKeys(object[key]);
  return sorted;
}

/**
 * Sorted key lists by the keys in the order an object has them: entries are made by a few builders,
 * so a few shapes recur, and sorting their 15 to 25 keys again for each entry was most of the cost of
 * making it canonical. Bounded, in case some caller's objects each have keys of their own.
 */
const keyOrders = new Map<string, string[]>();
const MAX_KEY_ORDERS = 256;
function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  const shape = keys.join("\u0000");
  let order = keyOrders.get(shape);
  if (order === undefined) {
    order = keys.sort();
    if (keyOrders.size >= MAX_KEY_ORDERS) keyOrders.clear();
    keyOrders.set(shape, order);
  }
  return order;
}

const sha256 = (text: string) => Bun.CryptoHasher.hash("sha256", text, "hex");

/** The hash an entry must carry: over everything in it but `hash`. */
export function auditHash(entry: Record<string, unknown>): string {
  const { hash: _, ...body } = entry;
  return sha256(canonicalJson(body));
}

/** An entry given its place in the chain, and the JSON to store it as (any key order reads back the same). */
export interface LinkedEntry {
  entry: AuditEntry;
  json: string;
}

/** A linked entry as the stores keep it: seq, at (ms), cluster_id, identity, action, outcome, JSON. */
export function auditRow({
  entry,
  json,
}: LinkedEntry): [number, number, string, string, string, string, string] {
  return [
    entry.seq,
    Date.parse(entry.at),
    entry.cluster_id,
    entry.identity,
    entry.action,
    entry.outcome,
    json,
  ];
}

/** Numbers and links `records` after `head` (null for an empty chain), in order. */
export function linkAudit(records: AuditRecord[], head: AuditHead | null): LinkedEntry[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return records.map((record) => {
    seq += 1;
    const linked = sortedBody(record, seq, prevHash);
    // Serialized once: the canonical body is both what is hashed and, with the hash added, what is stored.
    const body = JSON.stringify(linked);
    prevHash = sha256(body);
    linked.hash = prevHash;
    return { entry: linked as AuditEntry, json: `${body.slice(0, -1)},"hash":"${prevHash}"}` };
  });
}

/** The fields of an entry's body (everything but `hash`), in canonical order. */
const BODY_KEYS = Object.keys(AuditEntry.properties)
  .filter((key) => key !== "hash")
  .sort();
const IS_BODY_KEY = new Set(BODY_KEYS);

/**
 * `record` with its place in the chain, as a copy with its keys in canonical order. A record made of
 * the schema's fields holding scalars or arrays of scalars (what the entry builders make) takes them
 * in the schema's sorted order: no per-record shape lookup and no spread copy first (linking went from
 * ~2.2 to ~1.8 µs an entry). Anything else is sorted the general way, so both write the same bytes.
 */
function sortedBody(record: AuditRecord, seq: number, prevHash: string): Record<string, unknown> {
  const fields = record as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!IS_BODY_KEY.has(key) || !isFlat(fields[key])) {
      return withSortedKeys({ ...record, seq, prev_hash: prevHash }) as Record<string, unknown>;
    }
  }
  const body: Record<string, unknown> = {};
  for (const key of BODY_KEYS) {
    const value = key === "seq" ? seq : key === "prev_hash" ? prevHash : fields[key];
    if (value !== undefined) body[key] = value;
  }
  return body;
}

/** A scalar, or an array of scalars: nothing whose keys would need sorting. */
const isScalar = (value: unknown) => typeof value !== "object" || value === null;
const isFlat = (value: unknown) => isScalar(value) || (Array.isArray(value) && value.every(isScalar));

/** The first link that does not hold, and why. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * Checks a chain handed over in pieces (a page at a time, oldest first), so a walk over the API never
 * holds the whole trail. Entries are taken as untrusted data: whatever their shape, a break is reported.
 */
export class ChainVerifier {
  /** Entries checked and found linked. */
  count = 0;
  private prevHash = GENESIS_HASH;

  /** Checks the next entries; the first break, or null while the chain holds. */
  add(entries: readonly Record<string, unknown>[]): ChainBreak | null {
    for (const entry of entries) {
      const seq = this.count + 1;
      if (entry.seq !== seq) {
        const found =
          typeof entry.seq === "number" ? `entry ${entry.seq}` : `seq ${JSON.stringify(entry.seq)}`;
        return { seq, reason: `entry ${seq} is missing or out of place: found ${found} where it belongs` };
      }
      if (entry.prev_hash !== this.prevHash) {
        return { seq, reason: `entry ${seq} does not link to entry ${seq - 1}: its prev_hash differs` };
      }
      if (entry.hash !== auditHash(entry)) {
        return { seq, reason: `entry ${seq} was altered: its content does not match its hash` };
      }
      this.count = seq;
      this.prevHash = entry.hash;
    }
    return null;
  }

  /** At the end of the walk: the store's head must be the last entry seen. */
  finish(head: AuditHead | null): ChainBreak | null {
    const headSeq = head?.seq ?? 0;
    if (headSeq > this.count) {
      return {
        seq: this.count + 1,
        reason: `the chain ends at entry ${this.count} but its head is entry ${headSeq}: newer entries are missing`,
      };
    }
    if (headSeq < this.count) {
      return { seq: headSeq + 1, reason: `entries follow the chain's head (entry ${headSeq})` };
    }
    if (head && head.hash !== this.prevHash) {
      return { seq: headSeq, reason: `the chain's head does not carry entry ${headSeq}'s hash` };
    }
    return null;
  }
}
