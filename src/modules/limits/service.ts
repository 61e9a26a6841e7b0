/**
 * Rate limits: a token bucket per API key identity, over every client route, and one per cluster,
 * over the commands queued for it (POST /debug/execute, POST /debug/execute/async and MCP's
 * execute_kubectl). Buckets live in the store, so replicas sharing a Redis share each budget. Over
 * its limit a request is refused with 429 RATE_LIMITED and Retry-After before any work is done.
 * Executor routes, admin routes, /health, /ready and /metrics are never limited.
 */
import { ApiError } from "../../http/errors";
import type { RateLimit, Store } from "../../store";

export type RateScope = "client" | "cluster";

export interface RateLimits {
  /** Per API key identity; null: unlimited. */
  client: RateLimit | null;
  /** Per cluster, over the commands queued for it; null: unlimited. */
  cluster: RateLimit | null;
}

export const NO_RATE_LIMITS: RateLimits = { client: null, cluster: null };

export interface RateLimiter {
  /**
   * Takes a token for the client; 429 RATE_LIMITED when its bucket is empty. `own` is the principal's
   * own limit from its scope (null: unlimited); undefined: the server's client limit.
   */
  admitClient(identity: string, own?: RateLimit | null): Promise<void>;
  /** Takes a token for a command to the cluster; 429 RATE_LIMITED when its bucket is empty. */
  admitCluster(clusterId: string): Promise<void>;
}

export function createRateLimiter(
  store: Pick<Store, "takeToken">,
  limits: RateLimits,
  clock: () => number,
  onRefused: (scope: RateScope) => void,
): RateLimiter {
  /** Refusals are worded only when made: every request and every command passes here. */
  const admit = async (
    scope: RateScope,
    subject: string,
    limit: RateLimit,
    refusal: () => { message: string; context: Record<string, unknown> },
  ) => {
    const { allowed, retryAfterMs } = await store.takeToken(`${scope}:${subject}`, limit, clock());
    if (allowed) return;
    onRefused(scope);
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const rate = `at most ${limit.perSecond} per second, in bursts of up to ${limit.burst}`;
    const { message, context } = refusal();
    throw new ApiError(
      429,
      "RATE_LIMITED",
      `${message}: ${rate}; retry in ${seconds} s`,
      { scope, ...context, retry_after_seconds: seconds },
      { "retry-after": String(seconds) },
    );
  };
  return {
    admitClient(identity, own) {
      const limit = own === undefined ? limits.client : own;
      if (!limit) return UNLIMITED;
      return admit("client", identity, limit, () => ({
        message: "too many requests with this API key",
        context: {},
      }));
    },
    admitCluster(clusterId) {
      if (!limits.cluster) return UNLIMITED;
      return admit("cluster", clusterId, limits.cluster, () => ({
        message: `too many commands for cluster '${clusterId}'`,
        context: { cluster_id: clusterId },
      }));
    },
  };
}

/** What an unlimited caller or cluster is answered: admitted at once, with nothing made per request. */
const UNLIMITED: Promise<void> = Promise.resolve();

export class RateLimitSpecError extends Error {}

const SPEC_RE = /^(\d+(?:\.\d+)?)(?::(\d+))?$/;

/**
 * Parses a limit as configured: `off`, or `RATE[:BURST]` with RATE requests per second (a decimal:
 * `0.5` is one every two seconds) and BURST how many may come at once (default: RATE rounded up).
 */
export function parseRateLimit(spec: string): RateLimit | null {
  const text = spec.trim();
  if (text === "off") return null;
  const match = SPEC_RE.exec(text);
  const perSecond = Number(match?.[1]);
  const burst = match?.[2] === undefined ? Math.ceil(perSecond) : Number(match[2]);
  if (!match || !(perSecond > 0) || perSecond > 1_000_000 || burst < 1 || burst > 1_000_000) {
    throw new RateLimitSpecError(
      `'${spec}' is not a rate limit: use off, or RATE[:BURST] (requests per second, at most 1000000, ` +
        "and how many at once, at least 1), e.g. 20 or 0.5:10",
    );
  }
  return { perSecond, burst };
}
