/**
 * Embedded store on bun:sqlite (WAL): the default, so one binary on one VM needs nothing else.
 * `memory://` is the same code on an in-memory database. Notifications stay in this process, which
 * is all an embedded store can serve. One process owns the file, which is what lets writes share a
 * transaction per event-loop turn (sqlite-commit.ts) and leases live in memory (sqlite-live.ts).
 */
import { Database, SQLiteError, type Statement } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { log } from "../log";
import {
  type AuditEntry,
  type AuditHead,
  type AuditRecord,
  auditRow,
  type Command,
  type CommandResult,
  type ExecutorPolicy,
  linkAudit,
  type OutputStreamName,
  type Session,
} from "../models";
import { Listeners } from "./listeners";
import { GroupCommit } from "./sqlite-commit";
import { LiveQueue, type QueuedCommand, type Taken } from "./sqlite-live";
import type {
  AuditPage,
  AuditQuery,
  ClusterRecord,
  CommandInfo,
  CommandState,
  CreateClusterOutcome,
  OperationOutcome,
  OperationRecord,
  PassingEvent,
  Presence,
  PutResultOutcome,
  RateDecision,
  RateLimit,
  Store,
  StoreKind,
  StoreListener,
} from "./store";
import { COMMAND_RETENTION_MS, nowMs, StoreUnavailableError, StoreUrlError } from "./store";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, cluster_id TEXT NOT NULL, data TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_cluster ON sessions (cluster_id, expires_at);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS clusters (
  id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, created_at INTEGER NOT NULL,
  last_seen INTEGER, connected INTEGER NOT NULL DEFAULT 0, executor_version TEXT, transport TEXT,
  connection TEXT, labels TEXT, policy TEXT);
