/**
 * Owns reading Kubernetes quantities (`250m`, `24735696n`, `7246776Ki`, `1.5Gi`, `2`) exactly, and
 * the two ways `kubectl top` reads them back: MilliValue and Value, each rounded up as
 * resource.Quantity rounds them. A quantity is held as a whole number of 10⁻¹⁸ units, so sums are
 * exact. Forms this does not read (an exponent such as `1e3`, a sign, a fraction finer than 10⁻¹⁸)
 * are undefined, and the command runs kubectl.
 */

/** A quantity in units of 10⁻¹⁸. */
export type Quantity = bigint;

const ATTO = 10n ** 18n;
const SUFFIX_SCALE: Record<string, bigint> = {
  n: 10n ** 9n,
  u: 10n ** 12n,
  m: 10n ** 15n,
  "": ATTO,
  k: 10n ** 21n,
  M: 10n ** 24n,
  G: 10n ** 27n,
  T: 10n ** 30n,
  P: 10n ** 33n,
  E: 10n ** 36n,
  Ki: 2n ** 10n * ATTO,
  Mi: 2n ** 20n * ATTO,
  Gi: 2n ** 30n * ATTO,
  Ti: 2n ** 40n * ATTO,
  Pi: 2n ** 50n * ATTO,
  Ei: 2n ** 60n * ATTO,
};
const FORM = /^([0-9]+)(?:\.([0-9]+))?(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
/** Go's int64: MilliValue and Value past it would not print as computed here. */
const INT64_MAX = 2n ** 63n - 1n;

export function parseQuantity(text: string): Quantity | undefined {
  const match = FORM.exec(text);
  if (!match) return undefined;
  const [, whole = "", fraction = "", suffix = ""] = match;
  const scale = SUFFIX_SCALE[suffix] as bigint;
  const scaled = BigInt(whole + fraction) * scale;
  const divisor = 10n ** BigInt(fraction.length);
  return scaled % divisor === 0n ? scaled / divisor : undefined;
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** resource.Quantity's MilliValue, undefined past Go's int64. */
export function milliValue(q: Quantity): bigint | undefined {
  const milli = ceilDiv(q, 10n ** 15n);
  return milli > INT64_MAX ? undefined : milli;
}

/** resource.Quantity's Value, undefined past Go's int64. */
export function value(q: Quantity): bigint | undefined {
  const whole = ceilDiv(q, ATTO);
  return whole > INT64_MAX ? undefined : whole;
}

/**
 * A quantity as resource.Quantity keeps it for printing: its value and its format, binary (read
 * with a Ki… suffix) or decimal. Sums keep the first addend's format, as Quantity.Add does.
 */
export interface Formatted {
  value: Quantity;
  binary: boolean;
}

export function readFormatted(text: string): Formatted | undefined {
  const parsed = parseQuantity(text);
  return parsed === undefined ? undefined : { value: parsed, binary: text.endsWith("i") };
}

export const ZERO: Formatted = { value: 0n, binary: false };

/** Quantity.Add: the sum, in the format of the first addend unless that one is zero. */
export function addFormatted(a: Formatted, b: Formatted): Formatted {
  return { value: a.value + b.value, binary: a.value === 0n ? b.binary : a.binary };
}

const DECIMAL_SUFFIX = new Map([
  [-9, "n"],
  [-6, "u"],
  [-3, "m"],
  [0, ""],
  [3, "k"],
  [6, "M"],
  [9, "G"],
  [12, "T"],
  [15, "P"],
  [18, "E"],
]);
const BINARY_SUFFIX = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
const KI = 1024n;

/**
 * Quantity.String(): a binary quantity of a whole number of at least 1024 as its largest power of
 * 1024 that divides it, anything else as decimal with every factor of ten taken into a suffix whose
 * exponent is a multiple of three. Undefined where that suffix does not exist.
 */
export function quantityText(q: Formatted): string | undefined {
  if (q.value === 0n) return "0";
  if (q.value < 0n) return undefined;
  if (q.binary && q.value >= KI * ATTO && q.value % ATTO === 0n) {
    let amount = q.value / ATTO;
    let power = 0;
    while (amount % KI === 0n) {
      amount /= KI;
      power++;
    }
    const suffix = BINARY_SUFFIX[power];
    return suffix === undefined ? undefined : `${amount}${suffix}`;
  }
  let amount = q.value;
  let exponent = -18;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  const down = ((exponent % 3) + 3) % 3;
  const suffix = DECIMAL_SUFFIX.get(exponent - down);
  return suffix === undefined ? undefined : `${amount * 10n ** BigInt(down)}${suffix}`;
}

/**
 * `resource.NewQuantity(q.Value(), format).String()`: a quantity read back as a whole number (rounded
 * up) in another format, as describe quota prints a used amount in its hard amount's format.
 */
export function wholeInFormat(text: string, binary: boolean): string | undefined {
  const parsed = parseQuantity(text);
  const whole = parsed === undefined ? undefined : value(parsed);
  return whole === undefined ? undefined : quantityText({ value: whole * ATTO, binary });
}
