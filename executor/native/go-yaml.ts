/**
 * Owns writing YAML the way kubectl's YAML printer does: sigs.k8s.io/yaml (JSON, read back by
 * goyaml.v2, marshalled by it) in block style. Mapping keys in goyaml.v2's natural order (digit runs
 * compared as numbers, a letter after a non-letter); a sequence inside a mapping not indented; a
 * string plain when goyaml.v2 would read it back as a string and its emitter allows plain, else
 * single-quoted, or double-quoted when it would read as another type; plain and single-quoted
 * strings folded at a space once past column 80, continued two spaces in, as the emitter does.
 * A string with line breaks is a literal block (`|`), as goyaml.v2 writes it; printable non-ASCII
 * text is written as it is. A fraction, which goyaml.v2 reads back from kubectl's JSON as a float,
 * is written as strconv's shortest %g. Anything it does not model exactly (a character the emitter
 * escapes, a block it would refuse or keep trailing breaks in, an integer past 2^53, nested
 * sequences, a date-like string it cannot classify) answers undefined, and the command runs kubectl.
 */
import { goFloat } from "./go-value";

const BEST_WIDTH = 80;
/**
 * What goyaml.v2's emitter (unicode on, as kubectl's is) writes as it is: printable ASCII and the
 * printable BMP outside the C1 controls, surrogates, U+FEFF and U+FFFE/F; not U+2028/U+2029, which
 * YAML reads as line breaks. Anything else (a tab, an emoji) it escapes in double quotes.
 */
const PRINTABLE = /^[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;
const PRINTABLE_LINES = /^[\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;
const RESOLVE_MAP = new Set([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"],
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"],
  ...["", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF"],
  ...["+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<"],
]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/;
const DATE_PREFIX = /^[0-9]{4}-/;
/** goyaml.v2's isBase60Float: YAML 1.1's sexagesimal numbers (1:30), which its encoder quotes. */
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z)?$/;

class Unmodelled extends Error {}

/** Whether goyaml.v2 reads `s`, unquoted, as something other than a string. */
function resolvesToOther(s: string): boolean {
  if (RESOLVE_MAP.has(s)) return true;
  if (BASE60_FLOAT.test(s)) return true;
  const first = s[0] ?? "";
  if (first === ".") return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s);
  if (!/[-+0-9]/.test(first)) return false;
  if (DATE_PREFIX.test(s)) {
    if (TIMESTAMP.test(s)) return true;
    throw new Unmodelled();
  }
  // A sign is 'S' in goyaml.v2's resolve table: tried as the map's words (above), then as
  // strconv.ParseInt/ParseUint with base 0 (-0x1F, +0o17, -0b101), a float, or "-0b" binary. What
  // none of these read (--flag=value, -a, a lone -) stays a string.
  const plain = s.replaceAll("_", "");
  return GO_INT.test(plain) || YAML_FLOAT.test(plain);
}

/** goyaml.v2's emitter: may this string be written plain in block context? */
function plainAllowed(s: string): boolean {
  if (s === "") return true;
  if (s.startsWith("---") || s.startsWith("...")) return false;
  if (s.startsWith(" ") || s.endsWith(" ")) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const followedByBlank = i + 1 >= s.length || s[i + 1] === " ";
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) return false;
      if ((c === "?" || c === ":" || c === "-") && followedByBlank) return false;
    } else if (c === ":" && followedByBlank) return false;
    else if (c === "#" && s[i - 1] === " ") return false;
  }
  return true;
}

/** Writes `text` from `column`, folding at spaces past the best width onto `indent`. */
function folded(text: string, column: number, indent: number, single: boolean): string {
  let out = "";
  let col = column;
  let spaces = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === " ") {
      const inside = !single || (i > 0 && i < text.length - 1);
      if (!spaces && col > BEST_WIDTH && text[i + 1] !== " " && inside) {
        out += `\n${" ".repeat(indent)}`;
        col = indent;
      } else {
        out += c;
        col += 1;
      }
      spaces = true;
    } else {
      const written = single && c === "'" ? "''" : c;
      out += written;
      col += written.length;
      spaces = false;
    }
  }
  return out;
}

