/**
 * Owns what Go's `%v` (fmt.Sprint) prints for a value kubectl decoded from JSON into an unstructured
 * object: strings as they are, `true`/`false`, `<nil>` for null, a list as `[a b]`, a map as
 * `map[k:v]` (keys sorted), an integer as its digits and a fraction as a float64's shortest `%g`.
 * apimachinery decodes an integer token as int64 and any other as float64; the API server writes a
 * float64 that holds an integer below 1e21 as an integer token, so a JavaScript number tells the two
 * apart as Go does. An integer past 2^53, which JavaScript cannot hold exactly, and a map with a key
 * beyond ASCII (whose order is not certain here), answer undefined.
 */

/** A float64 as `%v` and strconv's shortest `%g` write it: an exponent (two digits at least) below 1e-4 and from 1e+06. */
export function goFloat(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const [mantissa = "", exponent = "0"] = value.toExponential().split("e");
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(value);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** Go sorts map keys by their bytes, JavaScript by UTF-16 units: the same order for ASCII keys only. */
export const isAscii = (text: string) => /^\p{ASCII}*$/u.test(text);

export const isGoMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A number as `%v` prints its int64 or float64; undefined for an integer JavaScript cannot hold exactly. */
function goNumber(value: number): string | undefined {
  if (!Number.isInteger(value)) return goFloat(value);
  return Number.isSafeInteger(value) ? String(value) : undefined;
}

/** What `%v` prints for a decoded value; undefined where it cannot say exactly. */
export function goValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "number") return goNumber(value);
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = goValue(item);
      if (text === undefined) return undefined;
      parts.push(text);
    }
    return `[${parts.join(" ")}]`;
  }
  if (!isGoMap(value)) return undefined;
  const keys = Object.keys(value);
  if (!keys.every(isAscii)) return undefined;
  for (const key of keys.sort()) {
    const text = goValue(value[key]);
    if (text === undefined) return undefined;
    parts.push(`${key}:${text}`);
  }
  return `map[${parts.join(" ")}]`;
}
