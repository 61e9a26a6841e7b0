/**
 * Owns writing JSON the way kubectl does, Go's encoding/json over unstructured maps: MarshalIndent
 * with four spaces and a newline at the end for -o json, Marshal for what a jsonpath template
 * prints. Object keys sorted; `<`, `>`, `&`, U+2028 and U+2029 escaped as \\u sequences. A
 * fraction is a float64 to Go, which encoding/json spells as JavaScript does (shortest digits, an
 * exponent below 1e-6 and from 1e21). Values whose Go spelling differs from JavaScript's (an integer
 * past 2^53, a control character other than \\n \\r \\t, a lone surrogate) make it answer
 * undefined, and the command runs kubectl. It also owns whether encoding/json reads a string into
 * a []byte (a Secret's data, a ConfigMap's binaryData), which a typed client's decoding depends on.
 */
/** A control character Go writes as \u00XX where JSON.stringify writes \b or \f (or the same). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return true;
  }
  return false;
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

class Unprintable extends Error {}

/** The value checked for what Go spells differently, its objects' keys sorted (a map's, to Go) or kept in order (a struct's). */
function checked(value: unknown, sort: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => checked(item, sort));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    for (const key of sort ? keys.sort() : keys) {
      if (hasControl(key) || LONE_SURROGATE.test(key)) throw new Unprintable();
      out[key] = checked((value as Record<string, unknown>)[key], sort);
    }
    return out;
  }
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value))
    throw new Unprintable();
  if (typeof value === "string" && (hasControl(value) || LONE_SURROGATE.test(value))) throw new Unprintable();
  return value;
}

/** kubectl's JSON printer: indented by four spaces, with a newline at the end. */
export function goJson(value: unknown): string | undefined {
  const text = goJsonText(value, 4);
  return text === undefined ? undefined : `${text}\n`;
}

/**
 * The same for a typed Go struct: its fields in the order given (struct order), not sorted; indented
 * by `indent` spaces (kubectl's printers use four, `version -o json` two).
 */
export function goJsonInOrder(value: unknown, indent = 4): string | undefined {
  const text = goJsonText(value, indent, false);
  return text === undefined ? undefined : `${text}\n`;
}

/** Go's json.Marshal, compact: what a -o jsonpath template prints for a map or a list. */
export function goJsonCompact(value: unknown): string | undefined {
  return goJsonText(value, 0);
}

function goJsonText(value: unknown, indent: number, sort = true): string | undefined {
  try {
    return JSON.stringify(checked(value, sort), null, indent)
      .replaceAll("<", "\\u003c")
      .replaceAll(">", "\\u003e")
      .replaceAll("&", "\\u0026")
      .replaceAll("\u2028", "\\u2028")
      .replaceAll("\u2029", "\\u2029");
  } catch (error) {
    if (error instanceof Unprintable) return undefined;
    throw error;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Whether encoding/json decodes `text` into a []byte: standard, padded base64. Undefined where line
 * ends make it unsure (Go's decoder skips them).
 */
export function decodesAsBytes(text: string): boolean | undefined {
  if (BASE64.test(text)) return true;
  return /[\r\n]/.test(text) ? undefined : false;
}
