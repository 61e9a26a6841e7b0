/**
 * Server configuration: every option is a flag and an environment variable (flag wins). Errors name
 * the variable; `describeConfig` prints the effective values with every secret masked.
 */
import { readFileSync } from "node:fs";
import { FOLLOW_SECONDS_CEILING } from "./models";
import { KeyFormatError, KeyRing, parseKeyEntries } from "./modules/auth/keys";
import type { OidcOptions } from "./modules/auth/oidc";
import { type GroupMapping, readPrincipals } from "./modules/auth/principals";
import { checkFollowOptions, DEFAULT_FOLLOW_OPTIONS } from "./modules/dispatch/follow";
import { parseRateLimit, RateLimitSpecError } from "./modules/limits/service";
import {
  AllowlistError,
  DEFAULT_WEBHOOK_OPTIONS,
  MIN_WEBHOOK_SECRET_LENGTH,
  parseAllowedHosts,
  type WebhookOptions,
} from "./modules/operations/webhooks";
import { type RateLimit, redactUrl } from "./store";

export interface ServerConfig {
  host: string;
  port: number;
  store: string;
  redisPrefix: string;
  apiKeys: string | undefined;
  apiKeysFile: string | undefined;
  /** The YAML keys file of principals and their scopes. */
  keysFile: string | undefined;
  adminKeys: string | undefined;
  insecureNoAuth: boolean;
  maxBodyBytes: number;
  resultTtlSeconds: number;
  /** Largest output stream an answer carries whole; beyond it a preview and an output handle. */
  inlineOutputBytes: number;
  /** --tail that MCP gives `logs` commands setting none (0: none). */
  mcpLogsTail: number;
  /** The window of a following command that names none (logs -f, get -w). */
  followDefaultSeconds: number;
  /** The longest window a caller may ask for. */
  followMaxSeconds: number;
  /** Requests per API key identity (KUBENTLY_RATE_LIMIT); null: unlimited. */
  rateLimit: RateLimit | null;
  /** Commands per cluster (KUBENTLY_CLUSTER_RATE_LIMIT); null: unlimited. */
  clusterRateLimit: RateLimit | null;
  metrics: boolean;
  accessLog: boolean;
  webhookSecret: string | undefined;
  webhookSecretFile: string | undefined;
  webhookAllowedHosts: string | undefined;
  webhookMaxAttempts: number;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  oidcIssuer: string | undefined;
  oidcAudience: string | undefined;
  oidcJwksUrl: string | undefined;
  oidcUserClaim: string;
  oidcGroupsClaim: string;
  oidcClockSkewSeconds: number;
}

export type ServerFlags = Partial<Record<keyof ServerConfig, string | boolean | undefined>>;

export class ConfigError extends Error {}

const DEFAULT_STORE = "sqlite://./kubently-data/kubently.db";

