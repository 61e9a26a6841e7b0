/**
 * Owns reading a `-o go-template` template as Go's text/template parses it: text and actions
 * between `{{` and `}}` (`{{- ` and ` -}}` trimming the white space beside them), comments,
 * pipelines of commands joined by `|` with variable declarations and assignments, fields
 * (`.a.b`, `$x.a`, `(…).a`), strings (interpreted and raw), integers, booleans, `nil`, and the
 * actions if / else if / else, range (one or two variables, else, break, continue) and with / else.
 * Anything else a template may hold (define, template, block, characters, other numbers, a field
 * on a literal) reads as undefined, and the command runs kubectl, whose error, if any, is its own.
 */

export type Operand =
  | { kind: "dot"; fields: string[] }
  | { kind: "variable"; name: string; fields: string[] }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "nil" }
  | { kind: "function"; name: string }
  | { kind: "pipeline"; pipeline: Pipeline; fields: string[] };

/** One command of a pipeline: an operand alone, or a function and its arguments. */
export type Command = Operand[];

export interface Pipeline {
  /** Variables declared (`:=`) or assigned (`=`) with the pipeline's value. */
  variables: string[];
  declare: boolean;
  commands: Command[];
}

export type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; pipeline: Pipeline }
  | { kind: "if" | "with"; pipeline: Pipeline; list: Node[]; otherwise: Node[] }
  | { kind: "range"; pipeline: Pipeline; list: Node[]; otherwise: Node[] }
  | { kind: "break" | "continue" };

class Unreadable extends Error {}

/** An action's text, split into tokens as text/template's lexer splits it. */
function tokens(source: string): string[] {
  const out: string[] = [];
  const pattern =
    /\s+|"(?:[^"\\\n]|\\.)*"|`[^`]*`|:=|[=|(),]|\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*|(?:\.[A-Za-z0-9_]+)+|\.|-?[0-9]+(?![0-9A-Za-z.])|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/y;
  let at = 0;
  while (at < source.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(source);
    if (match === null) throw new Unreadable(`cannot read ${source.slice(at)}`);
    if (!/^\s+$/.test(match[0])) out.push(match[0]);
    at = pattern.lastIndex;
  }
  return out;
}

/** Go's interpreted string literal, for the escapes templates use. */
function unquote(literal: string): string {
  if (literal.startsWith("`")) return literal.slice(1, -1);
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", "'": "'" };
  return literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => {
    const escaped = escapes[c];
    if (escaped === undefined) throw new Unreadable(`escape \\${c}`);
    return escaped;
  });
}

const KEYWORDS = new Set([
  "if",
  "else",
  "end",
  "range",
  "with",
  "break",
  "continue",
  "define",
  "template",
  "block",
]);

class PipelineReader {
  private at = 0;
  constructor(private readonly words: string[]) {}

  done = () => this.at >= this.words.length;
  peek = () => this.words[this.at];
  next(): string {
    const word = this.words[this.at++];
    if (word === undefined) throw new Unreadable("an action ends too soon");
    return word;
  }

  /** `[$a[, $b] (:=|=)] command (| command)*`, up to the end or a closing parenthesis. */
  pipeline(rangeVariables: boolean): Pipeline {
    const variables: string[] = [];
    let declare = false;
    const start = this.at;
    const first = this.peek();
    if (first?.startsWith("$") && !first.includes(".")) {
      variables.push(this.next());
      if (rangeVariables && this.peek() === ",") {
        this.next();
        const second = this.next();
        if (!second.startsWith("$") || second.includes(".")) throw new Unreadable("a range variable");
        variables.push(second);
      }
      const operator = this.peek();
      if (operator === ":=" || operator === "=") {
        this.next();
        declare = operator === ":=";
      } else {
        variables.length = 0;
        this.at = start;
      }
    }
    const commands: Command[] = [];
    for (;;) {
      const command: Command = [];
      while (!this.done() && this.peek() !== "|" && this.peek() !== ")") command.push(this.operand());
      if (command.length === 0) throw new Unreadable("an empty command");
      commands.push(command);
      if (this.peek() !== "|") break;
      this.next();
    }
    return { variables, declare, commands };
  }

  private operand(): Operand {
    const word = this.next();
    if (word === "(") {
      const pipeline = this.pipeline(false);
      if (this.next() !== ")") throw new Unreadable("a parenthesis");
      return { kind: "pipeline", pipeline, fields: this.fieldsAfter() };
    }
    if (word === ".") return { kind: "dot", fields: [] };
    if (word.startsWith(".")) return { kind: "dot", fields: word.slice(1).split(".") };
    if (word.startsWith("$")) {
      const [name = "", ...fields] = word.split(".");
      return { kind: "variable", name, fields };
    }
    if (word.startsWith('"') || word.startsWith("`")) return { kind: "string", value: unquote(word) };
    if (/^-?[0-9]+$/.test(word)) return { kind: "number", value: Number(word) };
    if (word === "true" || word === "false") return { kind: "bool", value: word === "true" };
    if (word === "nil") return { kind: "nil" };
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word) && !KEYWORDS.has(word)) return { kind: "function", name: word };
    throw new Unreadable(`operand ${word}`);
  }

  /** `.a.b` right after a parenthesis. */
  private fieldsAfter(): string[] {
    const word = this.peek();
    if (word === undefined || !/^(\.[A-Za-z0-9_]+)+$/.test(word)) return [];
    this.next();
    return word.slice(1).split(".");
  }
}

