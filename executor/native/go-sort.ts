/**
 * Owns putting items in the order Go's sort.Sort leaves them, so that what kubectl sorts (events by
 * time, `--sort-by`, `top`) prints here in kubectl's order even where items compare equal. sort.Sort
 * is not stable: past 12 items it is pattern-defeating quicksort (Go 1.19 and later, kubectl v1.32's
 * Go among them), whose order for equal items follows from the exact sequence of Less and Swap calls.
 * That algorithm is deterministic (its one source of chance, breakPatterns, is an xorshift seeded with
 * the length), so it is followed here step for step: insertion sort up to 12, heapsort when too many
 * pivots were bad, ninther and median-of-three pivots, the partial insertion sort of a likely sorted
 * run, and the partition of many equal items.
 */

/** Up to this many items Go sorts by insertion, which keeps equal items in the order they came. */
export const STABLE_UP_TO = 12;

enum Hint {
  Unknown,
  Increasing,
  Decreasing,
}

const MASK = (1n << 64n) - 1n;
/** bits.Len: how many bits `n` takes. */
const bitLength = (n: number) => 32 - Math.clz32(n);
const half = (n: number) => Math.trunc(n / 2);

/** Go's sort.Sort over `data`, in place, by `less(i, j)`: whether data[i] goes before data[j]. */
class GoSort {
  constructor(
    private readonly data: unknown[],
    readonly less: (i: number, j: number) => boolean,
  ) {}

  swap(i: number, j: number): void {
    const { data } = this;
    [data[i], data[j]] = [data[j], data[i]];
  }

  insertionSort(a: number, b: number): void {
    for (let i = a + 1; i < b; i++) {
      for (let j = i; j > a && this.less(j, j - 1); j--) this.swap(j, j - 1);
    }
  }

