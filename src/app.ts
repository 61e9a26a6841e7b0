/**
 * The API core: wires the modules to one store and composes their controllers into one Elysia app.
 * It holds no business logic; each module owns its own.
 */
import { Elysia } from "elysia";
import { httpCore } from "./http/core";
import { auditModule } from "./modules/audit";
import { createAuditTrail } from "./modules/audit/service";
import { authModule } from "./modules/auth";
import type { OidcVerifier } from "./modules/auth/oidc";
import { createAuthService, type KeySource } from "./modules/auth/service";
import { clustersModule } from "./modules/clusters";
import { createClusterService } from "./modules/clusters/service";
import { dispatchModule } from "./modules/dispatch";
import { DEFAULT_FOLLOW_OPTIONS, type FollowOptions } from "./modules/dispatch/follow";
import { createDispatch, createExecute } from "./modules/dispatch/service";
import { createExecuteWithChunks, createStreamExecute } from "./modules/dispatch/stream";
import { docsModule } from "./modules/docs";
import { executorsModule } from "./modules/executors";
import { createExecutorGateway, KEEPALIVE_MS } from "./modules/executors/service";
import { fleetModule } from "./modules/fleet";
import { createFleetExecute, createFleetStart } from "./modules/fleet/service";
import { createStreamFleet } from "./modules/fleet/stream";
import { healthModule } from "./modules/health";
import { Lifecycle } from "./modules/health/lifecycle";
import { createHealthService } from "./modules/health/service";
import { createRateLimiter, NO_RATE_LIMITS, type RateLimits } from "./modules/limits/service";
import { mcpModule } from "./modules/mcp";
import { DEFAULT_MCP_LOGS_TAIL } from "./modules/mcp/tools";
import { metricsModule } from "./modules/metrics";
import { createMetrics } from "./modules/metrics/service";
import { operationsModule } from "./modules/operations";
import { createOperationsService } from "./modules/operations/service";
import { DEFAULT_WEBHOOK_OPTIONS, type WebhookOptions } from "./modules/operations/webhooks";
import { outputModule } from "./modules/output";
import { createOutputService, DEFAULT_OUTPUT_OPTIONS } from "./modules/output/service";
import { createQueueService, DEFAULT_QUEUE_OPTIONS } from "./modules/queue/service";
import { sessionModule } from "./modules/session";
import { createSessionService } from "./modules/session/service";
import { statusModule } from "./modules/status";
import { createChainWatch } from "./modules/status/chain";
import { createStatusService } from "./modules/status/service";
import { createOutputStreams } from "./modules/streams/service";
import { nowMs, type Store } from "./store";
import { VERSION } from "./version";

/** Two 1 MiB outputs (the executor's default cap per stream) with room for JSON escaping. */
export const DEFAULT_MAX_RESULT_BYTES = 4 * 1024 * 1024;

/** How long a stop lets the command waits under way finish before closing executor streams. */
export const DEFAULT_DRAIN_MS = 5_000;

export interface AppOptions {
  store: Store;
  keys: KeySource;
  /** People through OIDC: bearer JWTs verified against the issuer; absent: API keys only. */
  oidc?: OidcVerifier;
  maxBodyBytes: number;
  /** Limit for an executor's result post, which carries whole (capped) command outputs. */
  maxResultBytes?: number;
  resultTtlMs: number;
  keepaliveMs?: number;
  /** How long an executor's claim on a command lasts without renewal. */
  leaseMs?: number;
  /** Callback signing, allowlist and retry policy of async operations; default: webhooks refused. */
  webhooks?: WebhookOptions;
  /** Request rate per API key identity and command rate per cluster; default: unlimited. */
  rateLimits?: RateLimits;
  /** Serve GET /metrics (KUBENTLY_METRICS); default on. Off, the route is gone; recording stays. */
  metrics?: boolean;
  /** An info line per request (KUBENTLY_ACCESS_LOG); default on. */
  accessLog?: boolean;
  /** The clock rate limits run on; default the store's nowMs (tests drive their own). */
  clock?: () => number;
  /** How long a stop lets synchronous command waits finish; default DEFAULT_DRAIN_MS. */
  drainMs?: number;
  /** Largest output stream an answer carries whole; beyond it, a preview and an output handle. */
  inlineOutputBytes?: number;
  /** --tail that MCP gives `logs` commands setting none (0: none). */
  mcpLogsTail?: number;
  /** The window of following commands: default and maximum; default 30 and 120 s. */
  follow?: FollowOptions;
}

