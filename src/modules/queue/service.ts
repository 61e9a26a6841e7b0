/**
 * Queue: command delivery and result collection on top of the store. Commands wait in their
 * cluster's durable queue until an executor claims them; a claim is a lease that the holder's
 * connection renews, released on disconnect and requeued by the sweeper when the holder vanished.
 * Nothing here polls: waits ride on the store's notifications, and when the store says it may have
 * missed some (its subscription was re-established), each wait looks once at the store.
 */
import { conflict, forbidden, notFound } from "../../http/errors";
import { log } from "../../log";
import type { Command, CommandResult, OutputStreamName } from "../../models";
import { type CommandState, nowMs, type Store, StoreUnavailableError } from "../../store";
import { commandAnswered } from "../audit/events";
import type { AuditRecorder } from "../audit/service";
import type { CommandRecorder } from "../metrics/service";
import { Signals, type Watch } from "./signals";

export interface QueueOptions {
  resultTtlMs: number;
  /** How long a claim stays valid without renewal (its holder's keepalives renew it). */
  leaseMs: number;
  sweepEveryMs: number;
}

/** How often a release that found the store unreachable is tried again. */
const RELEASE_RETRY_MS = 500;

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  resultTtlMs: 300_000,
  leaseMs: 45_000,
  sweepEveryMs: 2_000,
};

export interface Expired {
  /** The state the command was in when its wait ran out (null: unknown). */
  state: CommandState | null;
  /** A result that arrived in the instant between the timeout and the withdrawal. */
  result: CommandResult | null;
}

/** A queued command's wait: its result, or null once its deadline passes without one. */
export interface Queued {
  result: Promise<CommandResult | null>;
}

export interface QueueService {
  /**
   * Queues the command and resolves with the wait for its result. The wait listens from before the
   * command is queued, so no result can slip by unheard and nothing needs reading first.
   */
  submit(command: Command): Promise<Queued>;
  /** The command's stored result, if it has one. */
  result(commandId: string): Promise<CommandResult | null>;
  /** Withdraws a command whose wait ran out, so it is never delivered late. */
  expire(commandId: string): Promise<Expired>;
  /**
   * Stores a result posted by the executor of `clusterId`: 404 for an unknown command, 403 when the
   * command was issued to another cluster. False for a repeated post (the first result stands). The
   * stored result is audited and counted here, once, whether or not anyone still waits for it.
   */
  storeResult(clusterId: string, result: CommandResult): Promise<boolean>;
  /**
   * Keeps one part of an output stream the executor of `clusterId` sends ahead of its result (404 for
   * an unknown command, 403 for another cluster's); the result then names how many parts there are.
   */
  storeOutputPart(
    clusterId: string,
    commandId: string,
    stream: OutputStreamName,
    index: number,
    text: string,
  ): Promise<void>;
  claim(clusterId: string, consumerId: string, max: number): Promise<Command[]>;
  renew(consumerId: string): Promise<void>;
  release(consumerId: string): Promise<number>;
  /**
   * Releases what a departing consumer held; while the store is unreachable, keeps trying in the
   * background until its leases would have run out (the sweeper requeues them then). A claim whose
   * reply was lost as Redis failed over holds commands its executor never got: given back as soon
   * as the store is back, they still meet their deadlines.
   */
  releaseOnLeave(consumerId: string): Promise<number>;
  /** Watches for new work of the cluster, remembering announcements made while the watcher claims. */
  watchWork(clusterId: string): Watch;
  /** Calls `listener` when the cluster's executor token is revoked. */
  onRevoked(clusterId: string, listener: () => void): () => void;
  stop(): void;
}

/** A results signal meaning "the store may have missed this command's result: look". */
const MAYBE_MISSED = Symbol("maybe missed");

const wrongCluster = (command_id: string) =>
  forbidden("WRONG_CLUSTER", "this command was not issued to your cluster", { command_id });

