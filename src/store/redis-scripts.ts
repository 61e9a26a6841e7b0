/**
 * The Redis store's key layout and its Lua scripts. Both live here because the scripts build key
 * names themselves (a command's hash, a cluster's queue) and must agree with `keyspace` exactly.
 *
 * One layout for every Redis mode (one server, Sentinel, Redis Cluster), so the same scripts and the
 * same contract suite run everywhere. On Redis Cluster a script may only touch keys of one hash slot,
 * so every key a script reads or writes carries the same hash tag `{…}`:
 *
 * Shards. Each Kubently cluster id belongs to one of SHARDS fixed shards (`shardOf`: the first two
 * bytes of SHA-1 of the id, mod 256; Lua computes the same with redis.sha1hex). Everything a command,
 * a registration or a session changes together lives under its shard's tag T = P{s<n>}:
 *   T cluster:<id>            hash   token_hash, created_at, last_seen, connected, executor_version, transport,
 *                                    labels (JSON), policy, connection
 *   T clusters                zset   this shard's cluster ids, all scored 0 so they list in byte order
 *   T cmd:<id>                hash   cluster, state, deadline, seq, consumer (while inflight), data;
 *                                    expires by itself COMMAND_RETENTION_MS after the deadline
 *   T cmd-seq                 string counter giving each command its queue position (per shard: a seq
 *                                    only orders one cluster's queue)
 *   T queue:<cluster>         zset   pending command ids scored by seq (oldest first)
 *   T deadlines:<cluster>     zset   the same ids scored by deadline, to drop late ones without a scan
 *   T queues                  set    this shard's clusters that may have a queue, for sweep
 *   T leases                  zset   this shard's inflight command ids scored by lease expiry
 *   T consumer:<id>           set    inflight command ids held by one executor connection
 *   T result:<command id>     string result JSON, expires after the result TTL
 *   T session:<id>            hash   cluster, data; expires at the session's expires_at
 *   T sessions                zset   this shard's session ids scored by expiry
 *   T cluster-sessions:<id>   zset   one cluster's session ids scored by expiry; expires with its last one
 *   T events                  sharded pub/sub channel (SPUBLISH) of StoreEvent JSON about this shard
 *   T absent                  never written: the guard below
 * 256 shards spread evenly over any number of primaries and move one slot at a time in a resharding;
 * whole-store reads (list clusters, count sessions, sweep, requeue expired leases) visit every shard,
 * 256 small calls pipelined per node. Sharding by a fixed number rather than one tag per cluster keeps
 * the set of event channels fixed, so each process subscribes to all of them once, at open.
 *
 * Locators. What callers look up by its own id alone (a command: cancel, info, result; a session; an
 * executor connection: renew, release) has a locator holding its shard number, tagged by that id:
 *   P{cmd:<id>}at             string shard of the command; expires with the command, or its result if later
 *   P{session:<id>}at         string shard of the session; expires with it
 *   P{consumer:<id>}at        string shard of the cluster the connection claims for; expires with its set
 * A locator is written no later than its record (a command's goes beside ENQUEUE: on one Redis in
 * the same pipeline, ahead of it) and only ever points at the shard the record is (or was) in, so a
 * dangling one reads as "not found", never as another record. Single-key records keyed by a
 * command id need no shard and sit next to its locator:
 *   P{cmd:<id>}output:<stream> hash  part index → text of an output stream posted in parts;
 *                                    expires after the result TTL, dropped once the result holds it
 *   P{cmd:<id>}op             hash   data (command + callback), outcome once ended (an operation id is its
 *                                    command's id); expires by itself
 *   P rate:<bucket>           hash   tokens, at (epoch ms) of a rate-limit bucket; expires once it would be full
 *
 * The audit trail is one hash chain, so its stream, head and parked list share one tag by design (one
 * slot, one primary):
 *   P{audit}                  stream the audit trail: id <seq>-0, fields t (at, epoch ms), c (cluster), i
 *                                    (identity), a (action), o (outcome) for filtering, e (the entry's JSON)
 *   P{audit}head              hash   seq, hash of the chain's newest entry, kept apart from the stream
 *   P{audit}parked            list   entry JSONs whose append lost a race, in order, waiting for the
 *                                    next append of any replica to link them
 *
 * The guard. Scripts that derive keys from ids (a claim reads the commands it pops) pass their shard's
 * `absent` key among KEYS. While a resharding migrates that slot, Redis refuses a call naming a key it
 * does not hold (TRYAGAIN, retried by ioredis), and `absent` is never held, so such a script never
 * starts half-migrated and fails midway on a derived key that already moved (Redis does not roll back
 * a script's earlier writes). Outside a migration a missing key changes nothing.
 *
 * Scripts take their shard's tag as ARGV[1] and derive per-id keys from it. Millisecond times
 * (deadlines, leases, expiries) are passed and stored as the strings they arrive as, never formatted
 * by Lua, whose tostring keeps only 14 significant digits; INCR counters stay far below that.
 * Events go out with SPUBLISH (Redis 7.0 or later), in the same atomic step as the change.
 *
 * Upgrade: MIGRATE_LAYOUT moves an earlier single-Redis layout's durable records (registrations,
 * sessions, the audit trail) into this one; see its comment.
 */
