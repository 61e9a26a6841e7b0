/**
 * Owns reading a `-o jsonpath=TEMPLATE` template the way kubectl's parser (client-go util/jsonpath)
 * reads it, for the part of its language native reads evaluate: literal text; `{PATH}`; quoted text
 * (`{"\n"}`); `{range PATH}…{end}`, nested or not. A PATH is an optional `@` or `$`, then any of
 * `.field` (a backslash escapes the next character, as in `.labels.app\.kubernetes\.io/name`), `.*`,
 * `[N]`, `[START:END:STEP]`, `[*]`, and `[?(@.path)]` or `[?(@.path OP literal)]` with a quoted string
 * or an integer. Anything else — recursive descent `..`, unions, `['key']`, a filter of another
 * shape, an unknown escape, a range left open — is not read (undefined), and the command runs
 * kubectl, whose parser and error messages stay the only ones.
 */

/** One bound of `[START:END:STEP]`, as kubectl keeps it: given or not, and derived for `[N]`. */
export interface SliceBound {
  value: number;
  known: boolean;
  derived: boolean;
}

export type Operand = { kind: "string"; value: string } | { kind: "integer"; value: number };

export type Step =
  | { kind: "field"; name: string }
  | { kind: "wildcard" }
  | { kind: "slice"; bounds: [SliceBound, SliceBound, SliceBound] }
  | { kind: "exists"; path: Step[] }
  | { kind: "compare"; path: Step[]; operator: Operator; operand: Operand };

export type Operator = "==" | "!=" | "<" | ">" | "<=" | ">=";
const OPERATORS = new Set<string>(["==", "!=", "<", ">", "<=", ">="]);

export type TemplateNode =
  | { kind: "text"; text: string }
  | { kind: "path"; steps: Step[] }
  | { kind: "range"; steps: Step[]; body: TemplateNode[] };

