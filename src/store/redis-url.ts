/**
 * A Redis store URL as ioredis connection options, read with the WHATWG URL parser: redis:// and
 * rediss:// name one server, redis+sentinel:// and rediss+sentinel:// the sentinels that know the
 * current primary, redis+cluster:// and rediss+cluster:// nodes of a Redis Cluster. Given the URL
 * itself, ioredis reads it with Node's deprecated url.parse(), and a compiled server prints a
 * deprecation warning at every start. No error here repeats a password.
 */
import type { RedisOptions } from "ioredis";
import { StoreUrlError } from "./store";

const FORM = "redis://[user:password@]host[:port][/db] (rediss:// for TLS)";
const DEFAULT_PORT = 6379;

/** Any of the forms, as the store opens it. */
export function redisTarget(url: string): RedisTarget | ClusterTarget {
  if (/^rediss?\+cluster:/.test(url)) return redisClusterConnection(url);
  if (/^rediss?\+sentinel:/.test(url)) return sentinelConnection(url);
  return { kind: "single", options: redisConnection(url), waitReplicas: 0 };
}

export function redisConnection(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreUrlError(`the Redis store URL is not a URL: use ${FORM}`);
  }
  // Brackets are URL syntax around an IPv6 address, not part of it.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  const db = parsed.pathname.replace(/^\//, "");
  if (host === "" || parsed.search !== "" || parsed.hash !== "" || !/^\d*$/.test(db)) {
    throw new StoreUrlError(`the Redis store URL names no host, or more than a host and a db: use ${FORM}`);
  }
  return {
    host,
    port: parsed.port === "" ? DEFAULT_PORT : Number(parsed.port),
    username: parsed.username === "" ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === "" ? undefined : decodeURIComponent(parsed.password),
    db: db === "" ? 0 : Number(db),
    tls: parsed.protocol === "rediss:" ? {} : undefined,
  };
}

/** A Redis Cluster store URL read: nodes to start from, and what every node connection uses. */
export interface ClusterTarget {
  kind: "cluster";
  nodes: { host: string; port: number }[];
  options: Pick<RedisOptions, "username" | "password" | "tls">;
}

const CLUSTER_FORM = "redis+cluster://[user:password@]host:port[,host:port…] (rediss+cluster:// for TLS)";

/**
 * A redis+cluster:// or rediss+cluster:// URL: the Redis Cluster nodes to start from (ioredis finds
 * the others) and the credentials and TLS every node connection uses. A cluster has no db to choose.
 */
