/**
 * In-process fan-out of store notifications: one store subscription per process, any number of
 * listeners keyed by command id or cluster id, each told the value the signal carries (if any). This is what keeps waiting free of poll loops and
 * the Redis connection count fixed however many requests are waiting.
 */
export class Signals<T = void> {
  private readonly listeners = new Map<string, Set<(value: T) => void>>();

  on(key: string, listener: (value: T) => void): () => void {
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

  emit(key: string, value: T): void {
    const set = this.listeners.get(key);
    if (!set) return;
    for (const listener of [...set]) listener(value);
  }

  /** Tells every key's listeners, as when the store may have missed their own signals. */
  emitEach(value: T): void {
    for (const key of [...this.listeners.keys()]) this.emit(key, value);
  }

  /**
   * A standing subscription to `key` that remembers a signal arriving while its owner was busy (a
   * claim under way), so checking and then waiting never misses one. It starts signalled: the
   * owner looks once before its first wait.
   */
  watch(key: string): Watch {
    let signalled = true;
    let wake: (() => void) | null = null;
    const off = this.on(key, () => {
      signalled = true;
      wake?.();
    });
    return {
      take() {
        const was = signalled;
        signalled = false;
        return was;
      },
      wait(ms, signal) {
        if (signalled) return Promise.resolve(true);
        return new Promise((resolve) => {
          if (signal.aborted) return resolve(false);
          const finish = (value: boolean) => {
            wake = null;
            clearTimeout(timer);
            signal.removeEventListener("abort", onAbort);
            resolve(value);
          };
          const onAbort = () => finish(false);
          const timer = setTimeout(() => finish(false), ms);
          signal.addEventListener("abort", onAbort, { once: true });
          wake = () => finish(true);
        });
      },
      stop: off,
    };
  }
}

export interface Watch {
  /** True if signalled since the last take; clears it. */
  take(): boolean;
  /** Resolves true once signalled (at once if already), false after `ms` or when `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<boolean>;
  stop(): void;
}
