/**
 * The in-process fan-out of store events to `subscribe()` listeners, one for every backend: each
 * listener hears each event, and one that throws is logged and passed over, so it neither starves the
 * listeners after it nor fails the store call that announced the event (on Redis, nor ioredis' reply
 * parser that delivered it).
 */
import { log } from "../log";
import type { StoreEvent, StoreListener } from "./store";

export class Listeners {
  private readonly listeners = new Set<StoreListener>();

  /** Adds the listener; the function returned removes it. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StoreEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        log.error("store event listener failed", {
          event: event.type,
          error: (err as Error)?.message ?? String(err),
        });
      }
    }
  }

  /** At close: a closed store announces nothing more. */
  clear(): void {
    this.listeners.clear();
  }
}