import { createHash } from "node:crypto";

/** How many shards the Kubently clusters are spread over; part of the key layout, never changed. */
export const SHARDS = 256;

/** The shard of a Kubently cluster id; MIGRATE_LAYOUT computes the same in Lua. */
export function shardOf(clusterId: string): number {
  return createHash("sha1").update(clusterId).digest().readUInt16BE(0) % SHARDS;
}

/** The keys of one shard, under its tag. */
export function shardKeys(prefix: string, shard: number) {
  const tag = `${prefix}{s${shard}}`;
  return {
    /** What a locator holds. */
    number: String(shard),
    tag,
    cluster: (id: string) => `${tag}cluster:${id}`,
    clusters: `${tag}clusters`,
    command: (id: string) => `${tag}cmd:${id}`,
    commandSeq: `${tag}cmd-seq`,
    queue: (cluster: string) => `${tag}queue:${cluster}`,
    deadlines: (cluster: string) => `${tag}deadlines:${cluster}`,
    queues: `${tag}queues`,
    leases: `${tag}leases`,
    consumer: (id: string) => `${tag}consumer:${id}`,
    result: (commandId: string) => `${tag}result:${commandId}`,
    session: (id: string) => `${tag}session:${id}`,
    sessions: `${tag}sessions`,
    clusterSessions: (cluster: string) => `${tag}cluster-sessions:${cluster}`,
    events: `${tag}events`,
    absent: `${tag}absent`,
  };
}

export type ShardKeys = ReturnType<typeof shardKeys>;

/** What is looked up by its own id: the kinds of locator. */
export type Located = "cmd" | "session" | "consumer";

/**
 * Cluster ids whose shard is remembered (a SHA-1 each time was ~2% of the server's CPU under load);
 * past this many, the memory starts again empty rather than grow with every id ever seen.
 */
const REMEMBERED_SHARDS = 10_000;

export function keyspace(prefix: string) {
  const shards = Array.from({ length: SHARDS }, (_, shard) => shardKeys(prefix, shard));
  const known = new Map<string, ShardKeys>();
  return {
    shards,
    /** The shard of a Kubently cluster. */
    of: (clusterId: string): ShardKeys => {
      let shard = known.get(clusterId);
      if (shard === undefined) {
        if (known.size >= REMEMBERED_SHARDS) known.clear();
        shard = shards[shardOf(clusterId)] as ShardKeys;
        known.set(clusterId, shard);
      }
      return shard;
    },
    locator: (kind: Located, id: string) => `${prefix}{${kind}:${id}}at`,
    outputParts: (commandId: string, stream: string) => `${prefix}{cmd:${commandId}}output:${stream}`,
    operation: (id: string) => `${prefix}{cmd:${id}}op`,
    audit: `${prefix}{audit}`,
    auditHead: `${prefix}{audit}head`,
    auditParked: `${prefix}{audit}parked`,
    rate: (bucket: string) => `${prefix}rate:${bucket}`,
  };
}

