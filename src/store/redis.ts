/**
 * Shared store on Redis (ioredis), so several API replicas can serve the same clusters. This file owns
 * the connections, error mapping and the Store methods; the key layout and the Lua scripts that make
 * each multi-key change atomic in one round trip live in redis-scripts.ts.
 *
 * A store holds exactly two connections whatever the load: one for commands (auto-pipelined, so
 * concurrent requests share round trips) and one subscribed to the `events` channel, whose messages
 * fan out in-process to `subscribe()` listeners (listeners.ts). Scripts publish events in the same
 * atomic step as the change, so every replica hears about every change. Through Sentinel
 * (redis-url.ts), each of the two also holds a subscription on every sentinel, to hear of a failover.
 */
import Redis, { type RedisOptions, ReplyError } from "ioredis";
import { log } from "../log";
import {
  type AuditEntry,
  type AuditHead,
  type AuditRecord,
  auditRow,
  type Command,
  type CommandResult,
  type ExecutorPolicy,
  type LinkedEntry,
  linkAudit,
  type OutputChunk,
  type OutputStreamName,
  type Session,
} from "../models";
import { Listeners } from "./listeners";
import { ReplicaAcks } from "./redis-acks";
import {
  APPEND_AUDIT,
  CANCEL,
  CLAIM,
  COMPLETE_OPERATION,
  CREATE_CLUSTER,
  CREATE_OPERATION,
  DELETE_CLUSTER,
  DELETE_SESSION,
  ENQUEUE,
  keyspace,
  LIST_CLUSTERS,
  PUT_RESULT,
  PUT_SESSION,
  READ_AUDIT,
  RECORD_PRESENCE,
  RELEASE,
  RENEW_LEASES,
  REQUEUE_EXPIRED,
  type Script,
  SET_LABELS,
  SWEEP,
  TAKE_TOKEN,
} from "./redis-scripts";
import { redisTarget } from "./redis-url";
import {
  type AuditPage,
  type AuditQuery,
  type ClusterRecord,
  COMMAND_RETENTION_MS,
  type CommandInfo,
  type CommandState,
  type CreateClusterOutcome,
  nowMs,
  type OperationOutcome,
  type OperationRecord,
  type PassingEvent,
  type Presence,
  type PutResultOutcome,
  type RateDecision,
  type RateLimit,
  RESULT_EVENT_MAX_BYTES,
  type Store,
  type StoreEvent,
  type StoreListener,
  StoreUnavailableError,
} from "./store";

/**
 * Fail fast instead of queueing: with Redis down a request gets StoreUnavailableError (503) at once,
 * or after `commandTimeout` when the server stops answering without closing the socket. Reconnection
 * keeps going in the background with a capped backoff, and ioredis resubscribes on its own.
 */
const CONNECTION_OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  enableAutoPipelining: true,
  retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
  // After a failover the old primary answers READONLY; reconnecting reaches the new one.
  reconnectOnError: (err) => err.message.startsWith("READONLY"),
};

/** Error replies that mean Redis is there but cannot serve now, as opposed to a bad request. */
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|OOM)\b/;

const CLUSTER_FIELDS = [
  "token_hash",
  "created_at",
  "last_seen",
  "connected",
  "executor_version",
  "transport",
  "labels",
  "policy",
] as const;

type Field = string | null | undefined;

/** A parked entry's record: the entry without its place in the chain, which it is given again. */
function unlinked(json: string): AuditRecord {
  const { seq: _seq, prev_hash: _prev, hash: _hash, ...record } = JSON.parse(json) as AuditEntry;
  return record;
}

/**
 * After its records were parked, how many lost races an append waits through for them to be linked.
 * Each race is won by someone, and from the second one on every contender links the whole parked list,
 * so two or three suffice; past this bound the records stay parked, safe in Redis, for the next append.
 */
const MAX_AUDIT_RACES = 100;
/** Most audit entries one filtered read scans (READ_AUDIT); a few ms of Redis time. */
const AUDIT_SCAN_BUDGET = 2_000;