  siftDown(lo: number, hi: number, first: number): void {
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && this.less(first + child, first + child + 1)) child++;
      if (!this.less(first + root, first + child)) return;
      this.swap(first + root, first + child);
      root = child;
    }
  }

  heapSort(a: number, b: number): void {
    const hi = b - a;
    for (let i = half(hi - 1); i >= 0; i--) this.siftDown(i, hi, a);
    for (let i = hi - 1; i >= 0; i--) {
      this.swap(a, a + i);
      this.siftDown(0, i, a);
    }
  }

  pdqsort(a: number, b: number, limit: number): void {
    let wasBalanced = true;
    let wasPartitioned = true;
    for (;;) {
      const length = b - a;
      if (length <= STABLE_UP_TO) {
        this.insertionSort(a, b);
        return;
      }
      if (limit === 0) {
        this.heapSort(a, b);
        return;
      }
      if (!wasBalanced) {
        this.breakPatterns(a, b);
        limit--;
      }
      let [pivot, hint] = this.choosePivot(a, b);
      if (hint === Hint.Decreasing) {
        this.reverseRange(a, b);
        pivot = b - 1 - (pivot - a);
        hint = Hint.Increasing;
      }
      if (wasBalanced && wasPartitioned && hint === Hint.Increasing && this.partialInsertionSort(a, b))
        return;
      if (a > 0 && !this.less(a - 1, pivot)) {
        a = this.partitionEqual(a, b, pivot);
        continue;
      }
      const [mid, alreadyPartitioned] = this.partition(a, b, pivot);
      wasPartitioned = alreadyPartitioned;
      const [left, right] = [mid - a, b - mid];
      const balanceThreshold = Math.trunc(length / 8);
      if (left < right) {
        wasBalanced = left >= balanceThreshold;
        this.pdqsort(a, mid, limit);
        a = mid + 1;
      } else {
        wasBalanced = right >= balanceThreshold;
        this.pdqsort(mid + 1, b, limit);
        b = mid;
      }
    }
  }

  partition(a: number, b: number, pivot: number): [number, boolean] {
    this.swap(a, pivot);
    let [i, j] = [a + 1, b - 1];
    while (i <= j && this.less(i, a)) i++;
    while (i <= j && !this.less(j, a)) j--;
    if (i > j) {
      this.swap(j, a);
      return [j, true];
    }
    this.swap(i, j);
    i++;
    j--;
    for (;;) {
      while (i <= j && this.less(i, a)) i++;
      while (i <= j && !this.less(j, a)) j--;
      if (i > j) break;
      this.swap(i, j);
      i++;
      j--;
    }
    this.swap(j, a);
    return [j, false];
  }

  partitionEqual(a: number, b: number, pivot: number): number {
    this.swap(a, pivot);
    let [i, j] = [a + 1, b - 1];
    for (;;) {
      while (i <= j && !this.less(a, i)) i++;
      while (i <= j && this.less(a, j)) j--;
      if (i > j) return i;
      this.swap(i, j);
      i++;
      j--;
    }
  }

  partialInsertionSort(a: number, b: number): boolean {
    const maxSteps = 5;
    const shortestShifting = 50;
    let i = a + 1;
    for (let step = 0; step < maxSteps; step++) {
      while (i < b && !this.less(i, i - 1)) i++;
      if (i === b) return true;
      if (b - a < shortestShifting) return false;
      this.swap(i, i - 1);
      if (i - a >= 2) {
        for (let j = i - 1; j >= 1; j--) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (let j = i + 1; j < b; j++) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
    }
    return false;
  }

  breakPatterns(a: number, b: number): void {
    const length = b - a;
    if (length < 8) return;
    // sort.go's xorshift, seeded with the length: the same swaps every time for the same input.
    let random = BigInt(length);
    const modulus = 2 ** bitLength(length);
    const quarter = Math.trunc(length / 4) * 2;
    for (let idx = a + quarter - 1; idx <= a + quarter + 1; idx++) {
      random ^= (random << 13n) & MASK;
      random ^= random >> 17n;
      random ^= (random << 5n) & MASK;
      let other = Number(random & BigInt(modulus - 1));
      if (other >= length) other -= length;
      this.swap(idx, a + other);
    }
  }

  choosePivot(a: number, b: number): [number, Hint] {
    const shortestNinther = 50;
    const maxSwaps = 4 * 3;
    const l = b - a;
    const swaps = { count: 0 };
    const quarter = Math.trunc(l / 4);
    let [i, j, k] = [a + quarter, a + quarter * 2, a + quarter * 3];
    if (l >= 8) {
      if (l >= shortestNinther) {
        i = this.median(i - 1, i, i + 1, swaps);
        j = this.median(j - 1, j, j + 1, swaps);
        k = this.median(k - 1, k, k + 1, swaps);
      }
      j = this.median(i, j, k, swaps);
    }
    if (swaps.count === 0) return [j, Hint.Increasing];
    return [j, swaps.count === maxSwaps ? Hint.Decreasing : Hint.Unknown];
  }

  /** order2 three times: the index of the median of data[a], data[b], data[c]. */
  median(a: number, b: number, c: number, swaps: { count: number }): number {
    const order2 = (x: number, y: number): [number, number] => {
      if (!this.less(y, x)) return [x, y];
      swaps.count++;
      return [y, x];
    };
    [a, b] = order2(a, b);
    [b, c] = order2(b, c);
    [a, b] = order2(a, b);
    return b;
  }

  reverseRange(a: number, b: number): void {
    for (let [i, j] = [a, b - 1]; i < j; i++, j--) this.swap(i, j);
  }
}

/** `items` in the order Go's sort.Sort leaves them by `compare` (negative: a goes first). */
export function goSorted<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  const data = [...items];
  if (data.length <= 1) return data;
  const sort = new GoSort(data, (i, j) => compare(data[i] as T, data[j] as T) < 0);
  sort.pdqsort(0, data.length, bitLength(data.length));
  return data;
}
