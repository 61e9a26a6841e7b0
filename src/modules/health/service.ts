/** Health: whether the store answers (within a bound, so a hung backend reads as down). */
import type { Store } from "../../store";
import { VERSION } from "../../version";

const STORE_CHECK_MS = 2_000;

export interface HealthReport {
  status: "healthy" | "unhealthy";
  store: "connected" | "unavailable";
  store_kind: string;
  version: string;
  uptime_seconds: number;
  active_sessions: number | null;
}

export function createHealthService(store: Store, startedAtMs: number) {
  return {
    async report(): Promise<HealthReport> {
      const activeSessions = await Promise.race([
        store.ping().then(() => store.countActiveSessions(Date.now())),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error("timeout")), STORE_CHECK_MS).unref(),
        ),
      ]).catch(() => null);
      const up = activeSessions !== null;
      return {
        status: up ? "healthy" : "unhealthy",
        store: up ? "connected" : "unavailable",
        store_kind: store.kind,
        version: VERSION,
        uptime_seconds: Math.floor((Date.now() - startedAtMs) / 1000),
        active_sessions: activeSessions,
      };
    },
  };
}
