/**
 * Async operations: a command queued exactly as POST /debug/execute queues it, whose settlement is
 * recorded in the store instead of being waited for, read back by its owner, and optionally POSTed
 * to a callback URL.
 *
 * The record lives in the store, so any replica answers GET. The replica that accepted an operation
 * watches it (on store notifications, no polling) and sends its webhook; a GET that finds the command
 * answered or past its deadline settles the operation itself (the first outcome stored wins), so
 * operations stay right when the accepting replica is gone. Webhooks are delivered in process: if
 * that replica dies first, the webhook is not sent and GET is the way to the outcome.
 */
import { notFound } from "../../http/errors";
import { log } from "../../log";
import type { Command } from "../../models";
import { nowMs, type OperationOutcome, type Store } from "../../store";
import type { Dispatch, ExecuteCaller, ExecuteInput, Settlement, Submitted } from "../dispatch/service";
import type { Operation } from "./model";
import { checkCallback, deliver, type WebhookOptions } from "./webhooks";

export interface OperationsOptions {
  /** How long a finished operation stays readable (the results TTL). */
  resultTtlMs: number;
  webhooks: WebhookOptions;
}

export interface OperationsService {
  /**
   * Checks the callback (400 before anything is queued), queues the command, starts watching it and
   * answers with the pending operation.
   */
  start(input: ExecuteInput & { callback_url?: string }, caller: ExecuteCaller): Promise<Operation>;
  /** The operation as its owner sees it; 404 OPERATION_NOT_FOUND when unknown, expired or not theirs. */
  get(operationId: string, identity: string): Promise<Operation>;
  /** Stops watching, lets deliveries under way finish for up to the drain time, then abandons them. */
  stop(): Promise<void>;
}

type OpenStatus = { status: "pending" | "running" };

export function createOperationsService(
  store: Pick<Store, "createOperation" | "getOperation" | "completeOperation" | "commandInfo">,
  dispatch: Dispatch,
  options: OperationsOptions,
): OperationsService {
  const { resultTtlMs, webhooks } = options;
  const deliveries = new Set<Promise<void>>();
  const abandon = new AbortController();
  let stopped = false;

  /** Records how the operation ended, or what another replica recorded first. */
  async function finish(command: Command, settlement: Settlement): Promise<OperationOutcome> {
    const outcome = outcomeOf(settlement);
    if (await store.completeOperation(command.command_id, outcome, resultTtlMs)) return outcome;
    return (await store.getOperation(command.command_id))?.outcome ?? outcome;
  }

  async function watch({ command, settled }: Submitted, callbackUrl: string | null): Promise<void> {
    let outcome: OperationOutcome;
    try {
      outcome = await finish(command, await settled);
    } catch (error) {
      // After stop() the store is closing under the watch; that is expected, not news.
      if (!stopped) {
        log.error("operation not settled here; a GET will settle it, but its webhook is lost", {
          operation_id: command.command_id,
          correlation_id: command.correlation_id,
          error: (error as Error).message,
        });
      }
      return;
    }
    if (stopped || !callbackUrl || !webhooks.secret) return;
    const delivery = send(command, outcome, callbackUrl, webhooks.secret);
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
  }

  async function send(command: Command, outcome: OperationOutcome, url: string, secret: string) {
    const report = await deliver(
      {
        url,
        body: JSON.stringify(view(command, outcome)),
        operationId: command.command_id,
        correlationId: command.correlation_id,
      },
      secret,
      webhooks,
      abandon.signal,
    );
    const fields = {
      operation_id: command.command_id,
      correlation_id: command.correlation_id,
      // The origin only: a callback's path or query may hold the receiver's own token.
      target: new URL(url).origin,
      attempts: report.attempts,
      http_status: report.status,
      error: report.error,
    };
    if (report.delivered) log.info("webhook delivered", fields);
    else log.warn("webhook not delivered", fields);
  }

  return {
    async start({ callback_url, ...input }, caller) {
      const callbackUrl = callback_url === undefined ? null : checkCallback(callback_url, webhooks).href;
      const submitted = await dispatch.submit(input, caller, (built) =>
        // Kept past the deadline for the results TTL, so a GET can still settle it if this replica dies.
        store.createOperation(
          { command: built, callback_url: callbackUrl },
          built.deadline_ms - nowMs() + resultTtlMs,
        ),
      );
      void watch(submitted, callbackUrl);
      return view(submitted.command, { status: "pending" });
    },

    async get(operationId, identity) {
      const record = await store.getOperation(operationId);
      // Someone else's operation answers exactly like a missing one, so ids cannot be probed.
      if (!record || record.command.service_identity !== identity) {
        throw notFound("OPERATION_NOT_FOUND", "no such operation", { operation_id: operationId });
      }
      if (record.outcome) return view(record.command, record.outcome);
      // Read the state before looking for a result, so a result stored in between is not reported
      // as still pending.
      const info = await store.commandInfo(operationId);
      const settlement = await dispatch.settleNow(record.command);
      if (settlement) return view(record.command, await finish(record.command, settlement));
      return view(record.command, { status: info?.state === "inflight" ? "running" : "pending" });
    },

    async stop() {
      stopped = true;
      if (deliveries.size > 0) {
        let timer: Timer | undefined;
        const drained = Promise.allSettled([...deliveries]);
        await Promise.race([
          drained,
          new Promise((resolve) => (timer = setTimeout(resolve, webhooks.drainMs))),
        ]);
        clearTimeout(timer);
        abandon.abort();
        await drained;
      }
    },
  };
}

function outcomeOf(settlement: Settlement): OperationOutcome {
  const completed_at = new Date(nowMs()).toISOString();
  if (settlement.error) {
    const { status, message, code, context } = settlement.error;
    return {
      status: status === 403 ? "denied" : "timed_out",
      completed_at,
      error: { message, code, context },
    };
  }
  const { result } = settlement;
  return { status: result.status === "success" ? "succeeded" : "failed", completed_at, result };
}

function view(command: Command, state: OperationOutcome | OpenStatus): Operation {
  const operation: Operation = {
    operation_id: command.command_id,
    status: state.status,
    cluster_id: command.cluster_id,
    correlation_id: command.correlation_id,
    service_identity: command.service_identity,
    created_at: command.created_at,
    deadline_at: new Date(command.deadline_ms).toISOString(),
  };
  if (command.requested_by !== undefined) operation.requested_by = command.requested_by;
  if ("completed_at" in state) {
    operation.completed_at = state.completed_at;
    if (state.result) operation.result = state.result;
    if (state.error) {
      operation.error = state.error.message;
      operation.details = { code: state.error.code, context: state.error.context };
    }
  }
  return operation;
}