/** Opens both connections and resolves once the event subscription is live, so no event is missed. */
export async function openRedisStore(url: string, prefix: string): Promise<Store> {
  const { options, waitReplicas } = redisTarget(url);
  const redis = new Redis({ ...CONNECTION_OPTIONS, ...options, connectionName: "kubently" });
  const subscriber = redis.duplicate({ connectionName: "kubently-events" });
  for (const [connection, role] of [
    [redis, "command"],
    [subscriber, "subscriber"],
  ] as const) {
    reportOutages(connection, role);
    reviveWhenEnded(connection);
  }
  const acks = waitReplicas > 0 ? new ReplicaAcks(redis, waitReplicas) : null;
  const store = new RedisStore(redis, subscriber, prefix, acks);
  try {
    await Promise.all([redis.connect(), subscriber.connect()]);
    await subscriber.subscribe(store.channel);
  } catch (err) {
    for (const connection of [redis, subscriber]) {
      closedOnPurpose.add(connection);
      connection.disconnect();
    }
    throw new StoreUnavailableError(err);
  }
  return store;
}

/**
 * Logs once when a connection goes down and once when it is back, rather than on every retry. Only
 * error messages are logged: ioredis puts host and port in them, never the URL's password.
 */
function reportOutages(connection: Redis, role: string): void {
  let down = false;
  const lost = (reason: string) => {
    if (down) return;
    down = true;
    log.warn("redis store connection down; reconnecting", { connection: role, reason });
  };
  // Also keeps ioredis from printing an "unhandled error event" for every failed retry.
  connection.on("error", (err: Error) => lost(err.message));
  connection.on("reconnecting", () => lost("connection closed"));
  connection.on("ready", () => {
    if (!down) return;
    down = false;
    log.warn("redis store connection restored", { connection: role });
  });
}

function isUnavailable(err: unknown): boolean {
  return err instanceof ReplyError ? UNAVAILABLE_REPLY.test((err as Error).message) : true;
}

/** An event as published: a result event may carry the result as a JSON string in `data`. */
type WireEvent = StoreEvent | { type: "result"; command_id: string; data?: string };

function toStoreEvent(event: WireEvent): StoreEvent {
  if (event.type !== "result" || !("data" in event) || event.data === undefined) return event;
  try {
    return { type: "result", command_id: event.command_id, result: JSON.parse(event.data) as CommandResult };
  } catch {
    // Waiters still hear of it, and read the result from the store.
    return { type: "result", command_id: event.command_id };
  }
}

function isEvent(value: unknown): value is WireEvent {
  if (typeof value !== "object" || value === null) return false;
  const event = value as Record<string, unknown>;
  if (event.type === "result") {
    return (
      typeof event.command_id === "string" && (event.data === undefined || typeof event.data === "string")
    );
  }
  if (typeof event.cluster_id !== "string") return false;
  if (event.type === "cancel") return typeof event.command_id === "string";
  if (event.type === "chunk") return isChunk(event.chunk);
  return event.type === "command" || event.type === "revoked";
}

function isChunk(value: unknown): value is OutputChunk {
  if (typeof value !== "object" || value === null) return false;
  const chunk = value as Record<string, unknown>;
  return (
    typeof chunk.command_id === "string" &&
    (chunk.stream === "stdout" || chunk.stream === "stderr") &&
    typeof chunk.text === "string"
  );
}

function toCluster(clusterId: string, fields: Field[]): ClusterRecord | null {
  const [tokenHash, createdAt, lastSeen, connected, executorVersion, transport, labels, policy] = fields;
  if (tokenHash == null || createdAt == null) return null;
  return {
    cluster_id: clusterId,
    token_hash: tokenHash,
    created_at_ms: Number(createdAt),
    last_seen_ms: lastSeen == null ? null : Number(lastSeen),
    connected: connected === "1",
    executor_version: executorVersion ?? null,
    transport: transport ?? null,
    labels: labels == null ? {} : (JSON.parse(labels) as Record<string, string>),
    // "" is how a connection that reported no policy clears an earlier one.
    policy: policy ? (JSON.parse(policy) as ExecutorPolicy) : null,
  };
}

