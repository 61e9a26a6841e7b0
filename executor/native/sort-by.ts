/**
 * Owns `--sort-by=FIELD` as kubectl orders by it (pkg/cmd/get/sorter.go): FIELD relaxed to a
 * jsonpath (readRelaxedPath), each item keyed by its first result, and the items put in the order
 * Go's sort.Sort gives (go-sort.ts, equal keys included) with kubectl's isLess: integers by value,
 * two strings that both parse as quantities by value (quantity-order.ts), other strings by their
 * bytes, a null first, and an item lacking the field before anything (even another lacking it:
 * not an order, but Go's sort asks it the same questions here). That is only certain here when the
 * keys are all integers or all ASCII strings whose quantity reading is certain; where no item has
 * the field, kubectl's answer is NO_FIELD's. Anything else — a fraction, mixed kinds, a map —
 * answers undefined, and the command runs kubectl.
 */
import { goSorted } from "./go-sort";
import { allResults } from "./jsonpath";
import { readRelaxedPath, relaxedExpression, type Step } from "./jsonpath-template";
import { quantityOrder } from "./quantity-order";

const ASCII = /^[\x20-\x7e]*$/;

/** A --sort-by field: as kubectl names it in its errors (`{.a.b}`), and the path it is. */
export interface SortField {
  expression: string;
  steps: Step[];
}

export function readSortField(value: string): SortField | undefined {
  const expression = relaxedExpression(value);
  const steps = readRelaxedPath(value);
  return expression === undefined || steps === undefined ? undefined : { expression, steps };
}

/** No item has the field: kubectl prints nothing for a table, and fails for a list of objects. */
export const NO_FIELD = Symbol("no item has the field");

/** kubectl's error for a list of objects none of which has the field. */
export const noFieldError = ({ expression }: SortField) =>
  `error: couldn't find any field with path "${expression}" in the list of objects\n`;

/**
 * `items` in kubectl's order by the key `field` finds in `objectOf(item)`; NO_FIELD when no item has
 * it; undefined when not certain.
 */
export function sortedBy<T>(
  items: readonly T[],
  { steps }: SortField,
  objectOf: (item: T) => unknown,
): T[] | typeof NO_FIELD | undefined {
  // An empty list is not sorted, so no field is looked for.
  if (items.length === 0) return [];
  const keyed: (Keyed & { item: T })[] = [];
  for (const item of items) {
    const found = allResults(steps, objectOf(item));
    if (found === undefined) return undefined;
    const [value] = found;
    if (found.length === 0) keyed.push({ item, key: undefined });
    // One item is never compared: it need only have the field.
    else if (items.length === 1) return [...items];
    else if (value === null || (typeof value === "number" && Number.isSafeInteger(value))) {
      keyed.push({ item, key: value });
    } else if (typeof value === "string" && ASCII.test(value)) {
      const quantity = quantityOrder(value);
      if (quantity === undefined) return undefined;
      keyed.push({ item, key: value, quantity });
    } else return undefined;
  }
  if (keyed.every(({ key }) => key === undefined)) return NO_FIELD;
  const kinds = new Set(keyed.flatMap(({ key }) => (key === null || key === undefined ? [] : [typeof key])));
  if (kinds.size > 1) return undefined;
  return goSorted(keyed, (a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0)).map(({ item }) => item);
}

interface Keyed {
  /** The first result; undefined where the item lacks the field. */
  key: string | number | null | undefined;
  /** A string key as ParseQuantity reads it: its value in nano units, or null for no quantity. */
  quantity?: bigint | null;
}

/**
 * kubectl's Less: an item lacking the field before any other (and before one that lacks it too),
 * then isLess on unstructured values: a null before anything; two strings that are both
 * quantities by value, else by their bytes. Neither need be a consistent order: go-sort.ts follows
 * sort.Sort's comparisons one by one, so the result is kubectl's all the same.
 */
function less(a: Keyed, b: Keyed): boolean {
  if (a.key === undefined) return true;
  if (b.key === undefined) return false;
  if (a.key === null) return b.key !== null;
  if (b.key === null) return false;
  if (typeof a.quantity === "bigint" && typeof b.quantity === "bigint") return a.quantity < b.quantity;
  return a.key < b.key;
}
