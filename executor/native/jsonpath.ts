/**
 * Owns what a `-o jsonpath` template prints for a document (the object, or the List kubectl makes
 * of a list), evaluated the way kubectl's engine (client-go util/jsonpath, missing keys allowed)
 * evaluates it: each action's results separated by a space, a map or a list as compact JSON, a
 * string as itself, a number as `%v` prints it (go-value.ts), a null as `null`. Where kubectl would
 * fail (an index out of bounds, a filter over something that is not a list, a comparison of unlike
 * types), or print what this does not model (a map's values in Go's random order), it answers undefined
 * and the command runs kubectl, which prints its own error and its dump of the object.
 */
import { goJsonCompact } from "./go-json";
import { goValue } from "./go-value";
import type { Operand, Operator, SliceBound, Step, TemplateNode } from "./jsonpath-template";

class Unanswered extends Error {}

type Value = unknown;

/** The template's output for `document`, or undefined where kubectl's would differ or fail. */
export function printJsonPath(nodes: TemplateNode[], document: unknown): string | undefined {
  try {
    return print(nodes, document);
  } catch (error) {
    if (error instanceof Unanswered) return undefined;
    throw error;
  }
}

/** Every value `steps` find in `document`, in order; undefined where kubectl's evaluation would fail. */
export function allResults(steps: Step[], document: unknown): unknown[] | undefined {
  try {
    return walk([document], steps);
  } catch (error) {
    if (error instanceof Unanswered) return undefined;
    throw error;
  }
}

/**
 * What a range body starts from when its item is null, or when the range found nothing (kubectl
 * then still walks the body once, printing nothing, to find its end): Go's invalid reflect.Value,
 * on which a field or a wildcard finds nothing but an index or a filter is an error.
 */
const INVALID = Symbol("no value");

function print(nodes: TemplateNode[], current: Value): string {
  let out = "";
  for (const node of nodes) {
    if (node.kind === "text") out += node.text;
    else if (node.kind === "path") out += walk([current], node.steps).map(text).join(" ");
    else {
      const items = walk([current], node.steps);
      if (items.length === 0) print(node.body, INVALID);
      for (const item of items) out += print(node.body, item === null ? INVALID : item);
    }
  }
  return out;
}

function walk(values: Value[], steps: Step[]): Value[] {
  let current = values;
  for (const step of steps) current = apply(current, step);
  return current;
}

const isMap = (value: Value): value is Record<string, Value> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function apply(values: Value[], step: Step): Value[] {
  switch (step.kind) {
    case "field":
      // A field of anything but a map is no value, as a missing key is.
      return values.flatMap((value) =>
        isMap(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [],
      );
    case "wildcard":
      return values.flatMap(wildcard);
    case "slice":
      return slice(values, step.bounds);
    case "exists":
    case "compare":
      return values.flatMap((value) => filter(value, step));
  }
}

function wildcard(value: Value): Value[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") throw new Unanswered(); // Go walks its bytes, printed as numbers.
  if (!isMap(value)) return [];
  const entries = Object.values(value);
  // Go visits a map's values in random order: only one value has a single order.
  if (entries.length > 1) throw new Unanswered();
  return entries;
}

/**
 * kubectl's array step: bounds counted from the end when negative, an error when out of range
 * (unless it selects nothing), and — as kubectl does — an empty selection ends the step, dropping
 * what the inputs after it would have given.
 */
function slice(values: Value[], bounds: readonly [SliceBound, SliceBound, SliceBound]): Value[] {
  const results: Value[] = [];
  for (const value of values) {
    if (value === null) continue;
    if (!Array.isArray(value)) throw new Unanswered();
    const [first, last, step] = bounds;
    const length = value.length;
    let start = first.known ? first.value : 0;
    if (start < 0) start += length;
    let end = last.known ? last.value : length;
    if (end < 0 || (end === 0 && last.derived)) end += length;
    if (end === start) return results;
    if (start >= length || start < 0 || end > length || end < 0 || start > end) throw new Unanswered();
    const stride = step.known ? step.value : 1;
    if (stride <= 0) throw new Unanswered();
    for (let i = start; i < end; i += stride) results.push(value[i]);
  }
  return results;
}

function filter(value: Value, step: Extract<Step, { kind: "exists" | "compare" }>): Value[] {
  if (!Array.isArray(value)) throw new Unanswered();
  return value.filter((item) => {
    const found = walk([item], step.path);
    if (step.kind === "exists") return found.length > 0;
    if (found.length === 0) return false;
    if (found.length > 1) throw new Unanswered();
    return compare(found[0], step.operator, step.operand);
  });
}

/** Go's template comparisons, for the kinds both sides can be here: a string, or an integer. */
function compare(left: Value, operator: Operator, operand: Operand): boolean {
  const sameKind =
    operand.kind === "string"
      ? typeof left === "string"
      : typeof left === "number" && Number.isSafeInteger(left);
  if (!sameKind) throw new Unanswered();
  const right = operand.value;
  if (operator === "==") return left === right;
  if (operator === "!=") return left !== right;
  // Go orders strings by their UTF-8 bytes, JavaScript by UTF-16 units: the same for ASCII alone.
  if (typeof left === "string" && !(isAscii(left) && isAscii(right as string))) throw new Unanswered();
  const [a, b] = [left as string | number, right];
  if (operator === "<") return a < b;
  if (operator === ">") return a > b;
  if (operator === "<=") return a <= b;
  return a >= b;
}

const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** One result as kubectl prints it. */
function text(value: Value): string {
  if (typeof value === "string") return value;
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    const number = goValue(value);
    if (number !== undefined) return number;
  }
  if (typeof value === "object" && value !== null) {
    const json = goJsonCompact(value);
    if (json !== undefined) return json;
  }
  throw new Unanswered();
}