/** How soon a connection ioredis gave up on is connected again. */
const REVIVE_AFTER_MS = 1_000;
const closedOnPurpose = new WeakSet<Redis>();

/**
 * ioredis gives a connection up for good ("end") when its connector fails outright, as a Sentinel
 * lookup cut short by the failover detector does (redis/ioredis#1683), or a round of lookups where
 * no sentinel answered: every call would then fail with "Connection is closed." for the life of the
 * process. Connect it again every second until it is ready, unless it was closed on purpose (said
 * once per outage); a subscriber resubscribes once ready, as after any reconnection.
 */
function reviveWhenEnded(connection: Redis): void {
  let said = false;
  connection.on("ready", () => {
    said = false;
  });
  connection.on("end", () => {
    if (closedOnPurpose.has(connection)) return;
    if (!said)
      log.warn("redis store connection given up by the client; connecting again", {
        every_ms: REVIVE_AFTER_MS,
      });
    said = true;
    setTimeout(() => {
      if (!closedOnPurpose.has(connection)) connection.connect().catch(() => undefined);
    }, REVIVE_AFTER_MS).unref();
  });
}

/** Closes politely when possible, then drops what is left; a closed connection is never revived. */
async function quit(connection: Redis): Promise<void> {
  closedOnPurpose.add(connection);
  await connection.quit().catch(() => undefined);
  // QUIT leaves open what the connector holds besides the connection: through Sentinel, the
  // failover detector's subscriptions, which would otherwise reconnect after the store is closed.
  connection.disconnect();
}