/** A Lua script with its SHA-1, so it is sent whole only when Redis has not cached it yet. */
export class Script {
  readonly sha: string;
  constructor(readonly lua: string) {
    this.sha = createHash("sha1").update(lua).digest("hex");
  }
}

/**
 * Shared by release and requeueExpired: given HMGET state, consumer, cluster, deadline, seq of an
 * inflight command, puts it back in its queue under its original seq (so it goes out before anything
 * queued after it) or cancels it when its deadline has passed. Returns the cluster when it went back.
 */
const REQUEUE = `
local function requeue(tag, id, f, now)
  local key = tag .. 'cmd:' .. id
  redis.call('HDEL', key, 'consumer')
  if tonumber(f[4]) > now then
    redis.call('HSET', key, 'state', 'pending')
    redis.call('ZADD', tag .. 'queue:' .. f[3], f[5], id)
    redis.call('ZADD', tag .. 'deadlines:' .. f[3], f[4], id)
    redis.call('SADD', tag .. 'queues', f[3])
    return f[3]
  end
  redis.call('HSET', key, 'state', 'cancelled')
  return nil
end
local function announce(channel, clusters)
  for cluster in pairs(clusters) do
    redis.call('SPUBLISH', channel, cjson.encode({type = 'command', cluster_id = cluster}))
  end
end
`;

/** KEYS: cmd, queue, deadlines, queues, cmd-seq. ARGV: id, cluster, deadline, data, expire_at, channel. */
export const ENQUEUE = new Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('ERR command ' .. ARGV[1] .. ' already exists')
end
local seq = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[1], 'cluster', ARGV[2], 'state', 'pending', 'deadline', ARGV[3], 'seq', seq,
  'data', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], seq, ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[2])
redis.call('SPUBLISH', ARGV[6], cjson.encode({type = 'command', cluster_id = ARGV[2]}))
`);

/**
 * KEYS: cmd, queue, deadlines, leases. ARGV: id. Undoes an ENQUEUE whose id turned out to name a
 * command of another shard (its locator points there): the command leaves every index of this shard.
 */
export const WITHDRAW = new Script(`
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
`);

/**
 * KEYS: queue, deadlines, leases, consumer, absent. ARGV: tag, consumer, max, lease_until, now,
 * consumer_ttl_ms. Cancels every pending command already past its deadline, then hands out the
 * oldest `max`. Returns their JSON.
 */
export const CLAIM = new Script(`
local tag = ARGV[1]
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])) do
  redis.call('ZREM', KEYS[1], id)
  local key = tag .. 'cmd:' .. id
  if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 'state', 'cancelled') end
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
local popped = redis.call('ZPOPMIN', KEYS[1], ARGV[3])
local out = {}
for i = 1, #popped, 2 do
  local id = popped[i]
  redis.call('ZREM', KEYS[2], id)
  local key = tag .. 'cmd:' .. id
  local data = redis.call('HGET', key, 'data')
  if data then
    redis.call('HSET', key, 'state', 'inflight', 'consumer', ARGV[2])
    redis.call('ZADD', KEYS[3], ARGV[4], id)
    redis.call('SADD', KEYS[4], id)
    out[#out + 1] = data
  end
end
if #out > 0 then redis.call('PEXPIRE', KEYS[4], ARGV[6]) end
return out
`);

/** KEYS: consumer, leases. ARGV: lease_until, consumer_ttl_ms. */
export const RENEW_LEASES = new Script(`
local ids = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[2], 'XX', ARGV[1], id) end
if #ids > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
`);

/** KEYS: consumer, leases, absent. ARGV: tag, consumer, now, channel. Returns how many went back to pending. */
export const RELEASE = new Script(`${REQUEUE}
local tag, consumer, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local back, clusters = 0, {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local f = redis.call('HMGET', tag .. 'cmd:' .. id, 'state', 'consumer', 'cluster', 'deadline', 'seq')
  if f[1] == 'inflight' and f[2] == consumer then
    redis.call('ZREM', KEYS[2], id)
    local cluster = requeue(tag, id, f, now)
    if cluster then
      back = back + 1
      clusters[cluster] = true
    end
  end
end
redis.call('DEL', KEYS[1])
announce(ARGV[4], clusters)
return back
`);

/** KEYS: leases, absent. ARGV: tag, now, channel. Returns how many went back to pending. */
export const REQUEUE_EXPIRED = new Script(`${REQUEUE}
local tag, now = ARGV[1], tonumber(ARGV[2])
local back, clusters = 0, {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])) do
  redis.call('ZREM', KEYS[1], id)
  local f = redis.call('HMGET', tag .. 'cmd:' .. id, 'state', 'consumer', 'cluster', 'deadline', 'seq')
  if f[1] == 'inflight' then
    if f[2] then redis.call('SREM', tag .. 'consumer:' .. f[2], id) end
    local cluster = requeue(tag, id, f, now)
    if cluster then
      back = back + 1
      clusters[cluster] = true
    end
  end