/**
 * A string with a line break, as goyaml.v2 writes one: a literal block (`|`), its lines at `indent`
 * (empty ones left empty), an indentation hint when it starts with a space or a break, and `-` when
 * it does not end with a break. Where the emitter would not write a block (a space before a break or
 * at the end, a tab or other control character) or would keep trailing breaks (`+`, which also ends
 * the document differently), and for a key, this is not modelled.
 */
function literalText(s: string, indent: number, isKey: boolean): string {
  if (isKey || !PRINTABLE_LINES.test(s) || s.endsWith(" ") || s.includes(" \n")) throw new Unmodelled();
  if (s === "\n" || s.endsWith("\n\n")) throw new Unmodelled();
  const hint = s.startsWith(" ") || s.startsWith("\n") ? "2" : "";
  const chomp = s.endsWith("\n") ? "" : "-";
  const lines = (chomp ? s : s.slice(0, -1)).split("\n");
  return `|${hint}${chomp}\n${lines.map((line) => (line === "" ? "" : `${" ".repeat(indent)}${line}`)).join("\n")}`;
}

/** A string scalar starting at `column`; `indent` is where a folded line goes on. */
function scalarText(s: string, column: number, indent: number, isKey: boolean): string {
  if (s.includes("\n")) return literalText(s, indent, isKey);
  if (!PRINTABLE.test(s)) throw new Unmodelled();
  if (resolvesToOther(s)) {
    if (s.includes(" ") || s.includes('"') || s.includes("\\")) throw new Unmodelled();
    return `"${s}"`;
  }
  if (plainAllowed(s) && !(isKey && s === "")) return isKey ? s : folded(s, column, indent, false);
  return isKey ? `'${s.replaceAll("'", "''")}'` : `'${folded(s, column + 1, indent, true)}'`;
}

function scalar(value: unknown, column: number, indent: number): string | undefined {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return goFloat(value);
    if (!Number.isSafeInteger(value)) throw new Unmodelled();
    return String(value);
  }
  if (typeof value === "string") return scalarText(value, column, indent, false);
  if (Array.isArray(value) && value.length === 0) return "[]";
  if (isMapping(value) && Object.keys(value).length === 0) return "{}";
  return undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";

/** goyaml.v2's keyList.Less for two string keys. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i] as string;
    const y = br[i] as string;
    if (x === y) continue;
    const xl = isLetter(x);
    const yl = isLetter(y);
    if (xl && yl) return x < y;
    if (xl || yl) return yl;
    let an = 0;
    let bn = 0;
    if (x === "0" || y === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return ar.length < br.length;
}

function sortedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
}

function mapping(value: Record<string, unknown>, indent: number, firstInline: boolean): string {
  let out = "";
  sortedKeys(value).forEach((key, index) => {
    const pad = index === 0 && firstInline ? "" : " ".repeat(indent);
    const k = scalarText(key, indent, indent + 2, true);
    const child = value[key];
    const head = `${pad}${k}:`;
    const inline = scalar(child, indent + k.length + 2, indent + 2);
    if (inline !== undefined) out += `${head} ${inline}\n`;
    else if (Array.isArray(child)) out += `${head}\n${sequence(child, indent)}`;
    else out += `${head}\n${mapping(child as Record<string, unknown>, indent + 2, false)}`;
  });
  return out;
}

function sequence(items: unknown[], indent: number): string {
  let out = "";
  for (const item of items) {
    const pad = " ".repeat(indent);
    const inline = scalar(item, indent + 2, indent + 2);
    if (inline !== undefined) out += `${pad}- ${inline}\n`;
    else if (Array.isArray(item)) throw new Unmodelled();
    else out += `${pad}- ${mapping(item as Record<string, unknown>, indent + 2, true)}`;
  }
  return out;
}

export function goYaml(value: unknown): string | undefined {
  try {
    if (!isMapping(value)) throw new Unmodelled();
    return Object.keys(value).length === 0 ? "{}\n" : mapping(value, 0, false);
  } catch (error) {
    if (error instanceof Unmodelled) return undefined;
    throw error;
  }
}
