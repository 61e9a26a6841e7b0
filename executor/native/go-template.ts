/**
 * Owns running a `-o go-template` template (go-template-parse.ts) over an object as kubectl runs it:
 * the object decoded by apimachinery's JSON into `map[string]interface{}`, an integer as an int64
 * (its digits) and any other number as a float64 (`%v`: `0.5`, `1e-05`), as go-value.ts reads
 * them; a missing key is "no value" (kubectl allows missing
 * keys), printed `<no value>`, as is a null a pipeline ends with (Go digs its interface{} result out,
 * and a nil one is no value), while a null inside a printed list or map is `<nil>`; maps ranged and printed in key
 * order; Go's truth for if, with and range. Functions: and, or, not, len, index, eq, ne, lt, le,
 * gt, ge (strings, ints or float64s, each with its own kind), print, println, printf with `%s`, `%v` and
 * `%%`, and kubectl's base64decode. Whatever would make kubectl fail or print through formatting
 * not modelled here (a field of nil or of a string, comparing a fraction with an integer,
 * other verbs, html, js, slice, exists, a map key beyond ASCII) answers undefined: kubectl runs.
 */

import type { Command, Node, Operand, Pipeline } from "./go-template-parse";
import { goValue, isAscii } from "./go-value";

/** What a missing map key evaluates to: Go's invalid value, printed `<no value>`. */
const MISSING = Symbol("no value");
type Value = unknown;

class NotModelled extends Error {}
class Break {}
class Continue {}

const isMap = (value: Value): value is Record<string, Value> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const sortedKeys = (map: Record<string, Value>) => {
  const keys = Object.keys(map);
  if (!keys.every(isAscii)) throw new NotModelled("a key beyond ASCII");
  return keys.sort();
};

/** fmt's `%v` of a value: go-value.ts's, and `<no value>` for no value at all. */
function formatted(value: Value): string {
  if (value === MISSING) return "<no value>";
  const text = goValue(value);
  if (text === undefined) throw new NotModelled("a value fmt would print in a way not modelled");
  return text;
}

/** Go template truth. */
function truth(value: Value): boolean {
  if (value === MISSING || value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  throw new NotModelled("the truth of an unknown value");
}

/** `.a.b` on a value: a map's key (missing: no value), no value on no value; anything else fails in kubectl. */
function fieldsOf(value: Value, fields: string[]): Value {
  let current = value;
  for (const field of fields) {
    if (current === MISSING) return MISSING;
    if (!isMap(current)) throw new NotModelled("a field of something other than a map");
    current = Object.hasOwn(current, field) ? current[field] : MISSING;
  }
  return current;
}

const kindOf = (value: Value) =>
  typeof value === "string"
    ? "string"
    : typeof value !== "number"
      ? "other"
      : Number.isInteger(value)
        ? "int"
        : "float";

/** eq/lt and friends, for what Go compares without an error: two strings, two ints or two float64s. */
function compare(a: Value, b: Value): number {
  const kind = kindOf(a);
  if (kind === "other" || kind !== kindOf(b))
    throw new NotModelled("a comparison Go refuses or treats its own way");
  if (kind === "string")
    return a === b ? 0 : Buffer.compare(Buffer.from(a as string), Buffer.from(b as string));
  return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
}

/** Go's fmt.Sprint: a space between operands when neither is a string. */
function sprint(values: Value[]): string {
  let out = "";
  values.forEach((value, i) => {
    if (i > 0 && typeof value !== "string" && typeof values[i - 1] !== "string") out += " ";
    out += formatted(value);
  });
  return out;
}

function sprintf(format: Value, args: Value[]): string {
  if (typeof format !== "string") throw new NotModelled("printf without a format");
  let next = 0;
  const out = format.replace(/%(.)/g, (_, verb: string) => {
    if (verb === "%") return "%";
    const arg = args[next++];
    if ((verb !== "s" && verb !== "v") || next > args.length) throw new NotModelled(`printf %${verb}`);
    if (verb === "s" && typeof arg !== "string") throw new NotModelled("%s of a value that is not text");
    return formatted(arg);
  });
  if (next !== args.length || /%$/.test(format.replace(/%%/g, ""))) throw new NotModelled("printf arguments");
  return out;
}

function base64decode(value: Value): string {
  if (
    typeof value !== "string" ||
    !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value)
  )
    throw new NotModelled("base64decode of what kubectl fails on");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(value, "base64"));
  } catch {
    throw new NotModelled("decoded bytes that are not text");
  }
}

