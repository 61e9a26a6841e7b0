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
