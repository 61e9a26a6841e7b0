/**
 * A real Kubently API server for tests: the app from createApp, listening on a free loopback port,
 * on the store a test names. Keys are fixed test keys; the helpers speak plain HTTP.
 */
import { type AppOptions, createApp } from "../../src/app";
import { KeyRing } from "../../src/modules/auth/keys";
import { createOidcVerifier, type OidcOptions } from "../../src/modules/auth/oidc";
import { readPrincipals } from "../../src/modules/auth/principals";
import type { WebhookOptions } from "../../src/modules/operations/webhooks";
import { openStore, type Store } from "../../src/store";

export const CLIENT_KEY = "client-key-0123456789abcdef";
export const OTHER_CLIENT_KEY = "other-key-0123456789abcdef";
export const ADMIN_KEY = "admin-key-0123456789abcdef";

export interface TestServer {
  url: string;
  store: Store;
  /** Fetch as the `agent` client. */
  client(path: string, init?: RequestInit): Promise<Response>;
  /** Fetch as the `other` client. */
  other(path: string, init?: RequestInit): Promise<Response>;
  admin(path: string, init?: RequestInit): Promise<Response>;
  /** Fetch with any client key (a scoped principal's, say). */
  as(key: string): (path: string, init?: RequestInit) => Promise<Response>;
  /** Registers a cluster and returns its executor token. */
  registerCluster(clusterId: string): Promise<string>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  storeUrl?: string;
  redisPrefix?: string;
  maxBodyBytes?: number;
  maxResultBytes?: number;
  keepaliveMs?: number;
  leaseMs?: number;
  webhooks?: WebhookOptions;
  /** A keys file (YAML) of scoped principals, beside the unscoped `agent` and `other`. */
  keysFile?: string;
  /** People through OIDC, mapped by the keys file's oidcGroups. */
  oidc?: OidcOptions;
  /**
   * As createApp takes them: rate limits and the clock they run on, /metrics on or off, the drain bound,
   * the follow window.
   */
  ops?: Pick<AppOptions, "rateLimits" | "clock" | "metrics" | "drainMs" | "follow">;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = await openStore(options.storeUrl ?? "memory://", {
    redisPrefix: options.redisPrefix ?? `test-${crypto.randomUUID()}:`,
  });
  const principals = readPrincipals(options.keysFile ?? "principals: {}", "test keys file");
  const clients = new KeyRing(
    [{ service: "agent", key: CLIENT_KEY }, { service: "other", key: OTHER_CLIENT_KEY }, ...principals.keys],
    principals.groups,
  );
  const admins = new KeyRing([{ service: "ops", key: ADMIN_KEY }]);
  const { app, stop } = createApp({
    store,
    keys: { clients: () => clients, admins: () => admins, insecureIdentity: null },
    oidc: options.oidc ? createOidcVerifier(options.oidc) : undefined,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    maxResultBytes: options.maxResultBytes,
    resultTtlMs: 300_000,
    keepaliveMs: options.keepaliveMs,
    leaseMs: options.leaseMs,
    webhooks: options.webhooks,
    ...options.ops,
  });
  app.listen({ hostname: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${app.server?.port}`;
  const call =
    (key: string) =>
    (path: string, init: RequestInit = {}) =>
      fetch(url + path, {
        ...init,
        headers: {
          "x-api-key": key,
          "content-type": "application/json",
          ...(init.headers as Record<string, string>),
        },
      });
  const admin = call(ADMIN_KEY);
  return {
    url,
    store,
    client: call(CLIENT_KEY),
    other: call(OTHER_CLIENT_KEY),
    admin,
    as: call,
    async registerCluster(clusterId) {
      const response = await admin(`/admin/clusters/${clusterId}/token`, { method: "POST" });
      if (response.status !== 201)
        throw new Error(`registering ${clusterId}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    },
    async stop() {
      await stop();
      await app.stop(true);
      await store.close();
    },
  };
}

export const json = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body) });
