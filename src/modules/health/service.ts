/**
 * Health and readiness: whether the store answers (within a bound, so a hung backend reads as
 * down), and whether this replica takes traffic (not while draining). The store check is shared by
 * all requests within a second: load balancers poll often, and counting active sessions costs more
 * than answering the poll.
 */
import { ApiError } from "../../http/errors";
import type { Health } from "../../models";
import { nowMs, type Store } from "../../store";
import { VERSION } from "../../version";
import type { Lifecycle } from "./lifecycle";

const STORE_CHECK_MS = 2_000;
const CHECK_REUSE_MS = 1_000;

export function createHealthService(
  store: Pick<Store, "kind" | "ping" | "countActiveSessions">,
  startedAtMs: number,
  lifecycle: Lifecycle,
) {
  let last: { at: number; check: Promise<number | null> } | null = null;
  const checkStore = (): Promise<number | null> =>
    Promise.race([
      store.ping().then(() => store.countActiveSessions(nowMs())),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("timeout")), STORE_CHECK_MS).unref(),
      ),
    ]).catch(() => null);

  /** Active sessions, or null when the store does not answer; one check per second at most. */
  const sharedCheck = (now: number): Promise<number | null> => {
    if (!last || now - last.at >= CHECK_REUSE_MS) last = { at: now, check: checkStore() };
    return last.check;
  };

  return {
    async report(): Promise<Health> {
      const now = nowMs();
      const activeSessions = await sharedCheck(now);
      const up = activeSessions !== null;
      return {
        status: up ? "healthy" : "unhealthy",
        store: up ? "connected" : "unavailable",
        store_kind: store.kind,
        version: VERSION,
        uptime_seconds: Math.floor((now - startedAtMs) / 1000),
        active_sessions: activeSessions,
      };
    },

    /** Resolves while this replica should get traffic; 503 DRAINING or STORE_UNAVAILABLE otherwise. */
    async ready(): Promise<void> {
      if (lifecycle.draining) {
        throw new ApiError(503, "DRAINING", "this server is shutting down and takes no new traffic");
      }
      if ((await sharedCheck(nowMs())) === null) {
        throw new ApiError(503, "STORE_UNAVAILABLE", "the store is unavailable; try again shortly");
      }
    },
  };
}