export function resolveServerConfig(
  flags: ServerFlags,
  env: Record<string, string | undefined>,
): ServerConfig {
  const pick = (flag: keyof ServerConfig, name: string): string | undefined => {
    const value = flags[flag];
    if (typeof value === "string") return value;
    return env[name] === "" ? undefined : env[name];
  };
  const integer = (
    flag: keyof ServerConfig,
    name: string,
    fallback: number,
    min: number,
    max: number,
  ): number => {
    const raw = pick(flag, name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new ConfigError(
        `${name} (--${kebab(flag)}) must be a whole number from ${min} to ${max}, got '${raw}'`,
      );
    }
    return value;
  };
  const rateLimit = (flag: keyof ServerConfig, name: string): RateLimit | null => {
    try {
      return parseRateLimit(pick(flag, name) ?? "off");
    } catch (error) {
      if (error instanceof RateLimitSpecError)
        throw new ConfigError(`${name} (--${kebab(flag)}): ${error.message}`);
      throw error;
    }
  };
  const onOff = (flag: keyof ServerConfig, name: string, fallback: boolean): boolean => {
    const raw = pick(flag, name);
    if (raw === undefined) return fallback;
    if (raw !== "on" && raw !== "off") {
      throw new ConfigError(`${name} (--${kebab(flag)}) must be on or off, got '${raw}'`);
    }
    return raw === "on";
  };
  const insecureRaw =
    flags.insecureNoAuth === true ? "true" : pick("insecureNoAuth", "KUBENTLY_INSECURE_NO_AUTH");
  return {
    host: pick("host", "KUBENTLY_HOST") ?? "127.0.0.1",
    port: integer("port", "KUBENTLY_PORT", 8080, 0, 65535),
    store: pick("store", "KUBENTLY_STORE") ?? DEFAULT_STORE,
    redisPrefix: pick("redisPrefix", "KUBENTLY_REDIS_PREFIX") ?? "kubently:",
    apiKeys: pick("apiKeys", "KUBENTLY_API_KEYS"),
    apiKeysFile: pick("apiKeysFile", "KUBENTLY_API_KEYS_FILE"),
    keysFile: pick("keysFile", "KUBENTLY_KEYS_FILE"),
    adminKeys: pick("adminKeys", "KUBENTLY_ADMIN_KEYS"),
    insecureNoAuth: insecureRaw === "true" || insecureRaw === "1",
    maxBodyBytes: integer("maxBodyBytes", "KUBENTLY_MAX_BODY_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
    resultTtlSeconds: integer("resultTtlSeconds", "KUBENTLY_RESULT_TTL_SECONDS", 300, 1, 86_400),
    inlineOutputBytes: integer(
      "inlineOutputBytes",
      "KUBENTLY_INLINE_OUTPUT_BYTES",
      64 * 1024,
      1024,
      64 * 1024 * 1024,
    ),
    mcpLogsTail: integer("mcpLogsTail", "KUBENTLY_MCP_LOGS_TAIL", 200, 0, 1_000_000),
    ...followWindow(
      integer(
        "followDefaultSeconds",
        "KUBENTLY_FOLLOW_DEFAULT_SECONDS",
        DEFAULT_FOLLOW_OPTIONS.defaultSeconds,
        1,
        FOLLOW_SECONDS_CEILING,
      ),
      integer(
        "followMaxSeconds",
        "KUBENTLY_FOLLOW_MAX_SECONDS",
        DEFAULT_FOLLOW_OPTIONS.maxSeconds,
        1,
        FOLLOW_SECONDS_CEILING,
      ),
    ),
    rateLimit: rateLimit("rateLimit", "KUBENTLY_RATE_LIMIT"),
    clusterRateLimit: rateLimit("clusterRateLimit", "KUBENTLY_CLUSTER_RATE_LIMIT"),
    metrics: onOff("metrics", "KUBENTLY_METRICS", true),
    accessLog: onOff("accessLog", "KUBENTLY_ACCESS_LOG", true),
    webhookSecret: pick("webhookSecret", "KUBENTLY_WEBHOOK_SECRET"),
    webhookSecretFile: pick("webhookSecretFile", "KUBENTLY_WEBHOOK_SECRET_FILE"),
    webhookAllowedHosts: pick("webhookAllowedHosts", "KUBENTLY_WEBHOOK_ALLOWED_HOSTS"),
    tlsCert: pick("tlsCert", "KUBENTLY_TLS_CERT"),
    tlsKey: pick("tlsKey", "KUBENTLY_TLS_KEY"),
    oidcIssuer: pick("oidcIssuer", "KUBENTLY_OIDC_ISSUER"),
    oidcAudience: pick("oidcAudience", "KUBENTLY_OIDC_AUDIENCE"),
    oidcJwksUrl: pick("oidcJwksUrl", "KUBENTLY_OIDC_JWKS_URL"),
    oidcUserClaim: pick("oidcUserClaim", "KUBENTLY_OIDC_USER_CLAIM") ?? "sub",
    oidcGroupsClaim: pick("oidcGroupsClaim", "KUBENTLY_OIDC_GROUPS_CLAIM") ?? "groups",
    oidcClockSkewSeconds: integer("oidcClockSkewSeconds", "KUBENTLY_OIDC_CLOCK_SKEW_SECONDS", 60, 0, 300),
    webhookMaxAttempts: integer(
      "webhookMaxAttempts",
      "KUBENTLY_WEBHOOK_MAX_ATTEMPTS",
      DEFAULT_WEBHOOK_OPTIONS.maxAttempts,
      1,
      20,
    ),
  };
}

function followWindow(defaultSeconds: number, maxSeconds: number) {
  const problem = checkFollowOptions({ defaultSeconds, maxSeconds });
  if (problem) {
    throw new ConfigError(`KUBENTLY_FOLLOW_DEFAULT_SECONDS, KUBENTLY_FOLLOW_MAX_SECONDS: ${problem}`);
  }
  return { followDefaultSeconds: defaultSeconds, followMaxSeconds: maxSeconds };
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export interface LoadedKeys {
  clients: KeyRing;
  admins: KeyRing;
}

function readKeysFile(path: string, variable: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`${variable}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Reads the key settings (and the keys files); throws ConfigError naming the variable at fault. */
export function loadKeys(config: ServerConfig): LoadedKeys {
  try {
    const clientEntries = parseKeyEntries(config.apiKeys ?? "", "KUBENTLY_API_KEYS");
    const groups: GroupMapping[] = [];
    if (config.apiKeysFile) {
      const text = readKeysFile(config.apiKeysFile, "KUBENTLY_API_KEYS_FILE");
      clientEntries.push(...parseKeyEntries(text, "KUBENTLY_API_KEYS_FILE"));
    }
    if (config.keysFile) {
      const text = readKeysFile(config.keysFile, "KUBENTLY_KEYS_FILE");
      const principals = readPrincipals(text, `KUBENTLY_KEYS_FILE ${config.keysFile}`);
      clientEntries.push(...principals.keys);
      groups.push(...principals.groups);
      if (groups.length > 0 && config.oidcIssuer === undefined) {
        throw new ConfigError(
          `KUBENTLY_KEYS_FILE ${config.keysFile}: oidcGroups map people signed in through OIDC, which is off; set KUBENTLY_OIDC_ISSUER`,
        );
      }
    }
    const keys = {
      clients: new KeyRing(clientEntries, groups),
      admins: new KeyRing(parseKeyEntries(config.adminKeys ?? "", "KUBENTLY_ADMIN_KEYS")),
    };
    if (keys.clients.size === 0 && groups.length === 0 && !config.insecureNoAuth) {
      throw new ConfigError(
        "no API keys: set KUBENTLY_API_KEYS (service:key,...), KUBENTLY_API_KEYS_FILE or KUBENTLY_KEYS_FILE, " +
          "or pass --insecure-no-auth for a throwaway development server",
      );
    }
    return keys;
  } catch (error) {
    if (error instanceof KeyFormatError) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * The webhook settings of async operations: the signing secret (KUBENTLY_WEBHOOK_SECRET, or the
 * trimmed content of KUBENTLY_WEBHOOK_SECRET_FILE), the callback allowlist and the attempt bound.
 */
export function loadWebhooks(config: ServerConfig): WebhookOptions {
  if (config.webhookSecret !== undefined && config.webhookSecretFile !== undefined) {
    throw new ConfigError(
      "set KUBENTLY_WEBHOOK_SECRET or KUBENTLY_WEBHOOK_SECRET_FILE (--webhook-secret-file), not both",
    );
  }
  let secret = config.webhookSecret ?? null;
  let source = "KUBENTLY_WEBHOOK_SECRET";
  if (config.webhookSecretFile !== undefined) {
    source = "KUBENTLY_WEBHOOK_SECRET_FILE";
    try {
      secret = readFileSync(config.webhookSecretFile, "utf8").trim();
    } catch (error) {
      throw new ConfigError(
        `${source}: cannot read ${config.webhookSecretFile}: ${(error as Error).message}`,
      );
    }
  }
  if (secret !== null && secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    throw new ConfigError(
      `${source}: the webhook secret is shorter than ${MIN_WEBHOOK_SECRET_LENGTH} characters`,
    );
  }
  try {
    return {
      ...DEFAULT_WEBHOOK_OPTIONS,
      secret,
      allowedHosts: parseAllowedHosts(config.webhookAllowedHosts ?? ""),
      maxAttempts: config.webhookMaxAttempts,
    };
  } catch (error) {
    if (error instanceof AllowlistError) {
      throw new ConfigError(`KUBENTLY_WEBHOOK_ALLOWED_HOSTS (--webhook-allowed-hosts): ${error.message}`);
    }
    throw error;
  }
}

/** An issuer URL must be https, or http on this machine's loopback (development, tests). */
function checkOidcUrl(value: string, name: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}: '${value}' is not a URL`);
  }
  const loopback = ["127.0.0.1", "[::1]", "localhost"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ConfigError(`${name}: must be an https URL (http only on loopback), got '${value}'`);
  }
}