export function createApp({
  store,
  keys,
  oidc,
  maxBodyBytes,
  maxResultBytes = DEFAULT_MAX_RESULT_BYTES,
  resultTtlMs,
  keepaliveMs = KEEPALIVE_MS,
  leaseMs = DEFAULT_QUEUE_OPTIONS.leaseMs,
  webhooks = DEFAULT_WEBHOOK_OPTIONS,
  rateLimits = NO_RATE_LIMITS,
  metrics: serveMetrics = true,
  accessLog = true,
  clock = nowMs,
  drainMs = DEFAULT_DRAIN_MS,
  inlineOutputBytes = DEFAULT_OUTPUT_OPTIONS.inlineBytes,
  mcpLogsTail = DEFAULT_MCP_LOGS_TAIL,
  follow = DEFAULT_FOLLOW_OPTIONS,
}: AppOptions) {
  const metrics = createMetrics(store);
  const lifecycle = new Lifecycle();
  const limiter = createRateLimiter(store, rateLimits, clock, metrics.rateLimited);
  const auth = createAuthService(store, keys, limiter, oidc);
  const clusters = createClusterService(store);
  const sessions = createSessionService(store, clusters);
  const audit = createAuditTrail(store);
  const queue = createQueueService(store, { ...DEFAULT_QUEUE_OPTIONS, resultTtlMs, leaseMs }, audit, metrics);
  const gateway = createExecutorGateway(store, queue, metrics, keepaliveMs);
  const health = createHealthService(store, nowMs(), lifecycle);
  const output = createOutputService(store, { inlineBytes: inlineOutputBytes });
  const dispatchUses = { queue, sessions, clusters, audit, metrics, lifecycle, limiter, output };
  const dispatch = createDispatch({ ...dispatchUses, follow });
  const execute = createExecute(dispatch, lifecycle);
  const streams = createOutputStreams(store);
  const streamExecute = createStreamExecute(dispatch, lifecycle, streams);
  const executeWithChunks = createExecuteWithChunks(dispatch, lifecycle, streams);
  const fleetStart = createFleetStart({ dispatch, clusters, lifecycle, follow });
  const fleet = createFleetExecute(fleetStart);
  const streamFleet = createStreamFleet(fleetStart, streams);
  const operations = createOperationsService(store, dispatch, { resultTtlMs, webhooks });
  const chain = createChainWatch(audit.read, nowMs);
  const status = createStatusService({ store, clusters, audit, chain, version: VERSION });

  // Bun's own limit is only a backstop: httpCore's formatted 413 comes first, before the body is read
  // for a declared length, as it is read otherwise. Unknown body fields are refused rather than silently
  // dropped (normalize off).
  const app = new Elysia({
    normalize: false,
    serve: { maxRequestBodySize: Math.max(maxBodyBytes, maxResultBytes) * 2 },
    // A WebSocket message is held to what an HTTP results post may carry; a bigger one is closed
    // with 1009 and the executor sends that result over HTTP. Elysia reads this only here.
    websocket: { maxPayloadLength: Math.max(maxBodyBytes, maxResultBytes) },
  })
    .use(httpCore({ maxBodyBytes, maxResultBytes, recorder: metrics, accessLog }))
    .use(healthModule(health))
    .use(serveMetrics ? metricsModule(metrics) : new Elysia({ name: "kubently.metrics-off" }))
    .use(authModule(auth, audit))
    .use(clustersModule(auth, clusters, audit))
    .use(sessionModule(auth, sessions))
    .use(dispatchModule(auth, execute, streamExecute))
    .use(fleetModule(auth, fleet, streamFleet))
    .use(operationsModule(auth, operations))
    .use(outputModule(auth, output))
    .use(
      mcpModule(
        auth,
        { execute, executeWithChunks, fleet, sessions, clusters, output },
        { logsTail: mcpLogsTail },
      ),
    )
    .use(executorsModule(auth, gateway, queue, streams))
    .use(auditModule(auth, audit))
    .use(statusModule(auth, status))
    .use(docsModule());

  // From the first instant of a stop /ready fails and new commands are refused; the waits under way
  // and the webhooks already being delivered get their drain time together. Then the executors'
  // streams close (their unanswered commands go back to the queue, for another replica) before the
  // queue stops listening; audit entries recorded until then get their time before the store closes.
  const stop = async () => {
    await Promise.all([lifecycle.drain(drainMs), operations.stop()]);
    await gateway.close("server shutting down; reconnect");
    queue.stop();
    await audit.stop();
  };
  return { app, stop };
}

export type App = ReturnType<typeof createApp>["app"];
