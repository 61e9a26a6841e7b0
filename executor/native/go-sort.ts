/**
 * Owns the one fact about Go's sort.Sort that native reads rely on: up to 12 items it is an
 * insertion sort, which keeps equal items in the order they came; past 12 it is pdqsort, which does
 * not. So an order kubectl makes is certain here when no two items are equal, or when there are at
 * most 12 of them.
 */

/** Go's sort.Sort switches from insertion sort (stable) to pdqsort (not stable) past this many items. */
export const STABLE_UP_TO = 12;

/**
 * `items` in the order Go's sort.Sort leaves them by `compare` (negative: a goes first), or
 * undefined when that order is not certain: two equal ones among more than 12.
 */
export function goSorted<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] | undefined {
  const sorted = [...items];
  if (sorted.length <= STABLE_UP_TO) {
    // Go's insertionSort: each item moved back while it is less than the one before it.
    for (let i = 1; i < sorted.length; i++) {
      for (let j = i; j > 0 && compare(sorted[j] as T, sorted[j - 1] as T) < 0; j--) {
        [sorted[j - 1], sorted[j]] = [sorted[j] as T, sorted[j - 1] as T];
      }
    }
    return sorted;
  }
  // With no two equal, any correct sort gives the one order there is.
  sorted.sort(compare);
  return sorted.some((item, i) => i > 0 && compare(sorted[i - 1] as T, item) === 0) ? undefined : sorted;
}
