/**
 * Owns the agent's memory of command ids for de-duplication: at most `limit` ids, the one remembered
 * longest ago forgotten first, in constant time per call. A Map's own order did this before (delete
 * and set again to move an id, its first key to forget), but the deleted slots a Map keeps until it
 * rehashes made finding its first key a scan: ~2 µs of every command's ~15.
 */
interface Entry<V> {
  value: V;
  /** Its place in `order`, counted from the first id ever remembered. */
  at: number;
}

export class Remembered<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /**
   * Ids in the order they were remembered, oldest first. An id remembered again is here again; its
   * earlier place is then stale (its entry's `at` is no longer that place) and passed over.
   */
  private order: string[] = [];
  /** How many places were dropped from the front of `order`. */
  private dropped = 0;
  /** The next place to forget from, within `order`. */
  private head = 0;

  constructor(private readonly limit: number) {}

  get(id: string): V | undefined {
    return this.entries.get(id)?.value;
  }

  /** Remembers `value` for `id` as the newest, forgetting the oldest ids past the limit. */
  remember(id: string, value: V): void {
    this.entries.set(id, { value, at: this.dropped + this.order.length });
    this.order.push(id);
    while (this.entries.size > this.limit && this.head < this.order.length) {
      const oldest = this.order[this.head] as string;
      if (this.entries.get(oldest)?.at === this.dropped + this.head) this.entries.delete(oldest);
      this.head += 1;
    }
    // The forgotten front goes once it is as long as what is left: each place is copied at most once.
    if (this.head > this.limit && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.dropped += this.head;
      this.head = 0;
    }
  }

  /** Changes what is remembered for `id` without making it newer; remembers it anew if it was forgotten. */
  update(id: string, value: V): void {
    const entry = this.entries.get(id);
    if (entry === undefined) this.remember(id, value);
    else entry.value = value;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