/** An action's words, its pipeline or keyword, read. */
type Action =
  | { kind: "pipeline"; pipeline: Pipeline }
  | { kind: "if" | "with" | "range"; pipeline: Pipeline }
  | { kind: "else"; chained?: { kind: "if" | "with"; pipeline: Pipeline } }
  | { kind: "end" }
  | { kind: "break" }
  | { kind: "continue" };

function action(source: string): Action {
  const words = tokens(source);
  const [keyword] = words;
  if (keyword === "end" || keyword === "break" || keyword === "continue") {
    if (words.length !== 1) throw new Unreadable(keyword);
    return keyword === "end"
      ? { kind: "end" }
      : keyword === "break"
        ? { kind: "break" }
        : { kind: "continue" };
  }
  if (keyword === "if" || keyword === "with" || keyword === "range") {
    const reader = new PipelineReader(words.slice(1));
    const pipeline = reader.pipeline(keyword === "range");
    if (!reader.done()) throw new Unreadable("a stray parenthesis");
    return { kind: keyword, pipeline };
  }
  if (keyword === "else") {
    if (words.length === 1) return { kind: "else" };
    const chained = words[1];
    if (chained !== "if" && chained !== "with") throw new Unreadable("else");
    const reader = new PipelineReader(words.slice(2));
    const pipeline = reader.pipeline(false);
    if (!reader.done()) throw new Unreadable("a stray parenthesis");
    return { kind: "else", chained: { kind: chained, pipeline } };
  }
  if (keyword !== undefined && KEYWORDS.has(keyword)) throw new Unreadable(keyword);
  const reader = new PipelineReader(words);
  const pipeline = reader.pipeline(false);
  if (!reader.done()) throw new Unreadable("a stray parenthesis");
  return { kind: "pipeline", pipeline };
}

/** The template's text and actions in order, trimming applied; comments dropped. */
function pieces(template: string): ({ text: string } | { action: string })[] {
  const out: ({ text: string } | { action: string })[] = [];
  let at = 0;
  let trimNext = false;
  while (at <= template.length) {
    const open = template.indexOf("{{", at);
    let text = template.slice(at, open === -1 ? undefined : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
    if (open === -1) {
      if (text !== "") out.push({ text });
      break;
    }
    let inner = open + 2;
    if (/^- [ \t\r\n]*/.test(template.slice(inner)) || /^-[\t\r\n]/.test(template.slice(inner))) {
      text = text.replace(/[ \t\r\n]+$/, "");
      inner += 1;
    }
    if (text !== "") out.push({ text });
    const close = template.indexOf("}}", inner);
    if (close === -1) throw new Unreadable("an unclosed action");
    let body = template.slice(inner, close);
    trimNext = /[ \t\r\n]-$/.test(body);
    if (trimNext) body = body.slice(0, -1);
    const trimmed = body.trim();
    if (trimmed.startsWith("/*")) {
      if (!trimmed.endsWith("*/")) throw new Unreadable("a comment");
    } else if (body.includes("{{") || (body.replace(/\\./g, "").match(/"/g) ?? []).length % 2 === 1) {
      // A `}}` inside a string ended the action early here: not read as Go reads it.
      throw new Unreadable("a delimiter inside an action");
    } else out.push({ action: body });
    at = close + 2;
  }
  return out;
}

/** The -o values that print through a Go template: `go-template=TEMPLATE`, or `template=TEMPLATE`. */
export const GO_TEMPLATE_OUTPUT = /^(?:go-)?template=/;

/** The template read as a tree of nodes; undefined for what is not read here. */
export function readGoTemplate(template: string): Node[] | undefined {
  try {
    const parts = pieces(template);
    let at = 0;
    /** Nodes up to an `else` or `end` (which it returns), or the end of the template. */
    const list = (): { nodes: Node[]; ended?: Action } => {
      const nodes: Node[] = [];
      while (at < parts.length) {
        const part = parts[at++] as { text: string } | { action: string };
        if ("text" in part) {
          nodes.push({ kind: "text", text: part.text });
          continue;
        }
        const read = action(part.action);
        if (read.kind === "end" || read.kind === "else") return { nodes, ended: read };
        if (read.kind === "break" || read.kind === "continue") nodes.push({ kind: read.kind });
        else if (read.kind === "pipeline") nodes.push({ kind: "action", pipeline: read.pipeline });
        else nodes.push(block(read.kind, read.pipeline));
      }
      return { nodes };
    };
    const block = (kind: "if" | "with" | "range", pipeline: Pipeline): Node => {
      const body = list();
      if (body.ended === undefined) throw new Unreadable(`an unterminated ${kind}`);
      if (body.ended.kind === "end") return { kind, pipeline, list: body.nodes, otherwise: [] };
      if (body.ended.kind !== "else") throw new Unreadable("else");
      const chained = body.ended.chained;
      if (chained !== undefined) {
        // `{{else if x}}` is `{{else}}{{if x}}…{{end}}`, its end the outer one's.
        if (kind === "range" || chained.kind !== kind)
          throw new Unreadable("an else chained to another kind");
        return { kind, pipeline, list: body.nodes, otherwise: [block(chained.kind, chained.pipeline)] };
      }
      const otherwise = list();
      if (otherwise.ended?.kind !== "end") throw new Unreadable(`an unterminated ${kind}`);
      return { kind, pipeline, list: body.nodes, otherwise: otherwise.nodes };
    };
    const { nodes, ended } = list();
    return ended === undefined ? nodes : undefined;
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
}
