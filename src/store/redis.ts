/**
 * Shared store on Redis (ioredis), so several API replicas can serve the same clusters: one Redis (or
 * one behind Sentinel), or a Redis Cluster. This file owns the connections, error mapping and the
 * Store methods; the key layout and the Lua scripts that make each multi-key change atomic in one
 * round trip live in redis-scripts.ts, the same for every mode.
 *
 * A store holds a fixed number of connections whatever the load. On one Redis: two, one for commands
 * (auto-pipelined, so concurrent requests share round trips) and one subscribed to every shard's
 * `events` channel. On a Redis Cluster: ioredis' cluster client, with one command connection per node
 * (to replicas only to read the slot map) and one sharded-subscriber connection per primary. Events
 * fan out in-process to `subscribe()` listeners (listeners.ts). Scripts publish events in the same
 * atomic step as the change, so every replica hears about every change while subscribed; when Redis
 * drops a subscription, redis-resubscribe.ts subscribes again and has listeners look for what they
 * missed. Through Sentinel (redis-url.ts), each of the two connections also holds a subscription on
 * every sentinel, to hear of a failover.
 */
import Redis, { type Cluster, type ClusterOptions, type RedisOptions, ReplyError } from "ioredis";
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
import { followSubscriptions, type Resubscribing, resubscribeOnReconnect } from "./redis-resubscribe";
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
  type Located,
  MIGRATE_LAYOUT,
  PUT_RESULT,
  PUT_SESSION,
  READ_AUDIT,
  RECORD_PRESENCE,
  RELEASE,
  RENEW_LEASES,
  REQUEUE_EXPIRED,
  type Script,
  SET_LABELS,
  SHARDS,
  type ShardKeys,
  SWEEP,
  TAKE_TOKEN,
  WITHDRAW,
} from "./redis-scripts";
import { type ClusterTarget, type RedisTarget, redisTarget } from "./redis-url";
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
  StoreUrlError,
} from "./store";

/**
 * Fail fast instead of queueing: with Redis down a request gets StoreUnavailableError (503) at once,
 * or after `commandTimeout` when the server stops answering without closing the socket. Reconnection
 * keeps going in the background with a capped backoff; the subscriber then subscribes again
 * (redis-resubscribe.ts, not ioredis' autoResubscribe, so the store knows when it is done).
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

/**
 * On a Redis Cluster, the same fail-fast stance. Replies saying a call did not run (MOVED, ASK,
 * TRYAGAIN while a slot migrates, CLUSTERDOWN while a replica takes over) are retried by ioredis for
 * up to maxRedirections × 100 ms, then fail (503). A call whose connection closed may have run, so it
 * is never resent (retryDelayOnFailover 0): the caller gets 503, never a second run's answer.
 */
const CLUSTER_OPTIONS: ClusterOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  // Not auto-pipelined: ioredis groups an auto-pipeline by the slot map when the call is made and
  // fails it whole when the map changed by the time it is sent, as it does all through a resharding.
  enableAutoPipelining: false,
  shardedSubscribers: true,
  retryDelayOnFailover: 0,
  retryDelayOnTryAgain: 100,
  retryDelayOnClusterDown: 100,
  maxRedirections: 16,
  slotsRefreshTimeout: 2_000,
  // A moved slot is otherwise noticed at the next MOVED reply, and its channel resubscribed only then.
  slotsRefreshInterval: 5_000,
  clusterRetryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
};

/** Error replies that mean Redis is there but cannot serve now, as opposed to a bad request. */
const UNAVAILABLE_REPLY =
  /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|OOM|MOVED|ASK)\b|Script attempted to (access a non local key|execute a (write )?command while the cluster is down)/;

/** ioredis' client for one Redis or for a Redis Cluster: the store uses what both offer. */
type Client = Redis | Cluster;

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

/**
 * Opens the store a redis://, rediss://, redis+sentinel://, rediss+sentinel://, redis+cluster:// or
 * rediss+cluster:// URL names (redisTarget reads which); every mode has the same sharded key layout.
 */
