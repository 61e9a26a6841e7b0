/**
 * Keeps the executor connected: runs the chosen transport (or, for `auto`, the first of WebSocket,
 * SSE and long-poll that the server accepts: one socket carries commands and results both ways, so
 * it is the cheapest where it connects), reconnects with capped exponential backoff and
 * jitter, and says which transport is in use whenever that changes. Whatever a transport receives
 * goes through one Inbound (transports/inbound.ts) before the agent sees it.
 */
import type { Command } from "../src/models";
import { Backoff, pause } from "./backoff";
import type { ExecutorLog } from "./log";
import type { ResultPoster } from "./results";
import { Inbound } from "./transports/inbound";
import { pollTransport } from "./transports/poll";
import { sseTransport } from "./transports/sse";
import { ConnectError, type Endpoint, type Transport, type TransportName } from "./transports/types";
import { wsTransport } from "./transports/ws";

export type TransportChoice = TransportName | "auto";

const TRANSPORTS: Record<TransportName, Transport> = {
  sse: sseTransport,
  ws: wsTransport,
  poll: pollTransport,
};
const AUTO_ORDER: TransportName[] = ["ws", "sse", "poll"];

export interface ConnectionOptions {
  endpoint: Endpoint;
  choice: TransportChoice;
  accept(command: Command): void;
  /** Stops a running command whose streaming caller went away (absent: cancels are ignored). */
  cancel?(commandId: string): void;
  results: ResultPoster;
  log: ExecutorLog;
  signal: AbortSignal;
  /** Told each time a connection is established (tests and the demo wait on it). */
  onConnected?(transport: TransportName): void;
  /** Tests only: a backoff of their own (its jitter), and a shorter read-idle timeout than READ_IDLE_MS. */
  backoff?: Backoff;
  readIdleMs?: number;
}

export async function stayConnected(options: ConnectionOptions): Promise<void> {
  const { endpoint, choice, accept, results, log, signal } = options;
  const backoff = options.backoff ?? new Backoff();
  const order = choice === "auto" ? AUTO_ORDER : [choice];
  const inbound = new Inbound({
    clusterId: endpoint.clusterId,
    version: endpoint.version,
    accept,
    sink: results,
    log,
  });
  let current: TransportName | null = null;

  while (!signal.aborted) {
    let lastError: unknown = null;
    for (const name of order) {
      if (signal.aborted) break;
      let established = false;
      try {
        await TRANSPORTS[name]({
          endpoint,
          log,
          receive: (command) => inbound.command(command, name),
          skip: (problem) => inbound.skip(name, problem),
          cancel: (commandId) => options.cancel?.(commandId),
          signal,
          readIdleMs: options.readIdleMs,
          connected(channel, httpChunks) {
            established = true;
            backoff.reset();
            results.useChannel(channel ?? null, httpChunks === true);
            if (current !== name)
              log("info", "connected", {
                transport: name,
                api_url: endpoint.apiUrl,
                auto: choice === "auto",
              });
            current = name;
            options.onConnected?.(name);
          },
        });
      } catch (error) {
        lastError = error;
      } finally {
        results.useChannel(null);
      }
      if (established) break; // it worked and then ended: redial from the first choice
      if (lastError instanceof ConnectError && lastError.status === 401) break; // no transport will do better
    }
    if (signal.aborted) break;
    const delay = backoff.next();
    if (lastError) {
      const status = lastError instanceof ConnectError ? lastError.status : null;
      log(status === 401 ? "error" : "warn", "connection failed; retrying", {
        error: (lastError as Error).message,
        status,
        retry_in_ms: Math.round(delay),
        ...(status === 404 ? { hint: notFoundHint(endpoint.apiUrl) } : {}),
      });
    } else {
      log("info", "connection closed; reconnecting", { retry_in_ms: Math.round(delay) });
    }
    await pause(delay, signal);
  }
}

/**
 * A 404 on the executor routes will not heal by retrying: say what is likely wrong. A path in the URL
 * is kept (a proxy in front may strip it), but it is the usual mistake, as the API serves at its root.
 */
function notFoundHint(apiUrl: string): string {
  const { pathname } = new URL(apiUrl);
  return pathname === "/"
    ? "no executor routes at this address: is KUBENTLY_API_URL the Kubently API?"
    : `KUBENTLY_API_URL has a path (${pathname}) and the API serves /executor/… at its root: ` +
        "drop the path, unless a proxy in front strips it";
}
