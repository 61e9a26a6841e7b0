/**
 * Keeps a Redis store's event subscriptions live when Redis drops them, and once they are live again
 * has the store say so (its `resubscribed` event), so waiters look once for what was published
 * meanwhile and never heard:
 * - on one Redis, the subscriber reconnects (ioredis retries) and subscribes to every channel again;
 * - on a Redis Cluster, when a slot moves, Redis 7 ends the subscriptions to the slot's channels with
 *   an `sunsubscribe` the client never asked for. ioredis 5.9 has no handler for it: its reply parser
 *   finds no command waiting and reports a "Command queue state error" naming the reply (a cluster
 *   `nodeError`), and ioredis subscribes again only when it next notices the slot map changed
 *   (slotsRefreshInterval, or a MOVED reply), losing what was published until then. That report is
 *   the signal here: refresh the slot map, then subscribe to the channel again, at its new owner;
 * - on a Redis Cluster, when a sharded subscriber connection is lost (its node died, it was killed),
 *   ioredis opens another and resubscribes without waiting for Redis' answer; once it says its
 *   subscribers are ready, every channel is subscribed again here, and the answers awaited.
 */
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
 * Slot-map refreshes and subscriptions tried for one moved channel before leaving it to ioredis' own
 * refresh: a slot's new owner is known to every node within milliseconds of the move (the cluster bus),
 * so the first or second try succeeds; each failed one costs at most the subscription's time bound.
 */
const MOVED_CHANNEL_ATTEMPTS = 10;

const warn = (message: string) => (error: unknown) =>
  log.warn(message, { error: (error as Error)?.message ?? String(error) });

/**
 * One Redis: every `ready` after the first is a reconnection. A failed resubscription means the
 * connection dropped again, and its next `ready` tries again.
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
  const following = new Set<string>();
  cluster.on("nodeError", (error: Error) => {
    const channel = SERVER_SUNSUBSCRIBE.exec(error?.message ?? "")?.[1];
    // Redis may say it more than once for one move; one follow-up is enough.
    if (channel === undefined || !store.channels.has(channel) || following.has(channel)) return;
    following.add(channel);
    followMoved(cluster, store, channel).finally(() => following.delete(channel));
  });

  let subscriberLost = false;
  cluster.on("-node", (redis: Redis) => {
    if (redis?.options?.connectionName?.startsWith(SHARDED_SUBSCRIBER)) subscriberLost = true;
  });
  // Also said after every slot-map change, when ioredis itself resubscribes: only a lost subscriber
  // calls for every channel again.
  cluster.on("subscribersReady", () => {
    if (!subscriberLost) return;
    subscriberLost = false;
    store.resubscribe([...store.channels]).catch((error: unknown) => {
      subscriberLost = true; // tried again at ioredis' next reset
      warn("redis store could not subscribe again after losing a subscriber")(error);
    });
  });
}

async function followMoved(cluster: Cluster, store: Resubscribing, channel: string): Promise<void> {
  let failure: unknown;
  for (let attempt = 0; attempt < MOVED_CHANNEL_ATTEMPTS && cluster.status !== "end"; attempt++) {
    // Errors are the next subscription's to report: it is sent wherever the map then says.
    await new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve()));
    try {
      await store.resubscribe([channel]);
      return;
    } catch (error) {
      failure = error;
    }
  }
  if (cluster.status !== "end") {
    warn("redis store could not follow a moved channel; ioredis' next slot refresh will")(failure);
  }
}