CREATE TABLE IF NOT EXISTS commands (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, cluster_id TEXT NOT NULL,
  state TEXT NOT NULL, deadline INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS commands_pending ON commands (seq) WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS results (
  command_id TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS results_expiry ON results (expires_at);
CREATE TRIGGER IF NOT EXISTS results_mark_done AFTER INSERT ON results BEGIN
  UPDATE commands SET state = 'done' WHERE id = NEW.command_id; END;
CREATE TABLE IF NOT EXISTS output_parts (
  command_id TEXT NOT NULL, stream TEXT NOT NULL, idx INTEGER NOT NULL, data TEXT NOT NULL,
  expires_at INTEGER NOT NULL, PRIMARY KEY (command_id, stream, idx));
CREATE INDEX IF NOT EXISTS output_parts_expiry ON output_parts (expires_at);
CREATE TABLE IF NOT EXISTS operations (
  id TEXT PRIMARY KEY, data TEXT NOT NULL, outcome TEXT, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS operations_expiry ON operations (expires_at);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, cluster_id TEXT NOT NULL, identity TEXT NOT NULL,
  action TEXT NOT NULL, outcome TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_cluster ON audit (cluster_id, seq);
CREATE INDEX IF NOT EXISTS audit_identity ON audit (identity, seq);
CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
`;

interface ClusterRow {
  id: string;
  token_hash: string;
  created_at: number;
  last_seen: number | null;
  connected: number;
  executor_version: string | null;
  transport: string | null;
  labels: string | null;
  policy: string | null;
}

/** A rate-limit bucket: tokens left at `atMs`, and when refilling makes it full (then it is dropped). */
interface Bucket {
  tokens: number;
  atMs: number;
  fullAtMs: number;
}

const toCluster = (row: ClusterRow): ClusterRecord => ({
  cluster_id: row.id,
  token_hash: row.token_hash,
  created_at_ms: row.created_at,
  last_seen_ms: row.last_seen,
  connected: row.connected === 1,
  labels: row.labels === null ? {} : (JSON.parse(row.labels) as Record<string, string>),
  executor_version: row.executor_version,
  transport: row.transport,
  policy: row.policy === null ? null : (JSON.parse(row.policy) as ExecutorPolicy),
});

/**
 * Opens `path` (created with its folder if missing), or an in-memory database for ":memory:". A path
 * that cannot be a database (a folder, a file of something else, a folder that cannot be made) is a
 * StoreUrlError naming it; one held by another process is StoreUnavailableError.
 */
export function openSqliteStore(path: string): Store {
  if (path !== ":memory:") ensureFolder(path);
  let db: Database;
  try {
    db = new Database(path, { create: true, strict: true });
  } catch (error) {
    throw unusable(path, error);
  }
  try {
    // One process owns the embedded store: exclusive locking (set after WAL, which measured ~1.4x
    // faster here) skips WAL's shared-memory locks per transaction, and makes a second server on
    // the same file fail at start instead of sharing it unsafely.
    db.exec("PRAGMA busy_timeout = 1000; PRAGMA journal_mode = WAL; PRAGMA locking_mode = EXCLUSIVE;");
    // A checkpoint copies every page changed since the last one: at ~40 MB of WAL instead of 4 MB,
    // pages changed over and over (index edges, the audit head) are copied once, not ten times.
    db.exec("PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000;");
    db.exec(SCHEMA);
    upgrade(db);
  } catch (error) {
    db.close();
    if (error instanceof SQLiteError && (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED")) {
      throw new StoreUnavailableError(new Error(`${path} is in use by another kubently process`));
    }
    throw unusable(path, error);
  }
  return new SqliteStore(db, path === ":memory:" ? "memory" : "sqlite");
}

/**
 * Creates the database's folder if it is missing, and says so: a typo in the path would otherwise
 * start a fresh, empty store somewhere unexpected without a word.
 */
function ensureFolder(path: string): void {
  const folder = resolve(dirname(path));
  let created: string | undefined;
  try {
    created = mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new StoreUrlError(`sqlite://${path}: cannot create its folder: ${(error as Error).message}`);
  }
  if (created !== undefined) log.info("created the store's folder", { path: folder });
}

/** SQLite's refusal of a path as a StoreUrlError; anything else is not the configuration's fault. */
function unusable(path: string, error: unknown): unknown {
  if (!(error instanceof SQLiteError)) return error;
  return new StoreUrlError(`sqlite://${path}: cannot use it as the database: ${error.message}`);
}

class SqliteStore implements Store {
  private readonly listeners = new Listeners();
  private readonly q: ReturnType<typeof prepare>;
  /** Audit reads, prepared per combination of filters (at most 64), so each can use its index. */
  private readonly auditSelects = new Map<string, Statement>();
  /**
   * Rate-limit buckets live in memory: an embedded store serves one process, and a restart that
   * forgets them only refills them early.
   */
  private readonly buckets = new Map<string, Bucket>();
  /**
   * Cluster records as last read, dropped by every write to their row (inside the write, so the next
   * read after its commit reads the row again): a command and a result post each read their cluster.
   */
  private readonly clusters = new Map<string, ClusterRecord>();
  /** Waiting and leased commands; the database has the commands themselves. */
  private readonly live = new LiveQueue();
  /** Every write goes through here: one transaction per event-loop turn. */
  private readonly commits: GroupCommit;
  /**
   * The last command sequence number handed out: given in memory, so a command is queued in order
   * before its row is written (AUTOINCREMENT's counter, which this process alone advances).
   */
  private lastSeq: number;
  /**
   * Results told to their waiters whose rows this turn's commit is still writing: reads find them
   * here, so whoever heard of a result (or listened, then looked) finds it, as once committed.
   */
  private readonly answering = new Map<string, CommandResult>();
  /**
   * Clusters this turn queued commands for, told at the end of the turn (one event each, just before
   * the commit): a delivery loop then claims everything the turn's requests queued in one claim and
   * sends it in one message while the commit runs, instead of one of each per request.
   */
  private readonly unannounced = new Set<string>();
  /** Failures here surface as SQLite errors, never as an unreachable store. */
  readonly unavailableErrors = 0;

  constructor(
    private readonly db: Database,
    readonly kind: StoreKind,
  ) {
    this.q = prepare(db);
    this.commits = new GroupCommit(db);
    this.lastSeq = (this.q.lastSeq.get() as { seq: number }).seq;
    for (const row of this.q.loadPending.all() as {
      seq: number;
      id: string;
      cluster_id: string;
      deadline: number;
    }[]) {
      this.live.add({ seq: row.seq, id: row.id, clusterId: row.cluster_id, deadlineMs: row.deadline });
    }
  }

  private write<T>(run: () => T): Promise<T> {
    return this.commits.write(run);
  }

  private announceQueued(clusterId: string): void {
    if (this.unannounced.size === 0)
      this.commits.beforeCommit(() => {
        const clusters = [...this.unannounced];
        this.unannounced.clear();
        for (const cluster of clusters) this.listeners.emit({ type: "command", cluster_id: cluster });
      });
    this.unannounced.add(clusterId);
  }

  async ping(): Promise<void> {
    this.q.ping.get();
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.commits.close();
    // Unfinalized statements would keep the file (and its exclusive lock) open after close().
    for (const statement of [...Object.values(this.q), ...this.auditSelects.values()]) statement.finalize();
    this.db.close(true);
  }

  async putSession(session: Session): Promise<void> {
    const expiresAt = Date.parse(session.expires_at);
    const data = JSON.stringify(session);
    await this.write(() => this.q.putSession.run(session.session_id, session.cluster_id, data, expiresAt));
  }

  async getSession(sessionId: string): Promise<Session | null> {
    const row = this.q.getSession.get(sessionId, nowMs()) as { data: string } | null;
    return row ? (JSON.parse(row.data) as Session) : null;
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    return this.write(() => this.q.deleteSession.run(sessionId, nowMs()).changes > 0);
  }

  async countActiveSessions(nowMs: number): Promise<number> {
    return (this.q.countSessions.get(nowMs) as { n: number }).n;
  }

  async isClusterActive(clusterId: string, nowMs: number): Promise<boolean> {
    return this.q.clusterActive.get(clusterId, nowMs) !== null;
  }

  async createCluster(
    clusterId: string,
    tokenHash: string,
    opts: { replace: boolean; nowMs: number },
  ): Promise<CreateClusterOutcome> {
    return this.commits.writeAtomic((): CreateClusterOutcome => {
      this.clusters.delete(clusterId);
      const exists = this.q.getCluster.get(clusterId) !== null;
      if (exists && !opts.replace) return "exists";
      if (exists) {
        this.q.replaceToken.run(tokenHash, clusterId);
        return "replaced";
      }
      this.q.insertCluster.run(clusterId, tokenHash, opts.nowMs);
      return "created";
    });
  }

  async getCluster(clusterId: string): Promise<ClusterRecord | null> {
    const known = this.clusters.get(clusterId);
    if (known) return known;
    const row = this.q.getCluster.get(clusterId) as ClusterRow | null;
    if (!row) return null;
    const record = Object.freeze(toCluster(row));
    this.clusters.set(clusterId, record);
    return record;
  }

  async deleteCluster(clusterId: string): Promise<boolean> {
    const deleted = await this.write(() => {
      this.clusters.delete(clusterId);
      return this.q.deleteCluster.run(clusterId).changes > 0;
    });
    if (deleted) this.listeners.emit({ type: "revoked", cluster_id: clusterId });
    return deleted;
  }

  async setClusterLabels(clusterId: string, labels: Record<string, string>): Promise<boolean> {
    return this.write(() => {
      this.clusters.delete(clusterId);
      return this.q.setLabels.run(JSON.stringify(labels), clusterId).changes > 0;
    });
  }

  async listClusters(): Promise<ClusterRecord[]> {
    return (this.q.listClusters.all() as ClusterRow[]).map(toCluster);
  }

  async recordPresence(clusterId: string, presence: Presence): Promise<void> {
    await this.write(() => {
      this.clusters.delete(clusterId);
      return this.q.presence.run(
        presence.at_ms,
        presence.connected ? 1 : 0,
        presence.executor_version ?? null,
        presence.transport ?? null,
        clusterId,
        presence.connection,
        presence.policy !== undefined,
        presence.policy ? JSON.stringify(presence.policy) : null,
      );
    });
  }

  /**
   * The command is live (claimable) at once and its row commits with the rest of this turn's writes;
   * its cluster is told at the end of the turn, before the commit, so a claim then can send it to
   * its executor while the commit runs: the commit costs the caller no time. The promise still
   * resolves only once the row is committed, so an async operation's id is never handed out for a
   * command a restart would forget; a command whose commit fails is taken back (its caller gets the
   * error; an executor may already have run it, as a read).
   */
  async enqueue(command: Command): Promise<void> {
    const { command_id: id, cluster_id: clusterId, deadline_ms: deadlineMs } = command;
    if (this.live.entryOf(id) || this.q.commandExists.get(id))
      throw new Error(`command ${id} already exists`);
    const seq = ++this.lastSeq;
    const data = JSON.stringify(command);
    this.live.add({ seq, id, clusterId, deadlineMs, command });
    const committed = this.write(() => this.q.enqueue.run(seq, id, clusterId, deadlineMs, data));
    this.announceQueued(clusterId);
    try {
      await committed;
    } catch (error) {
      this.live.remove(id);
      throw error;
    }
  }

  async claim(
    clusterId: string,
    consumerId: string,
    max: number,
    leaseMs: number,
    nowMs: number,
  ): Promise<Command[]> {
    const { taken, late } = this.live.take(clusterId, consumerId, max, nowMs + leaseMs, nowMs);
    if (late.length > 0) await this.cancelLate(late);
    return taken.flatMap(({ seq, command }) => {
      if (command) return [command];
      const row = this.q.commandData.get(seq) as { data: string } | null;
      return row ? [JSON.parse(row.data) as Command] : [];
    });
  }

  async renewLeases(consumerId: string, leaseMs: number, nowMs: number): Promise<void> {
    this.live.renew(consumerId, nowMs + leaseMs);
  }

  async release(consumerId: string, nowMs: number): Promise<number> {
    return this.requeued(this.live.release(consumerId, nowMs));
  }

  async requeueExpired(nowMs: number): Promise<number> {
    return this.requeued(this.live.releaseExpired(nowMs));
  }

  /**
   * Announces released commands that went back to their queue and cancels late ones. They keep their
   * sequence number, so they go out before anything queued after them.
   */
  private async requeued({ taken, late }: Taken): Promise<number> {
    if (late.length > 0) await this.cancelLate(late);
    for (const cluster of new Set(taken.map((entry) => entry.clusterId))) {
      this.listeners.emit({ type: "command", cluster_id: cluster });
    }
    return taken.length;
  }

  private cancelLate(late: QueuedCommand[]): Promise<void> {
    return this.write(() => {
      for (const { seq } of late) this.q.cancelSeq.run(seq);
    });
  }

  async cancel(commandId: string): Promise<CommandState | null> {
    return this.write(() => {
      const row = this.q.commandInfo.get(commandId) as { state: CommandState } | null;
      if (!row) return null;
      const live = this.live.stateOf(commandId);
      if (live === "pending") {
        this.live.remove(commandId);
        this.q.cancel.run(commandId);
      }
      return live ?? row.state;
    });
  }

  /** Read as it will be once this turn commits: a command or result announced is found. */
  async commandInfo(commandId: string): Promise<CommandInfo | null> {
    const live = this.live.entryOf(commandId);
    if (live?.command) {
      const state = this.live.stateOf(commandId) ?? "pending";
      return { cluster_id: live.clusterId, state, deadline_ms: live.deadlineMs, command: live.command };
    }
    const row = this.q.commandInfo.get(commandId) as {
      cluster_id: string;
      state: CommandState;
      deadline: number;
      data: string;
    } | null;
    if (!row) return null;
    const command = JSON.parse(row.data) as Command;
    const answered = this.answering.has(commandId);
    const state = answered ? "done" : (this.live.stateOf(commandId) ?? row.state);
    return { cluster_id: row.cluster_id, state, deadline_ms: row.deadline, command };
  }

  async queueDepth(clusterId: string): Promise<number> {
    return this.live.depth(clusterId);
  }

  async takeToken(bucket: string, limit: RateLimit, nowMs: number): Promise<RateDecision> {
    // The same arithmetic as the Redis backend's TAKE_TOKEN script.
    const held = this.buckets.get(bucket);
    const atMs = held?.atMs ?? nowMs;
    const tokens = Math.min(
      limit.burst,
      (held?.tokens ?? limit.burst) + (Math.max(0, nowMs - atMs) * limit.perSecond) / 1000,
    );
    if (tokens < 1)
      return { allowed: false, retryAfterMs: Math.ceil(((1 - tokens) * 1000) / limit.perSecond) };
    const left = tokens - 1;
    const stamp = Math.max(atMs, nowMs);
    this.buckets.set(bucket, {
      tokens: left,
      atMs: stamp,
      fullAtMs: stamp + ((limit.burst - left) * 1000) / limit.perSecond,
    });
    return { allowed: true, retryAfterMs: 0 };
  }

  /**
   * A live command's first result is known to be stored from memory alone (a live command has no
   * result row), so its waiters are told at once and the insert commits with the rest of the turn:
   * the caller's answer does not wait for the commit. The promise (and so the executor's
   * acknowledgement) still waits for it; were the commit to fail, the command is live again and the
   * executor, unacknowledged, posts the result again.
   */
  async putResult(clusterId: string, result: CommandResult, ttlMs: number): Promise<PutResultOutcome> {
    const id = result.command_id;
    const data = JSON.stringify(result);
    const entry = this.live.entryOf(id);
    if (entry?.command) {
      if (entry.clusterId !== clusterId) return { status: "wrong_cluster" };
      // Taken out now, so no claim before the commit hands out an answered command.
      this.live.remove(id);
      const committed = this.write(() => {
        // OR IGNORE skips a row it cannot write as silently as a duplicate: here that is a failure.
        if (this.q.putResult.run(id, data, nowMs() + ttlMs).changes === 0)
          throw new Error(`the result of command ${id} could not be stored`);
      });
      this.answering.set(id, result);
      this.listeners.emit({ type: "result", command_id: id, result });
      try {
        await committed;
      } catch (error) {
        // Live again, read from its row from now on: a post again takes the path that checks the row.
        const { command: _, ...rebuilt } = entry;
        this.live.add(rebuilt);
        throw error;
      } finally {
        this.answering.delete(id);
      }
      return { status: "stored", command: entry.command };
    }
    const outcome = await this.write(() => this.storeResult(clusterId, id, data, nowMs() + ttlMs));
    if (outcome.status === "stored") this.listeners.emit({ type: "result", command_id: id, result });
    return outcome;
  }

  /**
   * The result's check and its one write, for a command not live with its object in memory (one
   * rebuilt at open, or already answered): read from its row. Its trigger marks the command done in
   * the same statement, which is atomic by itself: no savepoint is needed.
   */
  private storeResult(
    clusterId: string,
    commandId: string,
    data: string,
    expiresAt: number,
  ): PutResultOutcome {
    const entry = this.live.entryOf(commandId);
    let command = entry?.command;
    if (entry && entry.clusterId !== clusterId) return { status: "wrong_cluster" };
    if (!command) {
      const row = this.q.commandInfo.get(commandId) as { cluster_id: string; data: string } | null;
      if (!row) return { status: "unknown" };
      if (row.cluster_id !== clusterId) return { status: "wrong_cluster" };
      command = JSON.parse(row.data) as Command;
    }
    if (this.q.putResult.run(commandId, data, expiresAt).changes === 0)
      return { status: "duplicate", command };
    // Here rather than after the commit, so no claim in between can hand out an answered command.
    this.live.remove(commandId);
    return { status: "stored", command };
  }

  async getResult(commandId: string): Promise<CommandResult | null> {
    const answering = this.answering.get(commandId);
    if (answering) return answering;
    const row = this.q.getResult.get(commandId, nowMs()) as { data: string } | null;
    return row ? (JSON.parse(row.data) as CommandResult) : null;
  }

  async putOutputPart(
    commandId: string,
    stream: OutputStreamName,
    index: number,
    text: string,
    ttlMs: number,
  ): Promise<void> {
    await this.write(() => this.q.putOutputPart.run(commandId, stream, index, text, nowMs() + ttlMs));
  }

  async readOutputParts(
    commandId: string,
    stream: OutputStreamName,
    count: number,
  ): Promise<string[] | null> {
    const rows = this.q.readOutputParts.all(commandId, stream, count, nowMs()) as { data: string }[];
    return rows.length === count ? rows.map((row) => row.data) : null;
  }

  async dropOutputParts(commandId: string): Promise<void> {
    await this.write(() => this.q.dropOutputParts.run(commandId));
  }

  async createOperation(operation: Omit<OperationRecord, "outcome">, ttlMs: number): Promise<void> {
    const { command, callback_url } = operation;
    const data = JSON.stringify({ command, callback_url });
    await this.write(() => this.q.createOperation.run(command.command_id, data, nowMs() + ttlMs));
  }

  async getOperation(operationId: string): Promise<OperationRecord | null> {
    const row = this.q.getOperation.get(operationId, nowMs()) as {
      data: string;
      outcome: string | null;
    } | null;
    if (!row) return null;
    const { command, callback_url } = JSON.parse(row.data) as Omit<OperationRecord, "outcome">;
    return { command, callback_url, outcome: row.outcome === null ? null : JSON.parse(row.outcome) };
  }

  async completeOperation(operationId: string, outcome: OperationOutcome, ttlMs: number): Promise<boolean> {
    const now = nowMs();
    const data = JSON.stringify(outcome);
    return this.write(() => this.q.completeOperation.run(data, now + ttlMs, operationId, now).changes > 0);
  }

  /** One process owns the file and a transaction runs without interleaving: the chain cannot fork. */
  async appendAudit(records: AuditRecord[]): Promise<void> {
    await this.commits.writeAtomic(() => {
      const linked = linkAudit(records, this.q.auditHead.get() as AuditHead | null);
      let i = 0;
      for (; i + AUDIT_ROWS_AT_ONCE <= linked.length; i += AUDIT_ROWS_AT_ONCE) {
        this.q.appendAuditRows.run(...linked.slice(i, i + AUDIT_ROWS_AT_ONCE).flatMap(auditRow));
      }
      for (const entry of linked.slice(i)) this.q.appendAudit.run(...auditRow(entry));
      const last = linked.at(-1)?.entry;
      if (last) this.q.setAuditHead.run(last.seq, last.hash);
    });
  }

  async readAudit(query: AuditQuery): Promise<AuditPage> {
    const { sql, params } = auditSelect(query);
    let statement = this.auditSelects.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.auditSelects.set(sql, statement);
    }
    const rows = statement.all(...params) as { seq: number; data: string }[];
    const last = rows.at(-1);
    return {
      entries: rows.map((row) => JSON.parse(row.data) as AuditEntry),
      next_after: last && rows.length === query.limit ? last.seq : null,
      head: this.q.auditHead.get() as AuditHead | null,
    };
  }

  async sweep(nowMs: number): Promise<void> {
    for (const [name, bucket] of this.buckets) if (bucket.fullAtMs <= nowMs) this.buckets.delete(name);
    const late = this.live.dropLate(nowMs);
    if (late.length > 0) await this.cancelLate(late);
    await this.commits.writeAtomic(() => {
      this.q.sweepSessions.run(nowMs);
      this.q.sweepResults.run(nowMs);
      this.q.sweepOutputParts.run(nowMs);
      this.q.sweepOperations.run(nowMs);
      this.q.sweepCommands.run(nowMs);
    });
  }

  async announce(event: PassingEvent): Promise<void> {
    // One process holds the file: its own listeners are every listener there is.
    this.listeners.emit(event);
  }

  subscribe(listener: StoreListener): () => void {
    return this.listeners.subscribe(listener);
  }
}

