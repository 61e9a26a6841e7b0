/**
 * The Store contract: everything Kubently keeps between requests. One interface, one file per
 * backend (sqlite.ts for the embedded default and memory://, redis.ts for shared replicas), and one
 * contract test suite (test/store/contract.ts) that every backend must pass unchanged.
 *
 * Backends publish their own change notifications (new command for a cluster, result stored,
 * cluster token revoked) so that waiting is event-driven, never a poll loop; in each process they
 * reach `subscribe()` listeners through the one fan-out in listeners.ts.
 */
import type {
  AuditPage,
  AuditRecord,
  Command,
  CommandResult,
  ExecutorPolicy,
  OutputChunk,
  OutputStreamName,
  Session,
} from "../models";

export type StoreKind = "memory" | "sqlite" | "redis";

/** What a store knows about a registered cluster and its executor's last contact. */
export interface ClusterRecord {
  cluster_id: string;
  /** SHA-256 of the executor token; the token itself is never stored. */
  token_hash: string;
  created_at_ms: number;
  last_seen_ms: number | null;
  /** False after the executor's last stream closed cleanly, true after any later contact. */
  connected: boolean;
  executor_version: string | null;
  transport: string | null;
  /** Labels an admin set (PUT /admin/clusters/{id}/labels); fleet selectors match them. */
  labels: Record<string, string>;
  /** What the executor reported of its policy as it last connected; null when it reported none. */
  policy: ExecutorPolicy | null;
}

export interface Presence {
  connected: boolean;
  /**
   * The executor connection this is about. A disconnect is recorded only if it comes from the
   * connection that last said it was connected, so an old stream's cleanup, finishing after its
   * executor has already reconnected, cannot mark the cluster offline.
   */
  connection: string;
  executor_version?: string | null;
  transport?: string | null;
  /**
   * Set as a connection opens: the report, or null for an executor that sent none (or none the
   * server could read), which clears an earlier one. Left out (keepalives, disconnects): kept.
   */
  policy?: ExecutorPolicy | null;
  at_ms: number;
}

export type CommandState = "pending" | "inflight" | "done" | "cancelled";

/**
 * What became of a posted result: stored, or a duplicate of the stored one (both with the command
 * it answers); or refused, because no such command is known or it was issued to another cluster.
 */
export type PutResultOutcome =
  | { status: "stored"; command: Command }
  | { status: "duplicate"; command: Command }
  | { status: "unknown" }
  | { status: "wrong_cluster" };

export interface CommandInfo {
  cluster_id: string;
  state: CommandState;
  deadline_ms: number;
  /** The command as queued (who asked for what), e.g. for the audit entry of its result. */
  command: Command;
}

/**
 * An async operation (POST /debug/execute/async): the command it runs (whose `service_identity`
 * owns it), where to call back when it ends, and how it ended. The id is the command's id.
 */
export interface OperationRecord {
  command: Command;
  callback_url: string | null;
  /** Set once, by whichever replica first sees the operation end; null while it runs. */
  outcome: OperationOutcome | null;
}

export interface OperationOutcome {
  status: "succeeded" | "failed" | "denied" | "timed_out";
  completed_at: string;
  /** The executor's result, for a command that ran to completion (succeeded or failed). */
  result?: CommandResult;
  /** For a denial or a timeout: the error the synchronous path would have answered with. */
  error?: { message: string; code: string; context: Record<string, unknown> };
}

/** Which audit entries to read: those after `after` (a seq) matching every filter given, oldest first. */
export interface AuditQuery {
  after: number;
  limit: number;
  cluster_id?: string;
  identity?: string;
  action?: string;
  outcome?: string;
  /** Entries whose `at` is at or after this (epoch ms). */
  from_ms?: number;
  /** Entries whose `at` is before this (epoch ms). */
  to_ms?: number;
}

/**
 * One page of the trail: the wire model's own type (src/models/audit-page.ts). A page may hold fewer
 * than `limit` entries, even none, while `next_after` is not null: a backend bounds how much it scans
 * for one filtered read.
 */