end
announce(ARGV[3], clusters)
return back
`);

/** KEYS: cmd, absent. ARGV: tag, id. Returns the state the command was in, or nil. */
export const CANCEL = new Script(`
local f = redis.call('HMGET', KEYS[1], 'state', 'cluster')
if f[1] == 'pending' then
  redis.call('HSET', KEYS[1], 'state', 'cancelled')
  redis.call('ZREM', ARGV[1] .. 'queue:' .. f[2], ARGV[2])
  redis.call('ZREM', ARGV[1] .. 'deadlines:' .. f[2], ARGV[2])
end
return f[1]
`);

/**
 * KEYS: result, cmd, leases, absent. ARGV: tag, id, data, ttl_ms, channel, max_event_bytes, cluster. Only
 * for a known command of that cluster; the first result wins (SET NX); it marks the command done
 * whatever state it was in, and frees its lease. The event carries the result when it is no larger
 * than max_event_bytes, as JSON inside the event's JSON (data is JSON.stringify's, so it is spliced in
 * as it is: no escaping here, one parse on each replica). Returns {status} or {status, command data}; once stored, also the command's
 * remaining time to live (PTTL), which its locator shares.
 */
export const PUT_RESULT = new Script(`
local tag, id = ARGV[1], ARGV[2]
local f = redis.call('HMGET', KEYS[2], 'state', 'consumer', 'cluster', 'data')
if not f[1] then return {'unknown'} end
if f[3] ~= ARGV[7] then return {'wrong_cluster'} end
if not redis.call('SET', KEYS[1], ARGV[3], 'NX', 'PX', ARGV[4]) then return {'duplicate', f[4]} end
if f[2] then redis.call('SREM', tag .. 'consumer:' .. f[2], id) end
if f[1] == 'pending' then
  redis.call('ZREM', tag .. 'queue:' .. f[3], id)
  redis.call('ZREM', tag .. 'deadlines:' .. f[3], id)
end
redis.call('HSET', KEYS[2], 'state', 'done')
redis.call('HDEL', KEYS[2], 'consumer')
redis.call('ZREM', KEYS[3], id)
if string.len(ARGV[3]) <= tonumber(ARGV[6]) then
  redis.call('SPUBLISH', ARGV[5], '{"type":"result","command_id":' .. cjson.encode(id) .. ',"result":' .. ARGV[3] .. '}')
else
  redis.call('SPUBLISH', ARGV[5], cjson.encode({type = 'result', command_id = id}))
end
return {'stored', f[4], redis.call('PTTL', KEYS[2])}
`);

/** KEYS: op. ARGV: data, ttl_ms. An operation id is a command id, so it is never reused. */
export const CREATE_OPERATION = new Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('ERR operation already exists') end
redis.call('HSET', KEYS[1], 'data', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
`);

/** KEYS: op. ARGV: outcome, ttl_ms. The first outcome wins. Returns 1 if stored. */
export const COMPLETE_OPERATION = new Script(`
if redis.call('HEXISTS', KEYS[1], 'data') == 0 or redis.call('HEXISTS', KEYS[1], 'outcome') == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'outcome', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** KEYS: cluster, clusters. ARGV: id, token_hash, replace ('1'/'0'), now. */
export const CREATE_CLUSTER = new Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  if ARGV[3] ~= '1' then return 'exists' end
  redis.call('HSET', KEYS[1], 'token_hash', ARGV[2])
  return 'replaced'
end
redis.call('HSET', KEYS[1], 'token_hash', ARGV[2], 'created_at', ARGV[4], 'connected', '0')
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 'created'
`);

