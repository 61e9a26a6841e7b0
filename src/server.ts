/**
 * `kubently serve`: opens the store, loads the keys (re-read on SIGHUP), starts listening, and
 * stops cleanly on SIGTERM/SIGINT: the app drains (still listening, so /ready can say 503) before
 * the listener closes and the store after it.
 */
import { createApp } from "./app";
import {
  describeConfig,
  type LoadedKeys,
  loadKeys,
  loadTls,
  loadWebhooks,
  type ServerConfig,
} from "./config";
import { log } from "./log";
import { openStore } from "./store";
import { VERSION } from "./version";

/** Idle HTTP connections close after this; long waits (execute, streams, polls) extend their own. */
const IDLE_TIMEOUT_SECONDS = 30;

export interface RunningServer {
  url: string;
  port: number;
  /** Re-reads the API key settings and file; keeps the old keys if the new ones are invalid. */
  reloadKeys(): void;
  stop(): Promise<void>;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  let keys: LoadedKeys = loadKeys(config);
  const webhooks = loadWebhooks(config);
  const tls = loadTls(config);
  const store = await openStore(config.store, { redisPrefix: config.redisPrefix });
  const insecureIdentity = config.insecureNoAuth && keys.clients.size === 0 ? "anonymous" : null;
  if (insecureIdentity) {
    log.warn("INSECURE: no API keys and --insecure-no-auth: every caller is 'anonymous', admin included");
  }
  const { app, stop } = createApp({
    store,
    keys: { clients: () => keys.clients, admins: () => keys.admins, insecureIdentity },
    maxBodyBytes: config.maxBodyBytes,
    resultTtlMs: config.resultTtlSeconds * 1000,
    webhooks,
    rateLimits: { client: config.rateLimit, cluster: config.clusterRateLimit },
    metrics: config.metrics,
    accessLog: config.accessLog,
  });
  app.listen({
    hostname: config.host,
    port: config.port,
    idleTimeout: IDLE_TIMEOUT_SECONDS,
    ...(tls ? { tls } : {}),
  });
  const port = app.server?.port ?? config.port;
  const scheme = tls ? "https" : "http";
  const url = `${scheme}://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  log.info("kubently listening", { url, version: VERSION, config: describeConfig(config, keys) });
  if ((webhooks.secret === null) !== (webhooks.allowedHosts.length === 0)) {
    log.warn(
      "webhooks need both a secret and an allowlist; until both are set every callback_url is refused",
    );
  }
  return {
    url,
    port,
    reloadKeys() {
      try {
        keys = loadKeys(config);
        log.info("API keys reloaded", { api_keys: keys.clients.size, admin_keys: keys.admins.size });
      } catch (error) {
        log.error("API key reload failed; keeping the previous keys", { error: (error as Error).message });
      }
    },
    async stop() {
      await stop();
      await app.stop(true);
      await store.close();
    },
  };
}