/** People through OIDC: off without an issuer; an issuer needs an audience. */
export function loadOidc(config: ServerConfig): OidcOptions | null {
  if (config.oidcIssuer === undefined) {
    if (config.oidcAudience !== undefined || config.oidcJwksUrl !== undefined) {
      throw new ConfigError("KUBENTLY_OIDC_AUDIENCE and KUBENTLY_OIDC_JWKS_URL need KUBENTLY_OIDC_ISSUER");
    }
    return null;
  }
  checkOidcUrl(config.oidcIssuer, "KUBENTLY_OIDC_ISSUER (--oidc-issuer)");
  if (config.oidcJwksUrl !== undefined)
    checkOidcUrl(config.oidcJwksUrl, "KUBENTLY_OIDC_JWKS_URL (--oidc-jwks-url)");
  if (config.oidcAudience === undefined) {
    throw new ConfigError(
      "KUBENTLY_OIDC_AUDIENCE (--oidc-audience): tokens must name Kubently as their audience; set the audience your issuer puts in them",
    );
  }
  return {
    issuer: config.oidcIssuer,
    audience: config.oidcAudience,
    jwksUrl: config.oidcJwksUrl,
    userClaim: config.oidcUserClaim,
    groupsClaim: config.oidcGroupsClaim,
    clockSkewSeconds: config.oidcClockSkewSeconds,
  };
}