export type { AuditPage };

export type StoreEvent =
  | { type: "command"; cluster_id: string }
  /**
   * `result` rides along when it is small (see RESULT_EVENT_MAX_BYTES), so a waiter on any replica
   * settles without reading it back; a waiter without it reads the store.
   */
  | { type: "result"; command_id: string; result?: CommandResult }
  | { type: "revoked"; cluster_id: string }
  /**
   * A shared store's subscription was down or moved (a reconnection, a failover, a resharding) and
   * is live again: events published meanwhile may never arrive, so a listener looks once at what it
   * waits for (a result, new work). The sqlite store never misses one and never says this.
   */
  | { type: "resubscribed" }
  | PassingEvent;

/**
 * Events that are announced and never stored, for the replica they concern: a streamed command's
 * output as its executor sends it (heard where its caller waits), and a cancel (heard where the
 * cluster's executor holds its WebSocket). Lost with a replica or a Redis outage, as they may be.
 */
export type PassingEvent =
  | { type: "chunk"; cluster_id: string; chunk: OutputChunk }
  | { type: "cancel"; cluster_id: string; command_id: string };

export type StoreListener = (event: StoreEvent) => void;

export type CreateClusterOutcome = "created" | "replaced" | "exists";

/** A token bucket: up to `burst` takes at once, refilled continuously at `perSecond`. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export interface RateDecision {
  allowed: boolean;
  /** When refused: how long until the bucket holds a token again (0 when allowed). */
  retryAfterMs: number;
}

export interface Store {
  readonly kind: StoreKind;
  /** How many calls have failed with StoreUnavailableError since the store opened (for metrics). */
  readonly unavailableErrors: number;
  /** Resolves when the backend answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Creates or replaces a session; it expires at its `expires_at`. */
  putSession(session: Session): Promise<void>;
  getSession(sessionId: string): Promise<Session | null>;
  deleteSession(sessionId: string): Promise<boolean>;
  countActiveSessions(nowMs: number): Promise<number>;
  /** True while any unexpired session exists for the cluster. */
  isClusterActive(clusterId: string, nowMs: number): Promise<boolean>;

  createCluster(
    clusterId: string,
    tokenHash: string,
    opts: { replace: boolean; nowMs: number },
  ): Promise<CreateClusterOutcome>;
  getCluster(clusterId: string): Promise<ClusterRecord | null>;
  /** Removes the cluster's token and publishes a `revoked` event so every replica closes its streams. */
  deleteCluster(clusterId: string): Promise<boolean>;
  listClusters(): Promise<ClusterRecord[]>;
  /** Replaces the cluster's labels; false when no such cluster is registered. */
  setClusterLabels(clusterId: string, labels: Record<string, string>): Promise<boolean>;
  recordPresence(clusterId: string, presence: Presence): Promise<void>;

  /** Queues a command for its cluster and publishes a `command` event. */
  enqueue(command: Command): Promise<void>;
  /**
   * Atomically takes up to `max` pending commands of the cluster, oldest first, for one consumer
   * (one executor connection), leased until `nowMs + leaseMs`. Commands past their deadline are
   * dropped, never returned.
   */
  claim(
    clusterId: string,
    consumerId: string,
    max: number,
    leaseMs: number,
    nowMs: number,
  ): Promise<Command[]>;
  /** Extends the lease of every command the consumer holds (its connection is still alive). */
  renewLeases(consumerId: string, leaseMs: number, nowMs: number): Promise<void>;
  /** Puts the consumer's unanswered commands back at the front of their queue (its connection ended). */
  release(consumerId: string, nowMs: number): Promise<number>;
  /** Requeues commands whose lease ran out (their holder died without a clean close). */
  requeueExpired(nowMs: number): Promise<number>;
  /** Withdraws a still-pending command so it is never delivered; returns the state it was in. */
  cancel(commandId: string): Promise<CommandState | null>;
  commandInfo(commandId: string): Promise<CommandInfo | null>;
  queueDepth(clusterId: string): Promise<number>;