function index(collection: Value, keys: Value[]): Value {
  let current = collection;
  for (const key of keys) {
    if (isMap(current) && typeof key === "string")
      current = Object.hasOwn(current, key) ? current[key] : null;
    else if (
      Array.isArray(current) &&
      Number.isInteger(key) &&
      (key as number) >= 0 &&
      (key as number) < current.length
    )
      current = current[key as number];
    else throw new NotModelled("an index kubectl fails on");
  }
  return current;
}

/** Functions whose arguments are evaluated before the call; and/or evaluate theirs as they go. */
const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  not: ([value, ...rest]) => {
    if (rest.length > 0) throw new NotModelled("not of several");
    return !truth(value);
  },
  len: ([value]) => {
    if (typeof value === "string") return Buffer.byteLength(value);
    if (Array.isArray(value)) return value.length;
    if (isMap(value)) return Object.keys(value).length;
    throw new NotModelled("len of what kubectl fails on");
  },
  index: ([collection, ...keys]) => index(collection, keys),
  eq: ([a, ...others]) => {
    if (others.length === 0) throw new NotModelled("eq of one");
    // A missing or nil first argument equals nothing, without an error.
    if (a === MISSING || a === null) return false;
    return others.some((b) => b !== MISSING && b !== null && compare(a, b) === 0);
  },
  ne: ([a, b, ...rest]) => {
    if (rest.length > 0 || b === undefined) throw new NotModelled("ne of other than two");
    if (a === MISSING || a === null) return true;
    return b === MISSING || b === null || compare(a, b) !== 0;
  },
  lt: ([a, b]) => compare(a, b) < 0,
  le: ([a, b]) => compare(a, b) <= 0,
  gt: ([a, b]) => compare(a, b) > 0,
  ge: ([a, b]) => compare(a, b) >= 0,
  print: (args) => sprint(args),
  println: (args) => `${args.map(formatted).join(" ")}\n`,
  printf: ([format, ...args]) => sprintf(format, args),
  base64decode: ([value, ...rest]) => {
    if (rest.length > 0) throw new NotModelled("base64decode of several");
    return base64decode(value);
  },
};