export interface TlsFiles {
  cert: string;
  key: string;
}

/** The certificate and key to serve HTTPS with, or null for plain HTTP; both or neither. */
export function loadTls(config: ServerConfig): TlsFiles | null {
  if (!config.tlsCert && !config.tlsKey) return null;
  if (!config.tlsCert || !config.tlsKey) {
    throw new ConfigError("KUBENTLY_TLS_CERT (--tls-cert) and KUBENTLY_TLS_KEY (--tls-key) go together");
  }
  const read = (path: string, name: string) => {
    try {
      const pem = readFileSync(path, "utf8");
      if (!pem.includes("-----BEGIN")) throw new Error("not a PEM file");
      return pem;
    } catch (error) {
      throw new ConfigError(`${name}: cannot use ${path}: ${(error as Error).message}`);
    }
  };
  return { cert: read(config.tlsCert, "KUBENTLY_TLS_CERT"), key: read(config.tlsKey, "KUBENTLY_TLS_KEY") };
}

/** The effective configuration for the start-up log: secrets appear only as counts or ***. */
export function describeConfig(config: ServerConfig, keys: LoadedKeys): Record<string, unknown> {
  return {
    tls: config.tlsCert ? `on (certificate ${config.tlsCert})` : "off",
    host: config.host,
    port: config.port,
    store: redactUrl(config.store),
    redis_prefix: config.store.startsWith("redis") ? config.redisPrefix : undefined,
    api_keys: `${keys.clients.size} configured`,
    api_keys_file: config.apiKeysFile,
    keys_file: config.keysFile,
    admin_keys: `${keys.admins.size} configured`,
    insecure_no_auth: config.insecureNoAuth,
    max_body_bytes: config.maxBodyBytes,
    result_ttl_seconds: config.resultTtlSeconds,
    inline_output_bytes: config.inlineOutputBytes,
    mcp_logs_tail: config.mcpLogsTail,
    follow_default_seconds: config.followDefaultSeconds,
    follow_max_seconds: config.followMaxSeconds,
    rate_limit: describeRateLimit(config.rateLimit),
    cluster_rate_limit: describeRateLimit(config.clusterRateLimit),
    metrics: config.metrics ? "on" : "off",
    access_log: config.accessLog ? "on" : "off",
    webhook_secret:
      config.webhookSecret !== undefined || config.webhookSecretFile !== undefined ? "set" : "not set",
    webhook_secret_file: config.webhookSecretFile,
    webhook_allowed_hosts: config.webhookAllowedHosts,
    webhook_max_attempts: config.webhookMaxAttempts,
    oidc: config.oidcIssuer
      ? {
          issuer: config.oidcIssuer,
          audience: config.oidcAudience,
          clock_skew_seconds: config.oidcClockSkewSeconds,
        }
      : "off",
  };
}

const describeRateLimit = (limit: RateLimit | null): string =>
  limit ? `${limit.perSecond}/s, burst ${limit.burst}` : "off";