export async function openRedisStore(url: string, prefix: string): Promise<Store> {
  checkPrefix(prefix);
  const target = redisTarget(url);
  return target.kind === "cluster" ? openCluster(target, prefix) : openSingle(target, prefix);
}

/**
 * One Redis, or the primary Sentinel names: two connections, both connected again if ioredis gives
 * them up (reviveWhenEnded), the subscriber subscribing again after every reconnection.
 */
async function openSingle({ options, waitReplicas }: RedisTarget, prefix: string): Promise<Store> {
  const redis = new Redis({ ...CONNECTION_OPTIONS, ...options, connectionName: "kubently" });
  const subscriber = redis.duplicate({ connectionName: "kubently-events", autoResubscribe: false });
  reviveWhenEnded(redis);
  reviveWhenEnded(subscriber);
  const acks = waitReplicas > 0 ? new ReplicaAcks(redis, waitReplicas) : null;
  const store = await openOn(redis, subscriber, prefix, acks, true);
  resubscribeOnReconnect(subscriber, store);
  return store;
}

/**
 * Opens ioredis' cluster client on the nodes the URL names (it finds the others). There is nothing
 * to migrate: the layout before shards could not run on a Redis Cluster. No WAIT either: the URL
 * refuses wait_replicas (redis-url.ts).
 */
async function openCluster({ nodes, options }: ClusterTarget, prefix: string): Promise<Store> {
  const cluster = new Redis.Cluster(nodes, {
    ...CLUSTER_OPTIONS,
    redisOptions: {
      connectTimeout: CONNECTION_OPTIONS.connectTimeout,
      commandTimeout: CONNECTION_OPTIONS.commandTimeout,
      maxRetriesPerRequest: 0,
      connectionName: "kubently",
      ...options,
    },
  });
  const store = await openOn(cluster, cluster, prefix, null, false);
  followSubscriptions(cluster, store);
  return store;
}

/** Resolves once every shard's event subscription is live, so no event is missed. */
async function openOn(
  redis: Client,
  subscriber: Client,
  prefix: string,
  acks: ReplicaAcks | null,
  migrate: boolean,
): Promise<RedisStore> {
  const clients = redis === subscriber ? [redis] : [redis, subscriber];
  reportOutages(redis, "command");
  if (subscriber !== redis) reportOutages(subscriber, "subscriber");
  const store = new RedisStore(redis, subscriber, prefix, acks);
  try {
    await Promise.all(clients.map((client) => client.connect()));
    if (migrate) await store.migrateLayout();
    await store.listen();
  } catch (err) {
    for (const client of clients) {
      closedOnPurpose.add(client);
      client.disconnect();
    }
    throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError(err);
  }
  return store;
}

/** A hash tag in the prefix would put every key in one slot, or split what must stay together. */
function checkPrefix(prefix: string): void {
  if (/[{}]/.test(prefix)) {
    throw new StoreUrlError("the Redis key prefix may not contain { or }: Kubently puts its hash tags there");
  }
}

/**
 * Logs once when a connection goes down and once when it is back, rather than on every retry. Only
 * error messages are logged: ioredis puts host and port in them, never the URL's password.
 */
