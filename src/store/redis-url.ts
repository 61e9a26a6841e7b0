/**
 * A redis:// or rediss:// store URL as ioredis connection options, read with the WHATWG URL parser.
 * Given the URL itself, ioredis reads it with Node's deprecated url.parse(), and a compiled server
 * prints a deprecation warning at every start.
 */
import type { RedisOptions } from "ioredis";
import { StoreUrlError } from "./store";

const FORM = "redis://[user:password@]host[:port][/db] (rediss:// for TLS)";
const DEFAULT_PORT = 6379;

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

const CLUSTER_FORM = "redis+cluster://[user:password@]host:port[,host:port…] (rediss+cluster:// for TLS)";

/**
 * A redis+cluster:// or rediss+cluster:// URL: the Redis Cluster nodes to start from (ioredis finds
 * the others) and the credentials and TLS every node connection uses. A cluster has no db to choose.
 */
export function redisClusterConnection(
  url: string,
): Pick<RedisOptions, "username" | "password" | "tls"> & { nodes: { host: string; port: number }[] } {
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
    nodes,
    username: credentials?.username ? decodeURIComponent(credentials.username) : undefined,
    password: credentials?.password ? decodeURIComponent(credentials.password) : undefined,
    tls: scheme === "rediss" ? {} : undefined,
  };
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