/** The template's output for `data`; undefined where kubectl would fail or print what is not modelled. */
export function runGoTemplate(nodes: Node[], data: Value): string | undefined {
  let out = "";
  const scopes: Map<string, Value>[] = [new Map([["$", data]])];
  const lookUp = (name: string): Value => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const scope = scopes[i] as Map<string, Value>;
      if (scope.has(name)) return scope.get(name);
    }
    throw new NotModelled(`undefined variable ${name}`);
  };
  const assign = (name: string, value: Value) => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const scope = scopes[i] as Map<string, Value>;
      if (scope.has(name)) return void scope.set(name, value);
    }
    throw new NotModelled(`undefined variable ${name}`);
  };

  const operand = (node: Operand, dot: Value): Value => {
    switch (node.kind) {
      case "dot":
        return fieldsOf(dot, node.fields);
      case "variable":
        return fieldsOf(lookUp(node.name), node.fields);
      case "number":
      case "string":
      case "bool":
        return node.value;
      case "nil":
        throw new NotModelled("nil as a value");
      case "pipeline":
        return fieldsOf(pipeline(node.pipeline, dot), node.fields);
      case "function":
        return call(node.name, [], dot, undefined);
    }
  };

  const call = (name: string, args: Operand[], dot: Value, piped: Value | typeof NONE): Value => {
    if (name === "and" || name === "or") {
      const operands: (() => Value)[] = args.map((arg) => () => operand(arg, dot));
      if (piped !== NONE) operands.push(() => piped);
      if (operands.length === 0) throw new NotModelled(`${name} of nothing`);
      let value: Value;
      for (const next of operands) {
        value = next();
        if (truth(value) === (name === "or")) return value;
      }
      return value;
    }
    const fn = FUNCTIONS[name];
    if (fn === undefined) throw new NotModelled(`function ${name}`);
    const values = args.map((arg) => operand(arg, dot));
    if (piped !== NONE) values.push(piped);
    // A missing value handed to a function becomes its parameter's zero value: not modelled but for eq and ne.
    if (name !== "eq" && name !== "ne" && name !== "not" && values.includes(MISSING))
      throw new NotModelled("no value as an argument");
    return fn(values);
  };

  const command = (parts: Command, dot: Value, piped: Value | typeof NONE): Value => {
    const [head, ...args] = parts;
    if (head === undefined) throw new NotModelled("an empty command");
    if (head.kind === "function") return call(head.name, args, dot, piped);
    if (args.length > 0 || piped !== NONE) throw new NotModelled("arguments to a value");
    return operand(head, dot);
  };

  const pipeline = (p: Pipeline, dot: Value): Value => {
    let value: Value | typeof NONE = NONE;
    for (const parts of p.commands) value = command(parts, dot, value);
    // A pipeline's interface{} result is dug into: a nil inside is no value at all (`<no value>`).
    if (value === null) value = MISSING;
    const [variable] = p.variables;
    if (variable !== undefined) {
      if (p.variables.length > 1) throw new NotModelled("two variables outside range");
      if (p.declare) (scopes.at(-1) as Map<string, Value>).set(variable, value);
      else assign(variable, value);
    }
    return value;
  };

  const scoped = (run: () => void) => {
    scopes.push(new Map());
    try {
      run();
    } finally {
      scopes.pop();
    }
  };

  const walk = (list: Node[], dot: Value): void => {
    for (const node of list) {
      switch (node.kind) {
        case "text":
          out += node.text;
          break;
        case "action": {
          const value = pipeline(node.pipeline, dot);
          // An action that declares or assigns prints nothing.
          if (node.pipeline.variables.length === 0) out += formatted(value);
          break;
        }
        case "if":
        case "with":
          scoped(() => {
            const value = pipeline(node.pipeline, dot);
            if (truth(value)) walk(node.list, node.kind === "with" ? value : dot);
            else walk(node.otherwise, dot);
          });
          break;
        case "range":
          scoped(() => range(node, dot));
          break;
        case "break":
          throw new Break();
        case "continue":
          throw new Continue();
      }
    }
  };

  const range = (node: Extract<Node, { kind: "range" }>, dot: Value) => {
    const { variables, commands } = node.pipeline;
    const value = pipeline({ variables: [], declare: false, commands }, dot);
    let entries: [Value, Value][];
    if (Array.isArray(value)) entries = value.map((item, i) => [i, item]);
    else if (isMap(value)) entries = sortedKeys(value).map((key) => [key, value[key]]);
    else if (value === MISSING || value === null) entries = [];
    else throw new NotModelled("range over what is not a list or map");
    if (entries.length === 0) return walk(node.otherwise, dot);
    for (const [key, item] of entries) {
      const scope = scopes.at(-1) as Map<string, Value>;
      // One variable is the element; two, the index or key and the element.
      if (variables.length === 1) scope.set(variables[0] as string, item);
      if (variables.length === 2) {
        scope.set(variables[0] as string, key);
        scope.set(variables[1] as string, item);
      }
      try {
        walk(node.list, item);
      } catch (signal) {
        if (signal instanceof Break) break;
        if (!(signal instanceof Continue)) throw signal;
      }
    }
  };

  try {
    walk(nodes, data);
    return out;
  } catch (error) {
    if (error instanceof NotModelled || error instanceof Break || error instanceof Continue) return undefined;
    throw error;
  }
}

const NONE = Symbol("nothing piped");