class RedisStore implements Store {
  readonly kind = "redis" as const;
  readonly channel: string;
  unavailableErrors = 0;
  private readonly keys: ReturnType<typeof keyspace>;
  private readonly listeners = new Listeners();
  /** The audit head and parked list as of this store's last append or lost race: what to link after. */
  private auditHead: AuditHead | null = null;
  private auditParked: string[] = [];
  /** This store's audit appends, one after another, so they never race each other, only other replicas. */
  private auditAppends: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    /** Set when writes must reach replicas before they count (redis-acks.ts). */
    private readonly acks: ReplicaAcks | null,
  ) {
    this.keys = keyspace(prefix);
    this.channel = this.keys.events;
    subscriber.on("message", (channel: string, message: string) => {
      if (channel === this.channel) this.dispatch(message);
    });
  }

  private dispatch(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    if (!isEvent(parsed)) return;
    this.listeners.emit(toStoreEvent(parsed));
  }

  /** Runs one Redis call, turning connection trouble into StoreUnavailableError. */
  private async call<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      this.unavailableErrors++;
      throw new StoreUnavailableError(err);
    }
  }

  /** A write's reply, once the replicas asked for have it. */
  private written<T>(work: Promise<T>): Promise<T> {
    return this.acks ? this.acks.after(work) : work;
  }

  /** EVALSHA, falling back to EVAL once when Redis lost its script cache (restart, failover). */
  private run(script: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.call(
      this.written(
        this.redis.evalsha(script.sha, keys.length, ...keys, ...args).catch((err: unknown) => {
          if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
          return this.redis.eval(script.lua, keys.length, ...keys, ...args);
        }),
      ),
    );
  }

  async ping(): Promise<void> {
    await this.call(this.redis.ping());
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([quit(this.redis), quit(this.subscriber)]);
  }

  async putSession(session: Session): Promise<void> {
    await this.run(
      PUT_SESSION,
      [this.keys.session(session.session_id), this.keys.sessions],
      [
        this.prefix,
        session.session_id,
        session.cluster_id,
        JSON.stringify(session),
        Date.parse(session.expires_at),
        nowMs(),
      ],
    );
  }

  async getSession(sessionId: string): Promise<Session | null> {
    const data = await this.call(this.redis.hget(this.keys.session(sessionId), "data"));
    return data === null ? null : (JSON.parse(data) as Session);
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    const deleted = await this.run(
      DELETE_SESSION,
      [this.keys.session(sessionId), this.keys.sessions],
      [this.prefix, sessionId],
    );
    return deleted === 1;
  }

  async countActiveSessions(nowMs: number): Promise<number> {
    return this.call(this.redis.zcount(this.keys.sessions, `(${nowMs}`, "+inf"));
  }

  async isClusterActive(clusterId: string, nowMs: number): Promise<boolean> {
    const live = await this.call(
      this.redis.zcount(this.keys.clusterSessions(clusterId), `(${nowMs}`, "+inf"),
    );
    return live > 0;
  }

  async createCluster(
    clusterId: string,
    tokenHash: string,
    opts: { replace: boolean; nowMs: number },
  ): Promise<CreateClusterOutcome> {
    const outcome = await this.run(
      CREATE_CLUSTER,
      [this.keys.cluster(clusterId), this.keys.clusters],
      [clusterId, tokenHash, opts.replace ? "1" : "0", opts.nowMs],
    );
    return outcome as CreateClusterOutcome;
  }

  async getCluster(clusterId: string): Promise<ClusterRecord | null> {
    const fields = await this.call(this.redis.hmget(this.keys.cluster(clusterId), ...CLUSTER_FIELDS));
    return toCluster(clusterId, fields);
  }

  async deleteCluster(clusterId: string): Promise<boolean> {
    const deleted = await this.run(
      DELETE_CLUSTER,
      [this.keys.cluster(clusterId), this.keys.clusters],
      [clusterId, this.channel],
    );
    return deleted === 1;
  }

  async listClusters(): Promise<ClusterRecord[]> {
    const [ids, rows] = (await this.run(
      LIST_CLUSTERS,
      [this.keys.clusters],
      [this.prefix, ...CLUSTER_FIELDS],
    )) as [string[], Field[][]];
    return ids.flatMap((id, i) => toCluster(id, rows[i] ?? []) ?? []);
  }

  async setClusterLabels(clusterId: string, labels: Record<string, string>): Promise<boolean> {
    return (await this.run(SET_LABELS, [this.keys.cluster(clusterId)], [JSON.stringify(labels)])) === 1;
  }

  async recordPresence(clusterId: string, presence: Presence): Promise<void> {
    // Fields left out keep their previous value, like the SQL coalesce in the sqlite backend.
    const fields: string[] = [
      presence.connection,
      presence.connected ? "1" : "0",
      "last_seen",
      String(presence.at_ms),
      "connected",
      presence.connected ? "1" : "0",
    ];
    if (presence.executor_version != null) fields.push("executor_version", presence.executor_version);
    if (presence.transport != null) fields.push("transport", presence.transport);
    if (presence.policy !== undefined) {
      fields.push("policy", presence.policy === null ? "" : JSON.stringify(presence.policy));
    }
    await this.run(RECORD_PRESENCE, [this.keys.cluster(clusterId)], fields);
  }

  async enqueue(command: Command): Promise<void> {
    const k = this.keys;
    await this.run(
      ENQUEUE,
      [
        k.command(command.command_id),
        k.queue(command.cluster_id),
        k.deadlines(command.cluster_id),
        k.queues,
        k.commandSeq,
      ],
      [
        command.command_id,
        command.cluster_id,
        command.deadline_ms,
        JSON.stringify(command),
        command.deadline_ms + COMMAND_RETENTION_MS,
        this.channel,
      ],
    );
  }

  async claim(
    clusterId: string,
    consumerId: string,
    max: number,
    leaseMs: number,
    nowMs: number,
  ): Promise<Command[]> {
    if (max <= 0) return [];
    const k = this.keys;
    const claimed = (await this.run(
      CLAIM,
      [k.queue(clusterId), k.deadlines(clusterId), k.leases, k.consumer(consumerId)],
      [this.prefix, consumerId, max, nowMs + leaseMs, nowMs, leaseMs + COMMAND_RETENTION_MS],
    )) as string[];
    return claimed.map((data) => JSON.parse(data) as Command);
  }

  async renewLeases(consumerId: string, leaseMs: number, nowMs: number): Promise<void> {
    await this.run(
      RENEW_LEASES,
      [this.keys.consumer(consumerId), this.keys.leases],
      [nowMs + leaseMs, leaseMs + COMMAND_RETENTION_MS],
    );
  }

  async release(consumerId: string, nowMs: number): Promise<number> {
    const back = await this.run(
      RELEASE,
      [this.keys.consumer(consumerId), this.keys.leases],
      [this.prefix, consumerId, nowMs, this.channel],
    );
    return back as number;
  }

  async requeueExpired(nowMs: number): Promise<number> {
    const back = await this.run(REQUEUE_EXPIRED, [this.keys.leases], [this.prefix, nowMs, this.channel]);
    return back as number;
  }

  async cancel(commandId: string): Promise<CommandState | null> {
    const state = await this.run(CANCEL, [this.keys.command(commandId)], [this.prefix, commandId]);
    return (state as CommandState | null) ?? null;
  }

  async commandInfo(commandId: string): Promise<CommandInfo | null> {
    const [cluster, state, deadline, data] = await this.call(
      this.redis.hmget(this.keys.command(commandId), "cluster", "state", "deadline", "data"),
    );
    if (cluster == null || state == null || deadline == null || data == null) return null;
    return {
      cluster_id: cluster,
      state: state as CommandState,
      deadline_ms: Number(deadline),
      command: JSON.parse(data) as Command,
    };
  }

  async queueDepth(clusterId: string): Promise<number> {
    return this.call(this.redis.zcard(this.keys.queue(clusterId)));
  }

  async takeToken(bucket: string, limit: RateLimit, nowMs: number): Promise<RateDecision> {
    const [allowed, retryAfterMs] = (await this.run(
      TAKE_TOKEN,
      [this.keys.rate(bucket)],
      [limit.perSecond, limit.burst, nowMs],
    )) as [number, number];
    return { allowed: allowed === 1, retryAfterMs };
  }

  async putResult(clusterId: string, result: CommandResult, ttlMs: number): Promise<PutResultOutcome> {
    const [status, data] = (await this.run(
      PUT_RESULT,
      [this.keys.result(result.command_id), this.keys.command(result.command_id), this.keys.leases],
      [
        this.prefix,
        result.command_id,
        JSON.stringify(result),
        Math.max(1, Math.ceil(ttlMs)),
        this.channel,
        RESULT_EVENT_MAX_BYTES,
        clusterId,
      ],
    )) as [PutResultOutcome["status"], string | undefined];
    if (status === "unknown" || status === "wrong_cluster") return { status };
    return { status, command: JSON.parse(data as string) as Command } as PutResultOutcome;
  }

  async getResult(commandId: string): Promise<CommandResult | null> {
    const data = await this.call(this.redis.get(this.keys.result(commandId)));
    return data === null ? null : (JSON.parse(data) as CommandResult);
  }

  async putOutputPart(
    commandId: string,
    stream: OutputStreamName,
    index: number,
    text: string,
    ttlMs: number,
  ): Promise<void> {
    const key = this.keys.outputParts(commandId, stream);
    await this.call(
      this.written(this.redis.multi().hset(key, String(index), text).pexpire(key, ttlMs).exec()),
    );
  }

  async readOutputParts(
    commandId: string,
    stream: OutputStreamName,
    count: number,
  ): Promise<string[] | null> {
    const indexes = Array.from({ length: count }, (_, index) => String(index));
    const parts = await this.call(this.redis.hmget(this.keys.outputParts(commandId, stream), ...indexes));
    return parts.every((part) => part !== null) ? (parts as string[]) : null;
  }

  async dropOutputParts(commandId: string): Promise<void> {
    await this.call(
      this.redis.del(this.keys.outputParts(commandId, "stdout"), this.keys.outputParts(commandId, "stderr")),
    );
  }

  async createOperation(operation: Omit<OperationRecord, "outcome">, ttlMs: number): Promise<void> {
    const { command, callback_url } = operation;
    await this.run(
      CREATE_OPERATION,
      [this.keys.operation(command.command_id)],
      [JSON.stringify({ command, callback_url }), Math.max(1, Math.ceil(ttlMs))],
    );
  }

  async getOperation(operationId: string): Promise<OperationRecord | null> {
    const [data, outcome] = await this.call(
      this.redis.hmget(this.keys.operation(operationId), "data", "outcome"),
    );
    if (data == null) return null;
    const { command, callback_url } = JSON.parse(data) as Omit<OperationRecord, "outcome">;
    return { command, callback_url, outcome: outcome == null ? null : JSON.parse(outcome) };
  }

  async completeOperation(operationId: string, outcome: OperationOutcome, ttlMs: number): Promise<boolean> {
    const stored = await this.run(
      COMPLETE_OPERATION,
      [this.keys.operation(operationId)],
      [JSON.stringify(outcome), Math.max(1, Math.ceil(ttlMs))],
    );
    return stored === 1;
  }

  /**
   * Redis has no SHA-256 for a script to link entries with, so they are linked here, after the head
   * this store last saw, and stored by a compare-and-set on that head (APPEND_AUDIT): the head check,
   * the writes and the head's move are one script, one atomic step, so the chain never forks. Losing
   * the race to another replica parks the records in Redis, in the same step: from then on whichever
   * replica appends next links them first, so no replica can be starved by busier ones. This store's
   * appends run one at a time, so they race only other replicas, and it resolves once its records are
   * linked (by itself or by another replica).
   */
  appendAudit(records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const appended = this.auditAppends.then(() => this.linkAndAppend(records));
    this.auditAppends = appended.catch(() => {});
    return appended;
  }

  private async linkAndAppend(records: AuditRecord[]): Promise<void> {
    const ours = new Set(records.map((record) => record.id));
    let fresh = records;
    for (let race = 0; race < MAX_AUDIT_RACES; race++) {
      const parked = this.auditParked.map(unlinked);
      if (fresh.length === 0 && !parked.some((record) => ours.has(record.id))) return;
      const linked = linkAudit([...parked, ...fresh], this.auditHead);
      const last = (linked.at(-1) as LinkedEntry).entry;
      const fields = linked.flatMap(auditRow);
      const reply = await this.run(
        APPEND_AUDIT,
        [this.keys.audit, this.keys.auditHead, this.keys.auditParked],
        [this.auditHead?.seq ?? 0, this.auditHead?.hash ?? "", parked.length, last.seq, last.hash, ...fields],
      );
      if (reply === 1) {
        this.auditHead = { seq: last.seq, hash: last.hash };
        this.auditParked = [];
        return;
      }
      const [seq, hash, parkedNow] = reply as [string, string, string[]];
      this.auditHead = seq === "0" ? null : { seq: Number(seq), hash };
      this.auditParked = parkedNow;
      fresh = [];
    }
  }

  async readAudit(query: AuditQuery): Promise<AuditPage> {
    const filter = (value: string | number | undefined) => (value === undefined ? "" : value);
    const [entries, next, headSeq, headHash] = (await this.run(
      READ_AUDIT,
      [this.keys.audit, this.keys.auditHead],
      [
        query.after,
        query.limit,
        AUDIT_SCAN_BUDGET,
        filter(query.cluster_id),
        filter(query.identity),
        filter(query.action),
        filter(query.outcome),
        filter(query.from_ms),
        filter(query.to_ms),
      ],
    )) as [string[], string, string, string];
    return {
      entries: entries.map((data) => JSON.parse(data) as AuditEntry),
      next_after: next === "" ? null : Number(next),
      head: headSeq === "" ? null : { seq: Number(headSeq), hash: headHash },
    };
  }

  async sweep(nowMs: number): Promise<void> {
    await this.run(
      SWEEP,
      [this.keys.sessions, this.keys.queues],
      [this.prefix, nowMs, nowMs - COMMAND_RETENTION_MS],
    );
  }

  async announce(event: PassingEvent): Promise<void> {
    // Heard back on the events channel by this replica too, in the order published.
    await this.call(this.redis.publish(this.channel, JSON.stringify(event)));
  }

  subscribe(listener: StoreListener): () => void {
    return this.listeners.subscribe(listener);
  }
}
