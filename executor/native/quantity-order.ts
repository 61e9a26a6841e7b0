/**
 * Owns what resource.ParseQuantity makes of any string, for kubectl's `--sort-by`, which compares
 * two strings by value when both parse as quantities and by their bytes otherwise. It follows
 * parseQuantityString's scan (a sign, leading zeros dropped, digits, a fraction, suffix letters, a
 * signed exponent: `-`, `.`, `1.G` and `+5e-3` parse; an IP address does not) and the suffixer's
 * tables, then takes the value as ParseQuantity leaves it: rounded up, away from zero, to a whole
 * number of nano units, and a binary one capped at Go's int64. A number past the fast path is read
 * again by inf.Dec, which wants a digit (`Ei` alone is no quantity, while `Ki` is zero). An exponent
 * too large to work out here answers undefined.
 */

/** A quantity's value in nano units; null for a string that is not one; undefined where unsure. */
export type QuantityOrder = bigint | null | undefined;

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_LETTERS = "eEinumkKMGTP";
/** Go's maxInt64Factors: how many decimal digits the fast path takes. */
const FAST_DIGITS = 18;
const MAX_EXPONENT = 1_000;
const INT64_MAX = 2n ** 63n - 1n;
const NANO = 10n ** 9n;

interface Scanned {
  positive: boolean;
  /** The number as written, sign and leading zeros included: what the slow path hands inf.Dec. */
  written: string;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** parseQuantityString's scan; undefined where it reports ErrFormatWrong. */
function scan(str: string): Scanned | undefined {
  const end = str.length;
  let pos = 0;
  const positive = str[0] !== "-";
  if (str[0] === "-" || str[0] === "+") pos++;
  while (pos < end && str[pos] === "0") pos++;
  if (pos >= end) return { positive, written: "0", num: "0", denom: "", suffix: "" };
  let at = pos;
  while (isDigit(str[at])) at++;
  const digits = str.slice(pos, at);
  if (at >= end) return { positive, written: str, num: digits, denom: "", suffix: "" };
  const num = digits === "" ? "0" : digits;
  pos = at;
  let denom = "";
  if (str[pos] === ".") {
    at = ++pos;
    while (isDigit(str[at])) at++;
    denom = str.slice(pos, at);
    if (at >= end) return { positive, written: str, num, denom, suffix: "" };
    pos = at;
  }
  const written = str.slice(0, pos);
  at = pos;
  while (at < end && SUFFIX_LETTERS.includes(str[at] as string)) at++;
  if (at < end && (str[at] === "-" || str[at] === "+")) at++;
  while (isDigit(str[at])) at++;
  return at >= end ? { positive, written, num, denom, suffix: str.slice(pos) } : undefined;
}

/** The suffixer: base and exponent, null where it does not know the suffix (ErrSuffix), undefined where unsure. */
function interpret(suffix: string): { base: 2 | 10; exponent: number } | null | undefined {
  if (Object.hasOwn(DECIMAL, suffix)) return { base: 10, exponent: DECIMAL[suffix] as number };
  if (Object.hasOwn(BINARY, suffix)) return { base: 2, exponent: BINARY[suffix] as number };
  // strconv.ParseInt of what follows the e: an optional sign and digits, within int64.
  const exponent = /^[eE]([+-]?[0-9]+)$/.exec(suffix)?.[1];
  if (exponent === undefined) return null;
  const parsed = BigInt(exponent);
  if (parsed > INT64_MAX || parsed < -INT64_MAX - 1n) return null;
  return parsed > BigInt(MAX_EXPONENT) || parsed < BigInt(-MAX_EXPONENT)
    ? undefined
    : { base: 10, exponent: Number(parsed) };
}

/** What ParseQuantity makes of `text`, for ordering: see QuantityOrder. */
export function quantityOrder(text: string): QuantityOrder {
  if (text === "") return null;
  const scanned = scan(text);
  if (scanned === undefined) return null;
  const { positive, written, num, denom, suffix } = scanned;
  const read = interpret(suffix);
  if (read === null || read === undefined) return read;
  const { base, exponent } = read;
  // Past the fast path, inf.Dec reads the number as written: it fails (ErrNumeric) with no digit.
  const fast =
    base === 10
      ? FAST_DIGITS - (num.length + denom.length) >= 0 && exponent - denom.length >= -9
      : denom === "" && 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 >= 0;
  if (!fast && !/[0-9]/.test(written)) return null;
  let magnitude = BigInt(num + denom) * NANO;
  let divisor = 10n ** BigInt(denom.length);
  if (base === 2) magnitude <<= BigInt(exponent);
  else if (exponent >= 0) magnitude *= 10n ** BigInt(exponent);
  else divisor *= 10n ** BigInt(-exponent);
  let nanos = (magnitude + divisor - 1n) / divisor;
  if (base === 2 && nanos > INT64_MAX * NANO) nanos = INT64_MAX * NANO;
  return positive ? nanos : -nanos;
}