export function createQueueService(
  store: Store,
  options: QueueOptions,
  audit: AuditRecorder,
  metrics: CommandRecorder,
): QueueService {
  /**
   * Carries the result itself when the store's event did; otherwise waiters read it back, and on
   * MAYBE_MISSED read it back in case it was stored while the store was not listening.
   */
  const results = new Signals<CommandResult | undefined | typeof MAYBE_MISSED>();
  const work = new Signals();
  const revoked = new Signals();
  const unsubscribe = store.subscribe((event) => {
    if (event.type === "result") results.emit(event.command_id, event.result);
    else if (event.type === "command") work.emit(event.cluster_id);
    else if (event.type === "revoked") revoked.emit(event.cluster_id);
    else if (event.type === "resubscribed") {
      // One read per waiting command and one claim per executor connection, once per gap.
      results.emitEach(MAYBE_MISSED);
      work.emitEach();
    }
  });

  /**
   * The posted result with each stream sent in parts put back together; 409 while a part is missing,
   * unless the command is answered already (a repeated post, whose parts went with the first).
   */
  async function withParts(posted: CommandResult): Promise<CommandResult | null> {
    const { output_parts: parts, ...result } = posted;
    if (!parts) return posted;
    for (const stream of ["stdout", "stderr"] as const) {
      const count = parts[stream];
      if (count === undefined) continue;
      const texts = await store.readOutputParts(posted.command_id, stream, count);
      if (!texts) {
        if ((await store.commandInfo(posted.command_id))?.state === "done") return null;
        throw conflict("OUTPUT_INCOMPLETE", `a part of ${stream} is missing: send the parts again`, {
          command_id: posted.command_id,
          stream,
          parts: count,
        });
      }
      result[stream] = texts.join("");
    }
    return result;
  }

  let sweeping = false;
  let lastFullSweep = 0;
  const sweeper = setInterval(async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const now = nowMs();
      const requeued = await store.requeueExpired(now);
      if (requeued > 0) log.info("requeued commands whose executor vanished", { count: requeued });
      if (now - lastFullSweep > 60_000) {
        await store.sweep(now);
        lastFullSweep = now;
      }
    } catch (error) {
      log.warn("queue sweep failed", { error: (error as Error).message });
    } finally {
      sweeping = false;
    }
  }, options.sweepEveryMs);
  sweeper.unref();

  const releaseRetries = new Set<ReturnType<typeof setTimeout>>();
  function releaseLater(consumerId: string, untilMs: number): void {
    const timer = setTimeout(() => {
      releaseRetries.delete(timer);
      store.release(consumerId, nowMs()).then(
        (requeued) => {
          if (requeued > 0) log.info("requeued what a departed executor held", { count: requeued });
        },
        () => {
          if (nowMs() < untilMs) releaseLater(consumerId, untilMs);
        },
      );
    }, RELEASE_RETRY_MS);
    timer.unref();
    releaseRetries.add(timer);
  }

  return {
    async submit(command) {
      const { command_id } = command;
      let settle: (error: unknown, result: CommandResult | null) => void = () => {};
      const result = new Promise<CommandResult | null>((resolve, reject) => {
        settle = (error, value) => {
          off();
          clearTimeout(timer);
          if (error) reject(error);
          else resolve(value);
        };
      });
      // A notification without the result (too large to carry) is read back, and so is a result
      // perhaps missed; a failed look for one leaves the wait to come, not the caller, with the error.
      const off = results.on(command_id, (carried) =>
        carried && carried !== MAYBE_MISSED
          ? settle(null, carried)
          : store.getResult(command_id).then(
              (stored) => stored && settle(null, stored),
              (error) => carried !== MAYBE_MISSED && settle(error, null),
            ),
      );
      const timer = setTimeout(() => settle(null, null), Math.max(0, command.deadline_ms - nowMs()));
      try {
        await store.enqueue(command);
      } catch (error) {
        settle(null, null);
        throw error;
      }
      return { result };
    },

    result: (commandId) => store.getResult(commandId),

    async expire(commandId) {
      const state = await store.cancel(commandId);
      const result = state === "done" ? await store.getResult(commandId) : null;
      return { state, result };
    },

    async storeResult(clusterId, posted) {
      const { command_id } = posted;
      if (posted.cluster_id !== clusterId) throw wrongCluster(command_id);
      const result = await withParts(posted);
      if (!result) return false;
      const outcome = await store.putResult(clusterId, result, options.resultTtlMs);
      if (posted.output_parts) await store.dropOutputParts(command_id);
      if (outcome.status === "unknown")
        throw notFound("COMMAND_NOT_FOUND", "no such command", { command_id });
      if (outcome.status === "wrong_cluster") throw wrongCluster(command_id);
      if (outcome.status === "duplicate") return false;
      audit.record(commandAnswered(outcome.command, result));
      metrics.commandResult(result);
      return true;
    },

    async storeOutputPart(clusterId, commandId, stream, index, text) {
      const info = await store.commandInfo(commandId);
      if (!info) throw notFound("COMMAND_NOT_FOUND", "no such command", { command_id: commandId });
      if (info.cluster_id !== clusterId) throw wrongCluster(commandId);
      await store.putOutputPart(commandId, stream, index, text, options.resultTtlMs);
    },

    claim: (clusterId, consumerId, max) => store.claim(clusterId, consumerId, max, options.leaseMs, nowMs()),
    renew: (consumerId) => store.renewLeases(consumerId, options.leaseMs, nowMs()),
    release: (consumerId) => store.release(consumerId, nowMs()),
    releaseOnLeave: (consumerId) =>
      store.release(consumerId, nowMs()).catch((error: unknown) => {
        if (!(error instanceof StoreUnavailableError)) throw error;
        releaseLater(consumerId, nowMs() + options.leaseMs);
        return 0;
      }),
    watchWork: (clusterId) => work.watch(clusterId),
    onRevoked: (clusterId, listener) => revoked.on(clusterId, listener),

    stop() {
      clearInterval(sweeper);
      for (const timer of releaseRetries) clearTimeout(timer);
      unsubscribe();
    },
  };
}