const AUDIT_INSERT = "INSERT INTO audit (seq, at, cluster_id, identity, action, outcome, data) VALUES";
const AUDIT_VALUES = "(?, ?, ?, ?, ?, ?, ?)";
/**
 * Audit entries inserted by one statement where a batch has that many: a busy moment's batch holds
 * dozens, and one statement per 16 rows costs ~0.6 µs less an entry than one per row.
 */
const AUDIT_ROWS_AT_ONCE = 16;

/** The audit columns an equality filter may name, by AuditQuery field. */
const AUDIT_FILTERS = ["cluster_id", "identity", "action", "outcome"] as const;

/** The SELECT for an audit read: only the filters given, so SQLite picks the matching index. */
function auditSelect(query: AuditQuery): { sql: string; params: (string | number)[] } {
  const where = ["seq > ?"];
  const params: (string | number)[] = [query.after];
  for (const column of AUDIT_FILTERS) {
    const value = query[column];
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  if (query.from_ms !== undefined) {
    where.push("at >= ?");
    params.push(query.from_ms);
  }
  if (query.to_ms !== undefined) {
    where.push("at < ?");
    params.push(query.to_ms);
  }
  params.push(query.limit);
  return { sql: `SELECT seq, data FROM audit WHERE ${where.join(" AND ")} ORDER BY seq LIMIT ?`, params };
}

/**
 * Brings a file made by an older version up to date at open: columns added since, and the queue's
 * lease indexes dropped now that leases live in memory (a command leased when that process stopped
 * is simply pending again).
 */
function upgrade(db: Database): void {
  const columns = (db.prepare("PRAGMA table_info(clusters)").all() as { name: string }[]).map((c) => c.name);
  if (!columns.includes("connection")) db.exec("ALTER TABLE clusters ADD COLUMN connection TEXT");
  if (!columns.includes("labels")) db.exec("ALTER TABLE clusters ADD COLUMN labels TEXT");
  if (!columns.includes("policy")) db.exec("ALTER TABLE clusters ADD COLUMN policy TEXT");
  db.exec(`DROP INDEX IF EXISTS commands_queue; DROP INDEX IF EXISTS commands_consumer;
    DROP INDEX IF EXISTS commands_lease; UPDATE commands SET state = 'pending' WHERE state = 'inflight';`);
}

function prepare(db: Database) {
  const s = (sql: string): Statement => db.prepare(sql);
  return {
    ping: s("SELECT 1"),
    putSession: s("INSERT OR REPLACE INTO sessions (id, cluster_id, data, expires_at) VALUES (?, ?, ?, ?)"),
    getSession: s("SELECT data FROM sessions WHERE id = ? AND expires_at > ?"),
    deleteSession: s("DELETE FROM sessions WHERE id = ? AND expires_at > ?"),
    countSessions: s("SELECT count(*) AS n FROM sessions WHERE expires_at > ?"),
    clusterActive: s("SELECT 1 FROM sessions WHERE cluster_id = ? AND expires_at > ? LIMIT 1"),
    getCluster: s("SELECT * FROM clusters WHERE id = ?"),
    insertCluster: s("INSERT INTO clusters (id, token_hash, created_at) VALUES (?, ?, ?)"),
    replaceToken: s("UPDATE clusters SET token_hash = ? WHERE id = ?"),
    deleteCluster: s("DELETE FROM clusters WHERE id = ?"),
    listClusters: s("SELECT * FROM clusters ORDER BY id"),
    setLabels: s("UPDATE clusters SET labels = ? WHERE id = ?"),
    presence: s(
      `UPDATE clusters SET last_seen = ?1, connected = ?2, connection = ?6,
         executor_version = coalesce(?3, executor_version), transport = coalesce(?4, transport),
         policy = CASE WHEN ?7 THEN ?8 ELSE policy END
       WHERE id = ?5 AND (?2 = 1 OR connection IS NULL OR connection = ?6)`,
    ),
    enqueue: s(
      "INSERT INTO commands (seq, id, cluster_id, state, deadline, data) VALUES (?, ?, ?, 'pending', ?, ?)",
    ),
    commandExists: s("SELECT 1 FROM commands WHERE id = ?"),
    lastSeq: s("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'commands'), 0) AS seq"),
    loadPending: s("SELECT seq, id, cluster_id, deadline FROM commands WHERE state = 'pending' ORDER BY seq"),
    commandData: s("SELECT data FROM commands WHERE seq = ?"),
    cancelSeq: s("UPDATE commands SET state = 'cancelled' WHERE seq = ? AND state = 'pending'"),
    cancel: s("UPDATE commands SET state = 'cancelled' WHERE id = ? AND state = 'pending'"),
    commandInfo: s("SELECT cluster_id, state, deadline, data FROM commands WHERE id = ?"),
    putResult: s("INSERT OR IGNORE INTO results (command_id, data, expires_at) VALUES (?, ?, ?)"),
    getResult: s("SELECT data FROM results WHERE command_id = ? AND expires_at > ?"),
    putOutputPart: s(
      "INSERT OR REPLACE INTO output_parts (command_id, stream, idx, data, expires_at) VALUES (?, ?, ?, ?, ?)",
    ),
    readOutputParts: s(
      "SELECT data FROM output_parts WHERE command_id = ? AND stream = ? AND idx < ? AND expires_at > ? ORDER BY idx",
    ),
    dropOutputParts: s("DELETE FROM output_parts WHERE command_id = ?"),
    createOperation: s("INSERT INTO operations (id, data, expires_at) VALUES (?, ?, ?)"),
    getOperation: s("SELECT data, outcome FROM operations WHERE id = ? AND expires_at > ?"),
    completeOperation: s(
      "UPDATE operations SET outcome = ?, expires_at = ? WHERE id = ? AND outcome IS NULL AND expires_at > ?",
    ),
    auditHead: s("SELECT seq, hash FROM audit_head WHERE id = 1"),
    appendAudit: s(`${AUDIT_INSERT} ${AUDIT_VALUES}`),
    appendAuditRows: s(`${AUDIT_INSERT} ${Array(AUDIT_ROWS_AT_ONCE).fill(AUDIT_VALUES).join(", ")}`),
    setAuditHead: s(
      "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    ),
    sweepSessions: s("DELETE FROM sessions WHERE expires_at <= ?"),
    sweepResults: s("DELETE FROM results WHERE expires_at <= ?"),
    sweepOutputParts: s("DELETE FROM output_parts WHERE expires_at <= ?"),
    sweepOperations: s("DELETE FROM operations WHERE expires_at <= ?"),
    sweepCommands: s(`DELETE FROM commands WHERE deadline + ${COMMAND_RETENTION_MS} <= ?`),
  };
}