export function redisClusterConnection(url: string): ClusterTarget {
  // WAIT counts the replicas of the one primary it is sent to, and ioredis sends it to any node; a
  // write's primary would need its own, so the Cluster store does not offer it (README). Read after
  // the credentials, so a password is never taken for the option.
  if (/[?&]wait_replicas(=|&|$)/.test(url.slice(url.lastIndexOf("@") + 1))) {
    throw new StoreUrlError(
      "the Redis Cluster store URL cannot take wait_replicas (Kubently waits for replicas only on one " +
        `Redis or through Sentinel, redis+sentinel://): use ${CLUSTER_FORM}`,
    );
  }
  const match = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^@/?#]+)\/?$/.exec(url);
  if (!match) throw new StoreUrlError(`the Redis Cluster store URL is malformed: use ${CLUSTER_FORM}`);
  const [, scheme, userinfo, hosts] = match as unknown as [string, string, string | undefined, string];
  // Each node and the credentials are read by the same WHATWG parser as a redis:// URL.
  const nodes = hosts.split(",").map((node) => {
    const parsed = parseUrl(`redis://${node}`);
    if (!parsed || parsed.hostname === "" || parsed.pathname !== "") {
      throw new StoreUrlError(`the Redis Cluster store URL names a node it cannot read: use ${CLUSTER_FORM}`);
    }
    return {
      host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: parsed.port === "" ? DEFAULT_PORT : Number(parsed.port),
    };
  });
  const credentials = userinfo === undefined ? null : parseUrl(`redis://${userinfo}@host`);
  if (userinfo !== undefined && !credentials) {
    throw new StoreUrlError(`the Redis Cluster store URL's credentials are malformed: use ${CLUSTER_FORM}`);
  }
  return {
    kind: "cluster",
    nodes,
    options: {
      username: credentials?.username ? decodeURIComponent(credentials.username) : undefined,
      password: credentials?.password ? decodeURIComponent(credentials.password) : undefined,
      tls: scheme === "rediss" ? {} : undefined,
    },
  };
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The Sentinel form, as prefect-redis, redis-vl and Redis-Sentinel-Url write it: the sentinels'
 * addresses, then the name they monitor the primary under. WHATWG URL cannot read a comma-separated
 * host list, so that part is read here, strictly; the rest (credentials, path, query) is left to URL.
 */
const SENTINEL_FORM =
  "redis+sentinel://[user:password@]host[:port][,host[:port]…]/master-name[/db]" +
  "[?sentinel_username=…&sentinel_password=…&wait_replicas=N] (rediss+sentinel:// for TLS)";
const DEFAULT_SENTINEL_PORT = 26379;
/** sentinel.conf: "The valid charset is A-z 0-9 and the three characters '.-_'". */
const MASTER_NAME = /^[A-Za-z0-9._-]+$/;
const SENTINEL_ADDRESS = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;
const SENTINEL_QUERY = new Set(["sentinel_username", "sentinel_password", "wait_replicas"]);

/**
 * A one-Redis or Sentinel store URL read: how to reach the primary (one connection's options either
 * way), and how many replicas must have a write.
 */
export interface RedisTarget {
  kind: "single";
  options: RedisOptions;
  /** Replicas that must acknowledge each write before it counts as done (WAIT); 0 for none. */
  waitReplicas: number;
}

export function sentinelConnection(url: string): RedisTarget {
  const bad = (why: string) => new StoreUrlError(`the Redis Sentinel store URL ${why}: use ${SENTINEL_FORM}`);
  const scheme = /^(rediss?)\+sentinel:\/\//.exec(url);
  if (!scheme) throw bad("does not start with redis+sentinel:// or rediss+sentinel://");
  const rest = url.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf("@");
  const hostList = authority.slice(at + 1);
  // Credentials, path and query go through the WHATWG parser with a placeholder host.
  let parsed: URL;
  let username: string | undefined;
  let password: string | undefined;
  try {
    parsed = new URL(`redis://${authority.slice(0, at + 1)}sentinels${rest.slice(authority.length)}`);
    username = parsed.username === "" ? undefined : decodeURIComponent(parsed.username);
    password = parsed.password === "" ? undefined : decodeURIComponent(parsed.password);
  } catch {
    throw bad("is not a URL (is a % in the user or password not followed by two hex digits?)");
  }
  if (parsed.hash !== "") throw bad("has a #fragment");
  if (hostList === "") throw bad("names no sentinel");
  const sentinels = hostList.split(",").map((address) => {
    if (address === "") throw bad("has an empty sentinel address (two commas, or none before the path)");
    const match = SENTINEL_ADDRESS.exec(address);
    if (!match) throw bad(`has a sentinel address that is not host[:port]: '${address}'`);
    const port = match[2] === undefined ? DEFAULT_SENTINEL_PORT : Number(match[2]);
    if (port < 1 || port > 65_535) throw bad(`has a sentinel port out of range: '${address}'`);
    return { host: (match[1] as string).replace(/^\[(.*)\]$/, "$1"), port };
  });
  const [name = "", db = "0", ...extra] = parsed.pathname.replace(/^\//, "").split("/");
  if (name === "") throw bad("names no master after the sentinels");
  if (!MASTER_NAME.test(name)) throw bad("has a master name with characters other than A-Z a-z 0-9 . - _");
  if (extra.length > 0 || !/^\d+$/.test(db))
    throw bad("has more than a master name and a db number in its path");
  const query = new Map<string, string>();
  for (const [key, value] of parsed.searchParams) {
    if (!SENTINEL_QUERY.has(key)) throw bad(`has an option it does not know: '${key}'`);
    if (query.has(key)) throw bad(`sets '${key}' twice`);
    query.set(key, value);
  }
  const wait = query.get("wait_replicas") ?? "0";
  if (!/^\d{1,2}$/.test(wait)) throw bad("has a wait_replicas that is not a number of replicas (0-99)");
  const tls = scheme[1] === "rediss";
  return {
    kind: "single",
    options: {
      sentinels,
      name,
      role: "master",
      username,
      password,
      db: Number(db),
      sentinelUsername: query.get("sentinel_username") || undefined,
      sentinelPassword: query.get("sentinel_password") || undefined,
      // Drops the connection as soon as a sentinel announces a new primary, rather than on the old
      // primary's first READONLY (or never, while the old primary is cut off from the sentinels).
      failoverDetector: true,
      // A sentinel that accepts the connection but does not answer must not hold up finding the primary.
      sentinelCommandTimeout: 1_000,
      // No sentinel answered a round of lookups: fail rather than retry for ever inside connect(), so
      // opening the store fails at start as it does on one Redis; later, redis.ts connects again.
      sentinelRetryStrategy: () => null,
      // TLS to the primary (tls, enableTLSForSentinelMode) and to the sentinels (sentinelTLS).
      tls: tls ? {} : undefined,
      enableTLSForSentinelMode: tls,
      sentinelTLS: tls ? {} : undefined,
    },
    waitReplicas: Number(wait),
  };
}
