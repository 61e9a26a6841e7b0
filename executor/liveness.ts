/**
 * The executor's liveness signal, for a kubelet: while the executor runs, a timer rewrites a small file
 * (KUBENTLY_LIVENESS_FILE) every HEARTBEAT_MS, and `kubently-executor alive` (the Deployment's exec
 * probe; the distroless image has no shell) exits 0 only if that file was written within the last
 * --max-age seconds. A timer firing proves the event loop is not wedged. A connection that hangs is
 * not this signal's business: the transports' read-idle timeout reconnects without a restart, and a
 * restart would not bring back an API that is down.
 *
 * No port: the executor still serves nothing to the pod network (a loopback listener would be out of
 * a kubelet's reach, since httpGet probes go to the pod's IP).
 */
import { statSync, writeFileSync } from "node:fs";

export const HEARTBEAT_MS = 10_000;
/** The probe's default: several missed beats, so a long garbage collection is no reason to restart. */
export const DEFAULT_MAX_AGE_SECONDS = 60;

export interface Heartbeat {
  stop(): void;
}

/** Writes the file now (a failure to is a configuration error for the caller) and every `everyMs`. */
export function startHeartbeat(file: string, everyMs = HEARTBEAT_MS): Heartbeat {
  const beat = () => writeFileSync(file, `${new Date().toISOString()}\n`);
  beat();
  const timer = setInterval(() => {
    try {
      beat();
    } catch {
      // A file that cannot be written now shows as a stale one: the probe reports it.
    }
  }, everyMs);
  return { stop: () => clearInterval(timer) };
}

export type Liveness = { alive: true } | { alive: false; reason: string };

/** Whether the file was written within `maxAgeSeconds` of `nowMs`. */
export function checkHeartbeat(file: string, maxAgeSeconds: number, nowMs = Date.now()): Liveness {
  let modifiedMs: number;
  try {
    modifiedMs = statSync(file).mtimeMs;
  } catch (error) {
    return { alive: false, reason: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}` };
  }
  const ageSeconds = (nowMs - modifiedMs) / 1000;
  if (ageSeconds > maxAgeSeconds) {
    return { alive: false, reason: `${file} was last written ${Math.round(ageSeconds)} s ago` };
  }
  return { alive: true };
}
