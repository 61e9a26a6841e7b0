/**
 * Opens the store named by a `--store` URL: sqlite://PATH, memory://, redis://… or rediss://…,
 * redis+sentinel://… and rediss+sentinel://… (Redis through Sentinel), or redis+cluster://… and
 * rediss+cluster://… (a Redis Cluster); redis-url.ts reads the Redis forms.
 */
import { openSqliteStore } from "./sqlite";
import { type Store, StoreUrlError } from "./store";

export type {
  AuditPage,
  AuditQuery,
  ClusterRecord,
  CommandInfo,
  CommandState,
  OperationOutcome,
  OperationRecord,
  PassingEvent,
  PutResultOutcome,
  RateDecision,
  RateLimit,
  Store,
  StoreEvent,
  StoreKind,
} from "./store";
export { nowMs, RESULT_EVENT_MAX_BYTES, StoreUnavailableError, StoreUrlError } from "./store";

export interface StoreOptions {
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  redisPrefix: string;
}

export async function openStore(url: string, options: StoreOptions): Promise<Store> {
  const scheme = url.slice(0, url.indexOf("://") + 3);
  switch (scheme) {
    case "memory://":
      return openSqliteStore(":memory:");
    case "sqlite://": {
      const path = url.slice("sqlite://".length);
      if (!path)
        throw new StoreUrlError("sqlite:// needs a file path, e.g. sqlite://./kubently-data/kubently.db");
      return openSqliteStore(path);
    }
    case "redis://":
    case "rediss://":
    case "redis+sentinel://":
    case "rediss+sentinel://":
    case "redis+cluster://":
    case "rediss+cluster://": {
      const { openRedisStore } = await import("./redis");
      return openRedisStore(url, options.redisPrefix);
    }
    default:
      throw new StoreUrlError(
        `unsupported store URL '${redactUrl(url)}': use sqlite://PATH, memory://, redis://HOST:PORT, redis+sentinel://HOST:PORT[,HOST:PORT…]/MASTER or redis+cluster://HOST:PORT,…`,
      );
  }
}

/** A store URL with any password (the user's, or the sentinels' option) replaced, for logs and errors. */
export function redactUrl(url: string): string {
  return (
    url
      // The user ends at the first colon; the password runs to the last @ before the path.
      .replace(/\/\/([^@/?#:]*):([^/?#]*)@/, "//$1:***@")
      .replace(/([?&]sentinel_password=)[^&#]*/g, "$1***")
  );
}
