/**
 * The server's side of the executor protocol, independent of transport: a delivery loop that hands
 * a connected executor its cluster's commands as they arrive, renews its leases on every keepalive,
 * and gives back what it did not answer when the connection ends. SSE uses it today; any
 * bidirectional transport plugs in through `DeliveryChannel`. On a graceful stop, `close` ends every
 * delivery of this replica so its executors reconnect, to another replica.
 */
import { log } from "../../log";
import type { Command, ExecutorPolicy } from "../../models";
import { nowMs, type Store } from "../../store";
import type { Metrics } from "../metrics/service";
import type { QueueService } from "../queue/service";

export const KEEPALIVE_MS = 15_000;
const CLAIM_BATCH = 64;

export interface DeliveryChannel {
  send(commands: Command[]): void;
  keepalive(): void;
  /** Called once when the server ends the delivery (revoked token, store failure). */
  close(reason: string): void;
}

export interface ExecutorMeta {
  clusterId: string;
  version: string | null;
  transport: "sse" | "poll" | "ws";
  /** What the executor reported of its policy as it connected; null for none (or none readable). */
  policy: ExecutorPolicy | null;
  /** Re-checks the connection's credential on every keepalive (a rotated token ends the stream). */
  stillAuthorized(): Promise<boolean>;
}

export interface ExecutorGateway {
  /** Runs until `signal` aborts or the server ends the delivery; always releases what it held. */
  deliver(meta: ExecutorMeta, channel: DeliveryChannel, signal: AbortSignal): Promise<void>;
  /** One long-poll: claimed commands, waiting up to `waitMs` for some to arrive. */
  poll(
    meta: ExecutorMeta,
    executorId: string,
    waitMs: number,
    max: number,
    signal: AbortSignal,
    /** Ends the wait early with no commands (a cancel for the executor came); never releases any. */
    wake?: AbortSignal,
  ): Promise<Command[]>;
  /**
   * Ends every delivery with `reason` (a `closing` message) and every long-poll under way, refuses
   * new ones, and resolves once each has given back the commands it held.
   */
  close(reason: string): Promise<void>;
}

export function createExecutorGateway(
  store: Pick<Store, "recordPresence">,
  queue: QueueService,
  metrics: Pick<Metrics, "executorConnection">,
  keepaliveMs: number = KEEPALIVE_MS,
): ExecutorGateway {
  const closing = new AbortController();
  const running = new Set<Promise<void>>();
  /** `opening`: this contact starts a connection (a stream, or any long-poll), so it sets the policy. */
  const presence = (meta: ExecutorMeta, connection: string, connected: boolean, opening = false) =>
    store.recordPresence(meta.clusterId, {
      connected,
      connection,
      executor_version: meta.version,
      transport: meta.transport,
      ...(opening ? { policy: meta.policy } : {}),
      at_ms: nowMs(),
    });

  return {
    async deliver(meta, channel, signal) {
      if (closing.signal.aborted) return channel.close(String(closing.signal.reason));
      const consumerId = `${meta.transport}:${meta.clusterId}:${crypto.randomUUID()}`;
      const stop = new AbortController();
      const end = (reason: string) => {
        if (stop.signal.aborted) return;
        channel.close(reason);
        stop.abort();
      };
      signal.addEventListener("abort", () => stop.abort(), { once: true });
      const offRevoked = queue.onRevoked(meta.clusterId, () => end("executor token revoked"));
      const work = queue.watchWork(meta.clusterId);
      log.info("executor connected", {
        cluster_id: meta.clusterId,
        transport: meta.transport,
        version: meta.version,
      });
      const onClosing = () => end(String(closing.signal.reason));
      closing.signal.addEventListener("abort", onClosing, { once: true });
      const finished = Promise.withResolvers<void>();
      running.add(finished.promise);
      metrics.executorConnection(meta.transport, 1);
      try {
        await presence(meta, consumerId, true, true);
        /** Set when a claim came back full, or after a keepalive: look again without a signal. */
        let more = false;
        while (!stop.signal.aborted) {
          if (work.take() || more) {
            const commands = await queue.claim(meta.clusterId, consumerId, CLAIM_BATCH);
            if (commands.length > 0 && !stop.signal.aborted) channel.send(commands);
            more = commands.length === CLAIM_BATCH;
            continue;
          }
          if ((await work.wait(keepaliveMs, stop.signal)) || stop.signal.aborted) continue;
          if (!(await meta.stillAuthorized())) {
            end("executor token no longer valid");
            break;
          }
          channel.keepalive();
          await queue.renew(consumerId);
          await presence(meta, consumerId, true);
          // Look again even without a notification: one lost while the store reconnected costs one keepalive.
          more = true;
        }
      } catch (error) {
        log.warn("executor delivery failed", { cluster_id: meta.clusterId, error: (error as Error).message });
        end("server error; reconnect");
      } finally {
        work.stop();
        offRevoked();
        const requeued = await queue.releaseOnLeave(consumerId).catch(() => 0);
        await presence(meta, consumerId, false).catch(() => undefined);
        log.info("executor disconnected", {
          cluster_id: meta.clusterId,
          transport: meta.transport,
          requeued,
        });
        closing.signal.removeEventListener("abort", onClosing);
        metrics.executorConnection(meta.transport, -1);
        running.delete(finished.promise);
        finished.resolve();
      }
    },

    async poll(meta, executorId, waitMs, max, hangup, wake) {
      if (closing.signal.aborted) return [];
      // Ends with the poller's hang-up or the server's close; the listener on the long-lived close
      // signal is removed when the poll ends, so polls leave nothing behind.
      const ended = new AbortController();
      const end = () => ended.abort();
      const { signal } = ended;
      hangup.addEventListener("abort", end, { once: true });
      closing.signal.addEventListener("abort", end, { once: true });
      if (hangup.aborted) end();
      metrics.executorConnection(meta.transport, 1);
      // Watching before the first claim: work queued while it runs wakes the wait below.
      const work = queue.watchWork(meta.clusterId);
      try {
        const consumerId = `poll:${meta.clusterId}:${executorId}`;
        await queue.renew(consumerId);
        await presence(meta, consumerId, true, true);
        work.take();
        const claimed = await queue.claim(meta.clusterId, consumerId, max);
        if (claimed.length > 0 || waitMs === 0) return claimed;
        const deadline = nowMs() + waitMs;
        const waiting = wake ? AbortSignal.any([signal, wake]) : signal;
        while (!waiting.aborted && nowMs() < deadline) {
          if (!(await work.wait(deadline - nowMs(), waiting))) break;
          work.take();
          const commands = await queue.claim(meta.clusterId, consumerId, max);
          if (signal.aborted) {
            // The poller hung up (or the server is closing) while we claimed: its answer would be
            // lost, so give the work back now rather than when the lease runs out.
            await queue.release(consumerId);
            return [];
          }
          if (commands.length > 0) return commands;
        }
        return [];
      } finally {
        work.stop();
        closing.signal.removeEventListener("abort", end);
        hangup.removeEventListener("abort", end);
        metrics.executorConnection(meta.transport, -1);
      }
    },

    async close(reason) {
      closing.abort(reason);
      await Promise.allSettled([...running]);
    },
  };
}
