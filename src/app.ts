/**
 * The API core: wires the modules to one store and composes their controllers into one Elysia app.
 * It holds no business logic; each module owns its own.
 */
import { Elysia } from "elysia";
import { httpCore } from "./http/core";
import { authModule } from "./modules/auth";
import { createAuthService, type KeySource } from "./modules/auth/service";
import { clustersModule } from "./modules/clusters";
import { createClusterService } from "./modules/clusters/service";
import { docsModule } from "./modules/docs";
import { executorsModule } from "./modules/executors";
import { createExecutorGateway, KEEPALIVE_MS } from "./modules/executors/service";
import { healthModule } from "./modules/health";
import { createHealthService } from "./modules/health/service";
import { mcpModule } from "./modules/mcp";
import { operationsModule } from "./modules/operations";
import { createOperationsService } from "./modules/operations/service";
import { DEFAULT_WEBHOOK_OPTIONS, type WebhookOptions } from "./modules/operations/webhooks";
import { queueModule } from "./modules/queue";
import { createDispatch, createExecute } from "./modules/queue/execute";
import { createQueueService, DEFAULT_QUEUE_OPTIONS } from "./modules/queue/service";
import { sessionModule } from "./modules/session";
import { createSessionService } from "./modules/session/service";
import type { Store } from "./store";

/** Two 1 MiB outputs (the executor's default cap per stream) with room for JSON escaping. */
export const DEFAULT_MAX_RESULT_BYTES = 4 * 1024 * 1024;

export interface AppOptions {
  store: Store;
  keys: KeySource;
  maxBodyBytes: number;
  /** Limit for an executor's result post, which carries whole (capped) command outputs. */
  maxResultBytes?: number;
  resultTtlMs: number;
  keepaliveMs?: number;
  /** How long an executor's claim on a command lasts without renewal. */
  leaseMs?: number;
  /** Callback signing, allowlist and retry policy of async operations; default: webhooks refused. */
  webhooks?: WebhookOptions;
}

export function createApp({
  store,
  keys,
  maxBodyBytes,
  maxResultBytes = DEFAULT_MAX_RESULT_BYTES,
  resultTtlMs,
  keepaliveMs = KEEPALIVE_MS,
  leaseMs = DEFAULT_QUEUE_OPTIONS.leaseMs,
  webhooks = DEFAULT_WEBHOOK_OPTIONS,
}: AppOptions) {
  const auth = createAuthService(store, keys);
  const clusters = createClusterService(store);
  const sessions = createSessionService(store, clusters);
  const queue = createQueueService(store, { ...DEFAULT_QUEUE_OPTIONS, resultTtlMs, leaseMs });
  const gateway = createExecutorGateway(store, queue, keepaliveMs);
  const health = createHealthService(store, Date.now());
  const dispatch = createDispatch(queue, sessions, clusters);
  const execute = createExecute(dispatch);
  const operations = createOperationsService(store, dispatch, { resultTtlMs, webhooks });

  // Bun's own limit is a backstop for bodies that declare no length; declared ones get the formatted
  // 413 from httpCore first. Unknown body fields are refused rather than silently dropped (normalize off).
  const app = new Elysia({
    normalize: false,
    serve: { maxRequestBodySize: Math.max(maxBodyBytes, maxResultBytes) * 2 },
  })
    .use(httpCore(maxBodyBytes, maxResultBytes))
    .use(healthModule(health))
    .use(authModule(auth, store))
    .use(clustersModule(auth, clusters))
    .use(sessionModule(auth, sessions))
    .use(queueModule(auth, execute))
    .use(operationsModule(auth, operations))
    .use(mcpModule(auth, { execute, sessions, clusters }))
    .use(executorsModule(auth, gateway, queue))
    .use(docsModule());

  // Webhooks already under way get their drain time before the queue stops listening.
  const stop = async () => {
    await operations.stop();
    queue.stop();
  };
  return { app, stop };
}

export type App = ReturnType<typeof createApp>["app"];
