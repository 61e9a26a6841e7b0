/**
 * Keeps a Redis store's event subscriptions live when Redis drops them, and once they are live again
 * has the store say so (its `resubscribed` event), so waiters look once for what was published
 * meanwhile and never heard:
 * - on one Redis (or through Sentinel), the subscriber reconnects (ioredis retries, or redis.ts
 *   connects again one that ioredis ended) and subscribes to every channel again;
 * - on a Redis Cluster, when a slot moves, Redis 7 ends the subscriptions to the slot's channels with
 *   an `sunsubscribe` the client never asked for. ioredis 5.9 has no handler for it: its reply parser
 *   finds no command waiting and reports a "Command queue state error" naming the reply (a cluster
 *   `nodeError`), and ioredis subscribes again only when it next notices the slot map changed
 *   (slotsRefreshInterval, or a MOVED reply), losing what was published until then. That report is
 *   the signal here: refresh the slot map, then subscribe to the channel again, at its new owner.
 *   It is not always given: a push that arrives while a command waits on that connection is taken
 *   for that command's reply. So each time ioredis reads the slot map, the channels whose slot has a
 *   new owner are followed too (when a call on the slot met MOVED, or at slotsRefreshInterval);
 * - on a Redis Cluster, when a sharded subscriber connection is lost (its node died, it was killed),
 *   ioredis opens another and resubscribes without waiting for Redis' answer, so the channels that
 *   node served are subscribed again here too, the answers awaited.
 */
import calculateSlot from "cluster-key-slot";
import type { Cluster, default as Redis } from "ioredis";
import { log } from "../log";

/** The part of the Redis store this file drives. */
export interface Resubscribing {
  readonly channels: ReadonlySet<string>;
  /** Subscribes to the channels, then tells the store's listeners events may have been missed. */
  resubscribe(channels: string[]): Promise<void>;
}

/** How ioredis' reply parser reports an `sunsubscribe` it did not ask for: the channel, then a count. */
const SERVER_SUNSUBSCRIBE = /Last reply: sunsubscribe,(.*),\d+$/;

/** ioredis names its sharded subscriber connections `ioredis-cluster(ssubscriber):<connectionName>`. */
const SHARDED_SUBSCRIBER = "ioredis-cluster(ssubscriber)";

/**
 * Failed tries (a slot-map refresh, then the subscriptions) before channels are left to ioredis' own
 * resubscription: a moved slot's new owner is known to every node within milliseconds (the cluster
 * bus), so the first or second try succeeds; each failed one costs at most the 1 s bound on a
 * subscription (redis.ts). A primary being replaced may take longer (cluster-node-timeout), but its
 * replica's promotion changes the slot map, which hands its channels over again.
 */
const FOLLOW_ATTEMPTS = 10;

const warn = (message: string) => (error: unknown) =>
  log.warn(message, { error: (error as Error)?.message ?? String(error) });

/**
 * One Redis or Sentinel: every `ready` after the first is a reconnection (a revived one's too). A
 * failed resubscription means the connection dropped again, and its next `ready` tries again.
 */
export function resubscribeOnReconnect(subscriber: Redis, store: Resubscribing): void {
  subscriber.on("ready", () => {
    store
      .resubscribe([...store.channels])
      .catch(warn("redis store could not subscribe again after reconnecting"));
  });
}

/** Redis Cluster: follows moved slots' channels and lost sharded subscribers (see the top comment). */
export function followSubscriptions(cluster: Cluster, store: Resubscribing): void {
  const follow = batches(cluster, store);
  cluster.on("nodeError", (error: Error) => {
    const channel = SERVER_SUNSUBSCRIBE.exec(error?.message ?? "")?.[1];
    if (channel !== undefined && store.channels.has(channel)) follow([channel]);
  });

  const slots = new Map([...store.channels].map((channel) => [channel, calculateSlot(channel)]));
  const owners = () => new Map([...slots].map(([channel, slot]) => [channel, cluster.slots[slot]?.[0]]));
  let known = owners();
  cluster.on("refresh", () => {
    const now = owners();
    follow(
      [...now]
        .filter(([channel, owner]) => owner !== undefined && owner !== known.get(channel))
        .map(([c]) => c),
    );
    known = now;
  });
  cluster.on("-node", (redis: Redis, nodeKey: string) => {
    if (!redis?.options?.connectionName?.startsWith(SHARDED_SUBSCRIBER)) return;
    follow([...known].filter(([, owner]) => owner === nodeKey).map(([channel]) => channel));
  });
}

/**
 * Subscribes to channels handed to it in batches, one at a time: each batch after refreshing the slot
 * map, so it goes to the slots' owners, and in one `resubscribed` event, so a failover's ~85 channels
 * cost each waiter one look, not 85. Channels handed over while a batch runs join the next one; a
 * failed batch is tried again, FOLLOW_ATTEMPTS times in all, then left to ioredis' own
 * resubscription at its next slot-map change. Bounded also because ioredis keeps a list of the
 * channels each slot was ever subscribed to, one entry per call, duplicates included.
 */
function batches(cluster: Cluster, store: Resubscribing): (channels: string[]) => void {
  const pending = new Set<string>();
  let running = false;
  // Once until a batch succeeds: while a primary is down, every lost subscriber hands its channels over.
  let warned = false;
  const run = async () => {
    running = true;
    let failure: unknown;
    for (let failed = 0; pending.size > 0 && failed < FOLLOW_ATTEMPTS && cluster.status !== "end"; ) {
      // Errors are the subscription's to report: it is sent wherever the map then says.
      await new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve()));
      const batch = [...pending];
      pending.clear();
      try {
        await store.resubscribe(batch);
        warned = false;
      } catch (error) {
        failure = error;
        failed++;
        for (const channel of batch) pending.add(channel);
      }
    }
    if (pending.size > 0 && cluster.status !== "end" && !warned) {
      warned = true;
      warn("redis store could not follow moved channels; ioredis' next slot refresh will")(failure);
    }
    pending.clear();
    running = false;
  };
  return (channels) => {
    for (const channel of channels) pending.add(channel);
    if (!running && pending.size > 0) void run();
  };
}
