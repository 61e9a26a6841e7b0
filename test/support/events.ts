/** Waits for a store notification matching a predicate, failing after a bound instead of hanging. */
import type { Store, StoreEvent } from "../../src/store";

export function nextEvent(
  store: Store,
  match: (event: StoreEvent) => boolean,
  withinMs = 5_000,
): Promise<StoreEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching store event within ${withinMs} ms`));
    }, withinMs);
    const unsubscribe = store.subscribe((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}