/** KEYS: cluster, clusters. ARGV: id, channel. Returns 1 if the cluster existed. */
export const DELETE_CLUSTER = new Script(`
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SPUBLISH', ARGV[2], cjson.encode({type = 'revoked', cluster_id = ARGV[1]}))
return 1
`);

/** KEYS: clusters, absent. ARGV: tag, then the field names to read. Returns {ids, rows of HMGET}. */
export const LIST_CLUSTERS = new Script(`
local ids, rows = {}, {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  ids[#ids + 1] = id
  rows[#rows + 1] = redis.call('HMGET', ARGV[1] .. 'cluster:' .. id, unpack(ARGV, 2))
end
return {ids, rows}
`);

/** KEYS: cluster. ARGV: labels JSON. Sets them only on a registered cluster; 1 when it did. */
export const SET_LABELS = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'labels', ARGV[1])
return 1
`);

/**
 * KEYS: cluster. ARGV: connection, connected ('1'/'0'), then field/value pairs to set, only if the
 * cluster exists; a disconnect only from the connection that last connected.
 */
export const RECORD_PRESENCE = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return end
local connection = ARGV[1]
if ARGV[2] == '0' then
  local current = redis.call('HGET', KEYS[1], 'connection')
  if current and current ~= connection then return end
end
redis.call('HSET', KEYS[1], 'connection', connection, unpack(ARGV, 3))
`);

/**
 * KEYS: session, sessions, absent. ARGV: tag, id, cluster, data, expires_at, now. A session already past
 * its expiry is removed rather than stored. Expired index entries are trimmed here, on the way.
 */
export const PUT_SESSION = new Script(`
local tag, id, cluster = ARGV[1], ARGV[2], ARGV[3]
local expires, now = tonumber(ARGV[5]), ARGV[6]
local per = tag .. 'cluster-sessions:' .. cluster
local old = redis.call('HGET', KEYS[1], 'cluster')
if old and old ~= cluster then redis.call('ZREM', tag .. 'cluster-sessions:' .. old, id) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', per, '-inf', now)
if expires <= tonumber(now) then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', per, id)
  return 0
end
redis.call('HSET', KEYS[1], 'cluster', cluster, 'data', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[5], id)
redis.call('ZADD', per, ARGV[5], id)
-- The per-cluster index lives exactly as long as its longest session, so sweep never has to find it.
local last = redis.call('ZRANGE', per, -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', per, last[2])
return 1
`);

/** KEYS: session, sessions, absent. ARGV: tag, id. Returns 1 if a live session was deleted. */
export const DELETE_SESSION = new Script(`
local cluster = redis.call('HGET', KEYS[1], 'cluster')
if not cluster then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', ARGV[1] .. 'cluster-sessions:' .. cluster, ARGV[2])
return 1
`);

/**
 * KEYS: audit, audit-head, audit-parked. ARGV: the head the entries were linked after (seq, hash; '0',
 * '' for an empty trail), n, the new head (seq, hash), then per entry: seq, at_ms, cluster, identity,
 * action, outcome, JSON; the first n entries are the parked list's first n, linked again.
 *
 * A compare-and-set on the head: the entries go in, the parked ones leave the list and the head moves,
 * all or nothing, only if the head is still the one they were linked after, and only if they cover the
 * whole parked list (a call bringing no new entries may seal just a prefix of it). Otherwise the new
 * entries are parked, so a lost race hands them to Redis instead of back to their replica, and the reply
 * is the current head and parked list, {seq, hash, parked JSONs}, to link after. Returns 1 on success.
 */