/** What ends a field name in kubectl's parser (besides a space, tab or line end). */
const TERMINATORS = new Set([".", ",", "[", "]", "$", "@", "{", "}", " ", "\t", "\r", "\n"]);
/** Field names this reads: the characters Kubernetes keys use (a dot only escaped). */
const FIELD_NAME = /^[A-Za-z0-9_\-/]+$/;
/** kubectl's slice pattern, whole. */
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const INTEGER = /^-?\d+$/;
/** A filter this reads: `@` and fields, then optionally an operator and a plain quoted string or integer. */
const FILTER =
  /^\s*(@(?:\.(?:[A-Za-z0-9_\-/]|\\\.)+)+)\s*(?:([!<>=]+)\s*("[^"\\()]*"|'[^'\\()]*'|-?\d+))?\s*$/;

class Unread extends Error {}

/** The template's nodes, or undefined when it is outside what this reads. */
export function readJsonPathTemplate(template: string): TemplateNode[] | undefined {
  try {
    const reader = new TemplateReader(template);
    const nodes = reader.nodes(false);
    return nodes.length === 0 ? undefined : nodes;
  } catch (error) {
    if (error instanceof Unread) return undefined;
    throw error;
  }
}

class TemplateReader {
  private at = 0;

  constructor(private readonly text: string) {}

  /** Nodes up to the end of the template, or (inside a range) up to its `{end}`. */
  nodes(inRange: boolean): TemplateNode[] {
    const nodes: TemplateNode[] = [];
    while (this.at < this.text.length) {
      const open = this.text.indexOf("{", this.at);
      if (open !== this.at) {
        const end = open === -1 ? this.text.length : open;
        nodes.push({ kind: "text", text: this.text.slice(this.at, end) });
        this.at = end;
        continue;
      }
      this.at += 1;
      const action = this.action();
      if (action === "end") {
        if (!inRange) throw new Unread();
        return nodes;
      }
      if (action.kind === "range") action.body = this.nodes(true);
      nodes.push(action);
    }
    if (inRange) throw new Unread();
    return nodes;
  }

  /** One action, after its `{`: a path, quoted text, a range (its body read by the caller) or `end`. */
  private action(): TemplateNode | "end" {
    this.skipSpaces();
    let node: TemplateNode | "end";
    const quote = this.text[this.at];
    if (quote === '"' || quote === "'") node = { kind: "text", text: this.quoted(quote) };
    else if (this.text.startsWith("end", this.at) && this.isWordEnd(this.at + 3)) {
      this.at += 3;
      node = "end";
    } else if (this.text.startsWith("range", this.at) && this.isWordEnd(this.at + 5)) {
      this.at += 5;
      if (this.text[this.at] !== " ") throw new Unread();
      this.skipSpaces();
      node = { kind: "range", steps: this.path(), body: [] };
    } else node = { kind: "path", steps: this.path() };
    this.skipSpaces();
    if (this.text[this.at] !== "}") throw new Unread();
    this.at += 1;
    return node;
  }

  private isWordEnd(at: number): boolean {
    const next = this.text[at];
    return next === " " || next === "}";
  }

  private skipSpaces(): void {
    while (this.text[this.at] === " ") this.at += 1;
  }

  /** Quoted text, with the escapes kubectl's unquoting reads the same as JavaScript: \n \t \r \\ \" \'. */
  private quoted(quote: string): string {
    let text = "";
    for (let at = this.at + 1; at < this.text.length; at++) {
      const c = this.text[at] as string;
      if (c === "\n" || c === "\r") break;
      if (c === quote) {
        // kubectl's scan takes a quote after a backslash as escaped, even after an escaped backslash.
        if (this.text[at - 1] === "\\") throw new Unread();
        this.at = at + 1;
        return text;
      }
      if (c !== "\\") {
        text += c;
        continue;
      }
      const escaped = ESCAPES[this.text[at + 1] ?? ""];
      // An escaped quote of the other kind is an error to kubectl's unquoting.
      if (escaped === undefined || ((escaped === '"' || escaped === "'") && escaped !== quote)) {
        throw new Unread();
      }
      text += escaped;
      at += 1;
    }
    throw new Unread();
  }

  /** A path: `@` or `$` first, or neither, then its steps, up to a space or the action's `}`. */
  private path(): Step[] {
    if (this.text[this.at] === "@" || this.text[this.at] === "$") this.at += 1;
    const steps: Step[] = [];
    for (;;) {
      const c = this.text[this.at];
      if (c === ".") steps.push(this.field());
      else if (c === "[") steps.push(this.text.startsWith("[?(", this.at) ? this.filter() : this.slice());
      else return steps;
    }
  }

  private field(): Step {
    this.at += 1;
    let raw = "";
    while (this.at < this.text.length) {
      const c = this.text[this.at] as string;
      if (c === "\\") {
        // kubectl drops every backslash from a field name; only an escaped dot is read here.
        if (this.text[this.at + 1] !== ".") throw new Unread();
        raw += ".";
        this.at += 2;
        continue;
      }
      if (TERMINATORS.has(c)) break;
      raw += c;
      this.at += 1;
    }
    if (raw === "*") return { kind: "wildcard" };
    if (!FIELD_NAME.test(raw.replaceAll(".", "_"))) throw new Unread();
    return { kind: "field", name: raw };
  }

  private slice(): Step {
    const close = this.text.indexOf("]", this.at);
    if (close === -1) throw new Unread();
    const inside = this.text.slice(this.at + 1, close);
    this.at = close + 1;
    const parts = SLICE.exec(inside === "*" ? ":" : inside);
    if (inside === "" || !parts) throw new Unread();
    return { kind: "slice", bounds: sliceBounds(parts) };
  }

  /** `[?(…)]`: read whole by FILTER, the way kubectl splits it into a left path, operator and right. */
  private filter(): Step {
    const close = this.text.indexOf(")]", this.at);
    if (close === -1) throw new Unread();
    const parts = FILTER.exec(this.text.slice(this.at + 3, close));
    this.at = close + 2;
    if (!parts) throw new Unread();
    const [, left = "", operator, right] = parts;
    const path = new TemplateReader(left).path();
    if (operator === undefined || right === undefined) return { kind: "exists", path };
    if (!OPERATORS.has(operator)) throw new Unread();
    const operand: Operand = INTEGER.test(right)
      ? { kind: "integer", value: Number(right) }
      : { kind: "string", value: right.slice(1, -1) };
    if (operand.kind === "integer" && !Number.isSafeInteger(operand.value)) throw new Unread();
    return { kind: "compare", path, operator: operator as Operator, operand };
  }
}

/**
 * kubectl's RelaxedJSONPathExpression for --sort-by and custom columns (`.a.b`, `a.b`, `{.a.b}` all
 * mean `{.a.b}`), read as the one path it must then be; undefined if it is not.
 */
export function readRelaxedPath(field: string): Step[] | undefined {
  const expression = relaxedExpression(field);
  const [node, ...more] = (expression !== undefined && readJsonPathTemplate(expression)) || [];
  return node?.kind === "path" && more.length === 0 ? node.steps : undefined;
}

/** RelaxedJSONPathExpression's text: `{.a.b}` for each spelling; undefined for what it refuses. */
export function relaxedExpression(field: string): string | undefined {
  const match = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(field);
  const spec = match?.[1] ?? match?.[2];
  return spec === undefined ? undefined : `{.${spec}}`;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'" };

/** kubectl's three bounds from the slice pattern's groups (its `[N]` is `[N:N+1]`, END derived). */
function sliceBounds(parts: RegExpExecArray): [SliceBound, SliceBound, SliceBound] {
  const bounds: SliceBound[] = [];
  for (let i = 0; i < 3; i++) {
    let part = parts[i + 1] ?? "";
    if (part === "") {
      const derived = i === 1;
      bounds.push({ value: derived ? (bounds[0]?.value ?? 0) + 1 : 0, known: derived, derived });
      continue;
    }
    if (i > 0) part = part.slice(1);
    if (i > 0 && part === "") {
      bounds.push({ value: 0, known: false, derived: false });
      continue;
    }
    if (!INTEGER.test(part)) throw new Unread();
    const value = Number(part);
    if (!Number.isSafeInteger(value)) throw new Unread();
    bounds.push({ value, known: true, derived: false });
  }
  return bounds as [SliceBound, SliceBound, SliceBound];
}