function reportOutages(connection: Client, role: string): void {
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

/**
 * An event as published. A result event may carry its result: as an object (`result`), or as a JSON
 * string (`data`) from a replica of an earlier version, heard during a rolling upgrade.
 */
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
      typeof event.command_id === "string" &&
      (event.data === undefined || typeof event.data === "string") &&
      (event.result === undefined || (typeof event.result === "object" && event.result !== null))
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
const closedOnPurpose = new WeakSet<Client>();

/**
 * ioredis gives a connection up for good ("end") when its connector fails outright, as a Sentinel
 * lookup cut short by the failover detector does (redis/ioredis#1683), or a round of lookups where
 * no sentinel answered: every call would then fail with "Connection is closed." for the life of the
 * process. Connect it again every second until it is ready, unless it was closed on purpose (said
 * once per outage); a subscriber resubscribes once ready, as after any reconnection
 * (redis-resubscribe.ts). A Redis Cluster client is never given up: its retry strategy never stops.
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
async function quit(connection: Client): Promise<void> {
  closedOnPurpose.add(connection);
  await connection.quit().catch(() => undefined);
  // QUIT leaves open what the connector holds besides the connection: through Sentinel, the
  // failover detector's subscriptions, which would otherwise reconnect after the store is closed.
  connection.disconnect();
}

/** Byte order, as Redis sorts a zset's equal-scored members, whatever shard they came from. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Bounds a resubscription: one sent to a node that no longer serves the channel's slot gets MOVED,
 * which ioredis turns into a slot refresh without ever settling the call.
 */
const RESUBSCRIBE_TIMEOUT_MS = 1_000;

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

class RedisStore implements Store, Resubscribing {
  readonly kind = "redis" as const;
  unavailableErrors = 0;
  private readonly keys: ReturnType<typeof keyspace>;
  readonly channels: Set<string>;
  private readonly listeners = new Listeners();
  /** The audit head and parked list as of this store's last append or lost race: what to link after. */
  private auditHead: AuditHead | null = null;
  private auditParked: string[] = [];
  /** This store's audit appends, one after another, so they never race each other, only other replicas. */
  private auditAppends: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Client,
    private readonly subscriber: Client,
    private readonly prefix: string,
    /** Set when writes must reach replicas before they count (redis-acks.ts). */
    private readonly acks: ReplicaAcks | null,
  ) {
    this.keys = keyspace(prefix);
    this.channels = new Set(this.keys.shards.map((shard) => shard.events));
    subscriber.on("smessage", (channel: string, message: string) => {
      if (this.channels.has(channel)) this.dispatch(message);
    });
  }

  /** Subscribes to every shard's channel; on a cluster ioredis sends each to its slot's primary. */
  async listen(): Promise<void> {
    await this.call(Promise.all([...this.channels].map((channel) => this.subscriber.ssubscribe(channel))));
  }

  /** Subscribes to the channels again; once Redis confirmed, listeners look for what they missed. */
  async resubscribe(channels: string[]): Promise<void> {
    await this.call(
      Promise.all(
        channels.map((channel) => bounded(this.subscriber.ssubscribe(channel), RESUBSCRIBE_TIMEOUT_MS)),
      ),
    );
    this.listeners.emit({ type: "resubscribed" });
  }

  /** Moves an older single-Redis layout's durable records into this one (MIGRATE_LAYOUT). */
  async migrateLayout(): Promise<void> {
    // No WAIT (wait_replicas), so a store opens while replicas lag: the move is one script, which a
    // replica has whole or not at all, and a replica promoted without it still holds the earlier
    // layout, which the next open moves.
    const [clusters, sessions, audit, left] = (await this.call(
      this.evaluate(MIGRATE_LAYOUT, [], [this.prefix, SHARDS]),
    )) as [number, number, number, number];
    if (clusters + sessions + audit > 0) {
      log.info("redis store moved records to the sharded key layout", { clusters, sessions, audit });
    }
    if (left === 1) {
      log.warn("redis store left an older audit trail in place: the sharded layout already has one", {
        key: `${this.prefix}audit`,
      });
    }
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

  /**
   * Runs one Redis call, turning connection trouble into StoreUnavailableError. A rejection handler
   * rather than an async function: every call of every command goes through here.
   */
  private call<T>(work: Promise<T>): Promise<T> {
    return work.catch((err: unknown) => {
      if (!isUnavailable(err)) throw err;
      this.unavailableErrors++;
      throw new StoreUnavailableError(err);
    });
  }

  /** A write's reply, once the replicas asked for have it. */
  private written<T>(work: Promise<T>): Promise<T> {
    return this.acks ? this.acks.after(work) : work;
  }

  /** EVALSHA, falling back to EVAL once when Redis lost its script cache (restart, failover). */
  private run(script: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.call(this.written(this.evaluate(script, keys, args)));
  }

  /** The script's reply, not waiting for replicas (run() does, for every write the store answers). */
  private evaluate(script: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.redis.evalsha(script.sha, keys.length, ...keys, ...args).catch((err: unknown) => {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      return this.redis.eval(script.lua, keys.length, ...keys, ...args);
    });
  }

  /** The shard a locator points at, or null when the record it locates is unknown (or expired). */
  private async locate(kind: Located, id: string): Promise<ShardKeys | null> {
    const shard = await this.call(this.redis.get(this.keys.locator(kind, id)));
    return shard === null ? null : (this.keys.shards[Number(shard)] ?? null);
  }

  /** Runs the same call on every shard (whole-store reads and sweeps), all sent at once. */
  private everyShard<T>(work: (shard: ShardKeys) => Promise<T>): Promise<T[]> {
    return Promise.all(this.keys.shards.map(work));
  }

  async ping(): Promise<void> {
    await this.call(this.redis.ping());
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([...new Set([this.redis, this.subscriber])].map(quit));
  }

  async putSession(session: Session): Promise<void> {
    const shard = this.keys.of(session.cluster_id);
    const expiresAt = Date.parse(session.expires_at);
    // SET … GET: a session moved to a cluster of another shard leaves its old shard first.
    const before = await this.call(
      this.redis.set(
        this.keys.locator("session", session.session_id),
        shard.number,
        "PXAT",
        Math.max(1, expiresAt),
        "GET",
      ),
    );
    const old = before === null ? undefined : this.keys.shards[Number(before)];
    if (old && old !== shard) await this.dropSession(old, session.session_id);
    await this.run(
      PUT_SESSION,
      [shard.session(session.session_id), shard.sessions, shard.absent],
      [shard.tag, session.session_id, session.cluster_id, JSON.stringify(session), expiresAt, nowMs()],
    );
  }

  async getSession(sessionId: string): Promise<Session | null> {
    const shard = await this.locate("session", sessionId);
    if (!shard) return null;
    const data = await this.call(this.redis.hget(shard.session(sessionId), "data"));
    return data === null ? null : (JSON.parse(data) as Session);
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    const shard = await this.locate("session", sessionId);
    return shard !== null && (await this.dropSession(shard, sessionId));
  }

  private async dropSession(shard: ShardKeys, sessionId: string): Promise<boolean> {
    const deleted = await this.run(
      DELETE_SESSION,
      [shard.session(sessionId), shard.sessions, shard.absent],
      [shard.tag, sessionId],
    );
    return deleted === 1;
  }

  async countActiveSessions(nowMs: number): Promise<number> {
    const counts = await this.everyShard((shard) =>
      this.call(this.redis.zcount(shard.sessions, `(${nowMs}`, "+inf")),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async isClusterActive(clusterId: string, nowMs: number): Promise<boolean> {
    const live = await this.call(
      this.redis.zcount(this.keys.of(clusterId).clusterSessions(clusterId), `(${nowMs}`, "+inf"),
    );
    return live > 0;
  }

  async createCluster(
    clusterId: string,
    tokenHash: string,
    opts: { replace: boolean; nowMs: number },
  ): Promise<CreateClusterOutcome> {
    const shard = this.keys.of(clusterId);
    const outcome = await this.run(
      CREATE_CLUSTER,
      [shard.cluster(clusterId), shard.clusters],
      [clusterId, tokenHash, opts.replace ? "1" : "0", opts.nowMs],
    );
    return outcome as CreateClusterOutcome;
  }

  async getCluster(clusterId: string): Promise<ClusterRecord | null> {
    const fields = await this.call(
      this.redis.hmget(this.keys.of(clusterId).cluster(clusterId), ...CLUSTER_FIELDS),
    );
    return toCluster(clusterId, fields);
  }

  async deleteCluster(clusterId: string): Promise<boolean> {
    const shard = this.keys.of(clusterId);
    const deleted = await this.run(
      DELETE_CLUSTER,
      [shard.cluster(clusterId), shard.clusters],
      [clusterId, shard.events],
    );
    return deleted === 1;
  }

  async listClusters(): Promise<ClusterRecord[]> {
    const shards = await this.everyShard(
      (shard) =>
        this.run(LIST_CLUSTERS, [shard.clusters, shard.absent], [shard.tag, ...CLUSTER_FIELDS]) as Promise<
          [string[], Field[][]]
        >,
    );
    const records = shards.flatMap(([ids, rows]) =>
      ids.flatMap((id, i) => toCluster(id, rows[i] ?? []) ?? []),
    );
    return records.sort((a, b) => byBytes(a.cluster_id, b.cluster_id));
  }

  async setClusterLabels(clusterId: string, labels: Record<string, string>): Promise<boolean> {
    const key = this.keys.of(clusterId).cluster(clusterId);
    return (await this.run(SET_LABELS, [key], [JSON.stringify(labels)])) === 1;
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
    await this.run(RECORD_PRESENCE, [this.keys.of(clusterId).cluster(clusterId)], fields);
  }

  /**
   * The locator (NX: a command id names one command) goes out beside the script, not before it: a
   * round trip less on every command's path. On one Redis both ride one pipeline, the locator first;
   * on a Redis Cluster they go to their own primaries at once, and whoever looks a command up by its
   * id has that id only once this resolved. A locator already there pointing at another shard means
   * the id names a command there: what the script queued here is withdrawn and the enqueue fails (a
   * UUIDv7 made by the server, so in practice never; in the instant between, an executor may have
   * claimed it, and its result then finds no command). Pointing at this shard, it is a retry after an
   * outage, and the script decided: it refuses an id already queued.
   */
  async enqueue(command: Command): Promise<void> {
    const { command_id: id, cluster_id: clusterId } = command;
    const shard = this.keys.of(clusterId);
    const expireAt = command.deadline_ms + COMMAND_RETENTION_MS;
    const keys = [shard.command(id), shard.queue(clusterId), shard.deadlines(clusterId)];
    const [placed] = await Promise.all([
      this.call(this.redis.set(this.keys.locator("cmd", id), shard.number, "PXAT", expireAt, "NX")),
      this.run(
        ENQUEUE,
        [...keys, shard.queues, shard.commandSeq],
        [id, clusterId, command.deadline_ms, JSON.stringify(command), expireAt, shard.events],
      ),
    ]);
    if (placed === null && (await this.locate("cmd", id)) !== shard) {
      await this.run(WITHDRAW, [...keys, shard.leases], [id]);
      throw new Error(`command ${id} already exists`);
    }
  }

  async claim(
    clusterId: string,
    consumerId: string,
    max: number,
    leaseMs: number,
    nowMs: number,
  ): Promise<Command[]> {
    if (max <= 0) return [];
    const shard = this.keys.of(clusterId);
    const consumerTtl = leaseMs + COMMAND_RETENTION_MS;
    // Sent beside the claim, not before it (a round trip less on every command's path): renew and
    // release, given the consumer alone, are only asked after a claim has returned, by then both have
    // landed, so they always find the shard of what it holds.
    const [, claimed] = (await Promise.all([
      this.call(this.redis.set(this.keys.locator("consumer", consumerId), shard.number, "PX", consumerTtl)),
      this.run(
        CLAIM,
        [
          shard.queue(clusterId),
          shard.deadlines(clusterId),
          shard.leases,
          shard.consumer(consumerId),
          shard.absent,
        ],
        [shard.tag, consumerId, max, nowMs + leaseMs, nowMs, consumerTtl],
      ),
    ])) as [unknown, string[]];
    return claimed.map((data) => JSON.parse(data) as Command);
  }

  async renewLeases(consumerId: string, leaseMs: number, nowMs: number): Promise<void> {
    const shard = await this.locate("consumer", consumerId);
    if (!shard) return;
    const consumerTtl = leaseMs + COMMAND_RETENTION_MS;
    await Promise.all([
      this.run(RENEW_LEASES, [shard.consumer(consumerId), shard.leases], [nowMs + leaseMs, consumerTtl]),
      this.call(this.redis.pexpire(this.keys.locator("consumer", consumerId), consumerTtl)),
    ]);
  }

  async release(consumerId: string, nowMs: number): Promise<number> {
    const shard = await this.locate("consumer", consumerId);
    if (!shard) return 0;
    const back = await this.run(
      RELEASE,
      [shard.consumer(consumerId), shard.leases, shard.absent],
      [shard.tag, consumerId, nowMs, shard.events],
    );
    return back as number;
  }

  async requeueExpired(nowMs: number): Promise<number> {
    const back = await this.everyShard(
      (shard) =>
        this.run(
          REQUEUE_EXPIRED,
          [shard.leases, shard.absent],
          [shard.tag, nowMs, shard.events],
        ) as Promise<number>,
    );
    return back.reduce((sum, count) => sum + count, 0);
  }

  async cancel(commandId: string): Promise<CommandState | null> {
    const shard = await this.locate("cmd", commandId);
    if (!shard) return null;
    const state = await this.run(CANCEL, [shard.command(commandId), shard.absent], [shard.tag, commandId]);
    return (state as CommandState | null) ?? null;
  }

  async commandInfo(commandId: string): Promise<CommandInfo | null> {
    const shard = await this.locate("cmd", commandId);
    if (!shard) return null;
    const [cluster, state, deadline, data] = await this.call(
      this.redis.hmget(shard.command(commandId), "cluster", "state", "deadline", "data"),
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
    return this.call(this.redis.zcard(this.keys.of(clusterId).queue(clusterId)));
  }

  async takeToken(bucket: string, limit: RateLimit, nowMs: number): Promise<RateDecision> {
    const [allowed, retryAfterMs] = (await this.run(
      TAKE_TOKEN,
      [this.keys.rate(bucket)],
      [limit.perSecond, limit.burst, nowMs],
    )) as [number, number];
    return { allowed: allowed === 1, retryAfterMs };
  }

  /**
   * In the shard of the cluster that posts it. A command unknown there may belong to a cluster of
   * another shard: its locator tells, so that is refused as the wrong cluster, as on one Redis.
   */
  async putResult(clusterId: string, result: CommandResult, ttlMs: number): Promise<PutResultOutcome> {
    const shard = this.keys.of(clusterId);
    const id = result.command_id;
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const [status, data, commandTtl] = (await this.run(
      PUT_RESULT,
      [shard.result(id), shard.command(id), shard.leases, shard.absent],
      [shard.tag, id, JSON.stringify(result), ttl, shard.events, RESULT_EVENT_MAX_BYTES, clusterId],
    )) as [PutResultOutcome["status"], string | undefined, number | undefined];
    if (status === "unknown") {
      const info = await this.commandInfo(id);
      return { status: info && info.cluster_id !== clusterId ? "wrong_cluster" : "unknown" };
    }
    if (status === "wrong_cluster") return { status };
    // The locator expires with its command (the same PXAT); a result kept longer than that needs it
    // as long (GT: never shortened), which only a result posted near or past the deadline does.
    if (status === "stored" && (commandTtl === undefined || ttl > commandTtl))
      await this.extendLocator(id, ttl);
    return { status, command: JSON.parse(data as string) as Command } as PutResultOutcome;
  }

  /** Best effort: the result is stored either way, and found until the command's own expiry. */
  private async extendLocator(commandId: string, ttlMs: number): Promise<void> {
    await this.redis.pexpire(this.keys.locator("cmd", commandId), ttlMs, "GT").catch((err: Error) => {
      log.warn("redis store could not extend a command's locator", {
        command_id: commandId,
        reason: err.message,
      });
    });
  }

  async getResult(commandId: string): Promise<CommandResult | null> {
    const shard = await this.locate("cmd", commandId);
    if (!shard) return null;
    const data = await this.call(this.redis.get(shard.result(commandId)));
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
    await this.everyShard((shard) =>
      this.run(
        SWEEP,
        [shard.sessions, shard.queues, shard.absent],
        [shard.tag, nowMs, nowMs - COMMAND_RETENTION_MS],
      ),
    );
  }

  async announce(event: PassingEvent): Promise<void> {
    // Heard back on the events channel by this replica too, in the order published.
    await this.call(this.redis.spublish(this.keys.of(event.cluster_id).events, JSON.stringify(event)));
  }

  subscribe(listener: StoreListener): () => void {
    return this.listeners.subscribe(listener);
  }
}