export const APPEND_AUDIT = new Script(`
local head = redis.call('HMGET', KEYS[2], 'seq', 'hash')
local seq, hash = head[1] or '0', head[2] or ''
local n, parked = tonumber(ARGV[3]), redis.call('LLEN', KEYS[3])
local fresh = (#ARGV - 5) / 7 - n
if seq == ARGV[1] and hash == ARGV[2] and (n == parked or (fresh == 0 and n <= parked)) then
  for i = 6, #ARGV, 7 do
    redis.call('XADD', KEYS[1], ARGV[i] .. '-0', 't', ARGV[i + 1], 'c', ARGV[i + 2], 'i', ARGV[i + 3],
      'a', ARGV[i + 4], 'o', ARGV[i + 5], 'e', ARGV[i + 6])
  end
  if n > 0 then redis.call('LTRIM', KEYS[3], n, -1) end
  if #ARGV > 5 then redis.call('HSET', KEYS[2], 'seq', ARGV[4], 'hash', ARGV[5]) end
  return 1
end
for i = 6 + n * 7, #ARGV, 7 do redis.call('RPUSH', KEYS[3], ARGV[i + 6]) end
return {seq, hash, redis.call('LRANGE', KEYS[3], 0, -1)}
`);

/**
 * KEYS: audit, audit-head. ARGV: after (seq), limit, budget (most entries to scan), then the filters
 * cluster, identity, action, outcome, from_ms, to_ms ('' for none). Scans forward from `after` for
 * up to `limit` matching entries, looking at no more than `budget`, so one read never blocks Redis
 * for long. Returns {entry JSONs, where to continue ('' at the end of the trail), head seq, head hash}.
 */
export const READ_AUDIT = new Script(`
local limit, budget = tonumber(ARGV[2]), tonumber(ARGV[3])
local want = {c = ARGV[4], i = ARGV[5], a = ARGV[6], o = ARGV[7]}
local from, to = tonumber(ARGV[8]), tonumber(ARGV[9])
local out, cursor, scanned, ended = {}, tonumber(ARGV[1]), 0, false
while #out < limit and scanned < budget and not ended do
  local chunk = math.min(budget - scanned, 500)
  local rows = redis.call('XRANGE', KEYS[1], string.format('%d', cursor + 1), '+', 'COUNT', chunk)
  ended = #rows < chunk
  for n, row in ipairs(rows) do
    scanned = scanned + 1
    cursor = tonumber(string.match(row[1], '^%d+'))
    local f = {}
    for j = 1, #row[2], 2 do f[row[2][j]] = row[2][j + 1] end
    local at = tonumber(f.t) or 0
    local match = (not from or at >= from) and (not to or at < to)
    for field, value in pairs(want) do
      if value ~= '' and f[field] ~= value then match = false end
    end
    if match then
      out[#out + 1] = f.e or '{}'
      if #out == limit then
        ended = ended and n == #rows
        break
      end
    end
  end
end
local head = redis.call('HMGET', KEYS[2], 'seq', 'hash')
return {out, ended and '' or string.format('%d', cursor), head[1] or '', head[2] or ''}
`);

/**
 * KEYS: sessions, queues, absent. ARGV: tag, now, cutoff (now minus the command retention). Trims the
 * session index and drops commands still queued long after their deadline (their cluster never
 * claimed them); every other record expires through its own Redis TTL.
 */
export const SWEEP = new Script(`
local tag = ARGV[1]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
for _, cluster in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local queue, deadlines = tag .. 'queue:' .. cluster, tag .. 'deadlines:' .. cluster
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', deadlines, '-inf', ARGV[3])) do
    redis.call('ZREM', queue, id)
    redis.call('DEL', tag .. 'cmd:' .. id)
  end
  redis.call('ZREMRANGEBYSCORE', deadlines, '-inf', ARGV[3])
  if redis.call('ZCARD', queue) == 0 then redis.call('SREM', KEYS[2], cluster) end
end
`);

/**
 * KEYS: the bucket. ARGV: per second, burst, now. A token bucket, full when absent: refills by the
 * time since its last take (none when this replica's clock is behind it, so skew never adds
 * tokens), takes one if it can, and expires when it would be full again, which is the same as
 * absent. A refusal changes nothing. Returns {1, 0} or {0, milliseconds until a token}.
 */
export const TAKE_TOKEN = new Script(`
local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local at = tonumber(held[2]) or now
local tokens = math.min(burst, (tonumber(held[1]) or burst) + math.max(0, now - at) * rate / 1000)
if tokens < 1 then return {0, math.ceil((1 - tokens) * 1000 / rate)} end
tokens = tokens - 1
local stamp = ARGV[3]
if at > now then stamp = held[2] end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', stamp)
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((burst - tokens) * 1000 / rate)))
return {1, 0}
`);