  /**
   * Takes one token from the named bucket (full when first used) at `nowMs`, atomically: replicas
   * sharing the store share the bucket. A bucket left alone until it is full again is forgotten, so
   * idle buckets cost nothing. A clock behind the bucket's last take refills nothing, never extra.
   */
  takeToken(bucket: string, limit: RateLimit, nowMs: number): Promise<RateDecision>;

  /**
   * Stores the result of a command issued to `clusterId` (the first result wins), marks the command
   * done and publishes a `result` event. One step with the checks, so a result costs one round trip.
   */
  putResult(clusterId: string, result: CommandResult, ttlMs: number): Promise<PutResultOutcome>;
  getResult(commandId: string): Promise<CommandResult | null>;

  /**
   * Keeps one part of a command's output stream too large for one result post, for `ttlMs`; the
   * result posted after the parts says how many each stream has. Putting a part again replaces it.
   */
  putOutputPart(
    commandId: string,
    stream: OutputStreamName,
    index: number,
    text: string,
    ttlMs: number,
  ): Promise<void>;
  /** Parts 0 to count-1 of the stream, in order; null when any of them is missing or expired. */
  readOutputParts(commandId: string, stream: OutputStreamName, count: number): Promise<string[] | null>;
  /** Forgets the command's parts: its stored result holds the whole output now. */
  dropOutputParts(commandId: string): Promise<void>;

  /** Records a new async operation, kept for `ttlMs` unless it completes first. */
  createOperation(operation: Omit<OperationRecord, "outcome">, ttlMs: number): Promise<void>;
  /** The operation, or null when unknown or expired. */
  getOperation(operationId: string): Promise<OperationRecord | null>;
  /**
   * Sets the operation's outcome once (the first caller wins; false for a later one or an unknown
   * operation) and keeps the record for `ttlMs` from now. The outcome carries its own copy of the
   * result, so the operation never outlives what it reports.
   */
  completeOperation(operationId: string, outcome: OperationOutcome, ttlMs: number): Promise<boolean>;

  /**
   * Appends records to the audit trail's hash chain, in order and together, as one atomic step:
   * reading the head, linking the records after it (linkAudit) and storing them with the new head.
   * Concurrent appenders, in this process or on other replicas sharing the store, never fork the chain
   * nor leave a gap. Resolves once the records are in the chain.
   */
  appendAudit(records: AuditRecord[]): Promise<void>;
  readAudit(query: AuditQuery): Promise<AuditPage>;

  /** Drops expired sessions, results, operations and finished commands. */
  sweep(nowMs: number): Promise<void>;

  /** Listens to this store's change notifications (from every replica for shared backends). */
  subscribe(listener: StoreListener): () => void;

  /** Tells every replica's listeners (this one's too) an event nothing stores. */
  announce(event: PassingEvent): Promise<void>;
}

/** Largest result, as JSON, that a `result` event carries to every replica's waiters. */
export const RESULT_EVENT_MAX_BYTES = 16_384;

/** Finished or abandoned commands are kept this long past their deadline, for late results. */
export const COMMAND_RETENTION_MS = 5 * 60_000;

/**
 * The clock, in epoch milliseconds: where the stores and the services read the time. What the contract
 * decides by time takes it as `nowMs` from its caller, so a test can give it any time; what a backend
 * stamps by itself (when a result or an operation expires) and what a service stamps (a session's
 * expiry, an audit entry's time) comes from here. Redis also expires keys by its own clock.
 */
export const nowMs = (): number => Date.now();

/** The backend cannot be reached; the API answers 503 STORE_UNAVAILABLE. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super("store unavailable", { cause });
    this.name = "StoreUnavailableError";
  }
}

/**
 * The --store URL is not one the server can use: malformed, or naming a database it cannot open. A
 * configuration error, answered at start with one line and exit 2.
 */
export class StoreUrlError extends Error {}
