/**
 * `kubently serve`: opens the store, loads the keys (re-read on SIGHUP), starts listening, and
 * stops cleanly on SIGTERM/SIGINT: the app drains (still listening, so /ready can say 503) before
 * the listener closes and the store after it.
 */
import { type App, createApp } from "./app";
import {
  ConfigError,
  describeConfig,
  type LoadedKeys,
  loadKeys,
  loadOidc,
  loadTls,
  loadWebhooks,
  type ServerConfig,
  type TlsFiles,
} from "./config";
import { log } from "./log";
import { createOidcVerifier } from "./modules/auth/oidc";
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

/** Why a listen failed, by its error code: the configuration's fault, told in one line. */
const LISTEN_REFUSALS: Record<string, string> = {
  EADDRINUSE: "another process is listening there",
  EADDRNOTAVAIL: "no interface of this machine has that address",
  EACCES: "not permitted (ports below 1024 need privileges)",
};

/**
 * Starts listening, alone on the port: Elysia asks Bun for SO_REUSEPORT, which would let a second
 * server share the port silently, each with its own state behind one address. A port in use, an
 * address not here, or a certificate Bun cannot load is a ConfigError.
 */
function listen(app: App, config: ServerConfig, tls: TlsFiles | null, host: string): void {
  try {
    app.listen({
      hostname: config.host,
      port: config.port,
      idleTimeout: IDLE_TIMEOUT_SECONDS,
      reusePort: false,
      ...(tls ? { tls } : {}),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const refusal = typeof code === "string" ? LISTEN_REFUSALS[code] : undefined;
    if (refusal) throw new ConfigError(`cannot listen on ${host}:${config.port}: ${refusal} (${code})`);
    if (tls && typeof code === "string" && code.startsWith("ERR_OSSL")) {
      throw new ConfigError(
        `KUBENTLY_TLS_CERT, KUBENTLY_TLS_KEY: cannot serve HTTPS with ${config.tlsCert} and ${config.tlsKey}: ${(error as Error).message}`,
      );
    }
    throw error;
  }
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  let keys: LoadedKeys = loadKeys(config);
  const webhooks = loadWebhooks(config);
  const oidc = loadOidc(config);
  const tls = loadTls(config);
  const store = await openStore(config.store, { redisPrefix: config.redisPrefix });
  const insecureIdentity = config.insecureNoAuth && keys.clients.size === 0 ? "anonymous" : null;
  if (insecureIdentity) {
    log.warn("INSECURE: no API keys and --insecure-no-auth: every caller is 'anonymous', admin included");
  }
  const { app, stop } = createApp({
    store,
    keys: { clients: () => keys.clients, admins: () => keys.admins, insecureIdentity },
    oidc: oidc ? createOidcVerifier(oidc) : undefined,
    maxBodyBytes: config.maxBodyBytes,
    resultTtlMs: config.resultTtlSeconds * 1000,
    inlineOutputBytes: config.inlineOutputBytes,
    mcpLogsTail: config.mcpLogsTail,
    follow: { defaultSeconds: config.followDefaultSeconds, maxSeconds: config.followMaxSeconds },
    webhooks,
    rateLimits: { client: config.rateLimit, cluster: config.clusterRateLimit },
    metrics: config.metrics,
    accessLog: config.accessLog,
  });
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  try {
    listen(app, config, tls, host);
  } catch (error) {
    await stop();
    await store.close();
    throw error;
  }
  const port = app.server?.port ?? config.port;
  const scheme = tls ? "https" : "http";
  const url = `${scheme}://${host}:${port}`;
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
