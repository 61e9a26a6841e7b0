/**
 * In-process fan-out of store notifications: one store subscription per process, any number of
 * listeners keyed by command id or cluster id. This is what keeps waiting free of poll loops and
 * the Redis connection count fixed however many requests are waiting.
 */
export class Signals {
  private readonly listeners = new Map<string, Set<() => void>>();

  on(key: string, listener: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  emit(key: string): void {
    const set = this.listeners.get(key);
    if (!set) return;
    for (const listener of [...set]) listener();
  }

  /** Resolves true when `key` is signalled, false when `ms` pass or `signal` aborts first. */
  wait(key: string, ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const finish = (value: boolean) => {
        off();
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      };
      const onAbort = () => finish(false);
      const off = this.on(key, () => finish(true));
      const timer = setTimeout(() => finish(false), ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