/**
 * The upgrade from the layout before shards (one Redis, keys P cluster:<id>, P clusters, P session:<id>,
 * P sessions, P cluster-sessions:<id>, P audit, P audit-head, P audit-parked): moves registrations,
 * sessions (with their TTLs, indexes and locators) and the audit trail into this layout, in one atomic
 * step, so replicas opening together cannot both move a record. Idempotent: what is already moved is
 * gone from the old names; run at every open on one Redis or Sentinel (never on Redis Cluster, which
 * the old layout could not run on). A registration already present under the new name wins over the
 * old one; the audit trail moves only when the new one is empty, and is otherwise left in place
 * (reported, never merged: two chains). Commands, queues, leases, results, output parts and async
 * operations are not moved: they live minutes and expire by themselves; the old counters and indexes
 * that would not are deleted. KEYS: none declared (one Redis only). ARGV: prefix, shards.
 * Returns {clusters moved, sessions moved, audit entries moved, 1 if an old trail was left}.
 */
export const MIGRATE_LAYOUT = new Script(`
local prefix, shards = ARGV[1], tonumber(ARGV[2])
local function tag(id)
  return prefix .. '{s' .. (tonumber(string.sub(redis.sha1hex(id), 1, 4), 16) % shards) .. '}'
end
local clusters, sessions, audit, left = 0, 0, 0, 0
for _, id in ipairs(redis.call('ZRANGE', prefix .. 'clusters', 0, -1)) do
  local old, t = prefix .. 'cluster:' .. id, tag(id)
  if redis.call('EXISTS', old) == 1 then
    if redis.call('RENAMENX', old, t .. 'cluster:' .. id) == 1 then clusters = clusters + 1
    else redis.call('DEL', old) end
    redis.call('ZADD', t .. 'clusters', 0, id)
  end
end
local touched = {}
local old_sessions = redis.call('ZRANGE', prefix .. 'sessions', 0, -1, 'WITHSCORES')
for i = 1, #old_sessions, 2 do
  local id, expires = old_sessions[i], old_sessions[i + 1]
  local old = prefix .. 'session:' .. id
  local cluster = redis.call('HGET', old, 'cluster')
  if cluster then
    touched[cluster] = true
    local t = tag(cluster)
    local shard = string.match(t, '{s(%d+)}$')
    redis.call('RENAME', old, t .. 'session:' .. id)
    redis.call('ZADD', t .. 'sessions', expires, id)
    local per = t .. 'cluster-sessions:' .. cluster
    redis.call('ZADD', per, expires, id)
    local last = redis.call('ZRANGE', per, -1, -1, 'WITHSCORES')
    redis.call('PEXPIREAT', per, last[2])
    redis.call('SET', prefix .. '{session:' .. id .. '}at', shard, 'PXAT', expires)
    sessions = sessions + 1
  end
end
for cluster in pairs(touched) do redis.call('DEL', prefix .. 'cluster-sessions:' .. cluster) end
for _, cluster in ipairs(redis.call('SMEMBERS', prefix .. 'queues')) do
  redis.call('DEL', prefix .. 'queue:' .. cluster, prefix .. 'deadlines:' .. cluster)
end
redis.call('DEL', prefix .. 'clusters', prefix .. 'sessions', prefix .. 'queues', prefix .. 'leases',
  prefix .. 'cmd-seq')
local old_audit = {prefix .. 'audit', prefix .. 'audit-head', prefix .. 'audit-parked'}
local new_audit = {prefix .. '{audit}', prefix .. '{audit}head', prefix .. '{audit}parked'}
if redis.call('EXISTS', unpack(old_audit)) > 0 then
  if redis.call('EXISTS', unpack(new_audit)) == 0 then
    audit = redis.call('XLEN', old_audit[1])
    for i = 1, 3 do
      if redis.call('EXISTS', old_audit[i]) == 1 then redis.call('RENAME', old_audit[i], new_audit[i]) end
    end
  else
    left = 1
  end
end
return {clusters, sessions, audit, left}
`);
