/**
 * Owns `--sort-by=FIELD` as kubectl orders by it (pkg/cmd/get/sorter.go): FIELD relaxed to a
 * jsonpath (readRelaxedPath), each item keyed by its first result, and the
 * items put in the order Go's sort.Sort gives (go-sort.ts, equal keys included). That order is only
 * certain here when the keys are all integers, or all ASCII strings none of which could be a resource
 * quantity (kubectl compares two quantities by value); a null key comes first, as kubectl puts it. Anything else — a missing key (kubectl
 * orders those inconsistently, or fails when none has one), a fraction, mixed kinds, a map — answers
 * undefined, and the command runs kubectl.
 */
import { goSorted } from "./go-sort";
import { allResults } from "./jsonpath";
import type { Step } from "./jsonpath-template";

/** What resource.ParseQuantity might accept: a number with an SI, binary or exponent suffix. */
const MAYBE_QUANTITY = /^[+-]?[0-9.][0-9.eEKMGTPikm+-]*$/;
const ASCII = /^[\x20-\x7e]*$/;

/** `items` in kubectl's order by the key `steps` find in `objectOf(item)`; undefined when not certain. */
export function sortedBy<T>(
  items: readonly T[],
  steps: Step[],
  objectOf: (item: T) => unknown,
): T[] | undefined {
  const keyed: { item: T; key: Key }[] = [];
  for (const item of items) {
    const found = allResults(steps, objectOf(item));
    if (found === undefined || found.length === 0) return undefined;
    // One item is never compared: its key need only be there.
    if (items.length === 1) return [...items];
    const [value] = found;
    const sortable =
      value === null ||
      (typeof value === "number" && Number.isSafeInteger(value)) ||
      (typeof value === "string" && ASCII.test(value) && !MAYBE_QUANTITY.test(value));
    if (!sortable) return undefined;
    keyed.push({ item, key: value });
  }
  const kinds = new Set(keyed.filter(({ key }) => key !== null).map(({ key }) => typeof key));
  if (kinds.size > 1) return undefined;
  return goSorted(keyed, (a, b) => order(a.key, b.key)).map(({ item }) => item);
}

type Key = string | number | null;

/** kubectl's isLess on unstructured values: a null before anything, then by value. */
function order(a: Key, b: Key): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
