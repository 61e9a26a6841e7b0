/**
 * Health: whether the store answers (within a bound, so a hung backend reads as down). The store
 * check is shared by all requests within a second: load balancers poll often, and counting active
 * sessions costs more than answering the poll.
 */
import type { Store } from "../../store";
import { VERSION } from "../../version";

const STORE_CHECK_MS = 2_000;
const CHECK_REUSE_MS = 1_000;

export interface HealthReport {
  status: "healthy" | "unhealthy";
  store: "connected" | "unavailable";
  store_kind: string;
  version: string;
  uptime_seconds: number;
  active_sessions: number | null;
}

export function createHealthService(store: Store, startedAtMs: number) {
  let last: { at: number; check: Promise<number | null> } | null = null;
  const checkStore = (): Promise<number | null> =>
    Promise.race([
      store.ping().then(() => store.countActiveSessions(Date.now())),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("timeout")), STORE_CHECK_MS).unref(),
      ),
    ]).catch(() => null);

  return {
    async report(): Promise<HealthReport> {
      const now = Date.now();
      if (!last || now - last.at >= CHECK_REUSE_MS) last = { at: now, check: checkStore() };
      const activeSessions = await last.check;
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
  };
}
