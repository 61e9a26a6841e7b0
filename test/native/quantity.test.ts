/**
 * Kubernetes quantities as native `top` reads them (executor/native/quantity.ts), checked as
 * properties against plain integer arithmetic: a suffix scales by its power of ten or of two, a
 * fraction is the same amount as the whole number of the next smaller unit, and MilliValue and Value
 * round up as resource.Quantity does. The forms it does not read are refused, so kubectl prints them.
 * Printed back (quantityText, for describe node's sums), a quantity is Quantity.String()'s: the
 * amount it reads as, in its format, with every factor the format can take out in its suffix.
 * What --sort-by makes of a string (quantity-order.ts, held to kubectl by oracle-quantity-order)
 * agrees with that reading wherever both read it: the same amount, in nano units, with a sign.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  addFormatted,
  milliValue,
  parseQuantity,
  quantityText,
  readFormatted,
  value,
} from "../../executor/native/quantity";
import { quantityOrder } from "../../executor/native/quantity-order";

const DECIMAL: [string, bigint][] = [
  ["n", -9n],
  ["u", -6n],
  ["m", -3n],
  ["", 0n],
  ["k", 3n],
  ["M", 6n],
  ["G", 9n],
];
const BINARY: [string, bigint][] = [
  ["Ki", 10n],
  ["Mi", 20n],
  ["Gi", 30n],
];
// Small enough that every MilliValue fits Go's int64 (1,000,000 G in thousandths is 10^18).
const amount = fc.bigInt({ min: 0n, max: 10n ** 6n });
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

describe("quantities", () => {
  test("a decimal suffix scales by its power of ten; MilliValue and Value round up", () => {
    fc.assert(
      fc.property(amount, fc.constantFrom(...DECIMAL), (n, [suffix, exponent]) => {
        const q = parseQuantity(`${n}${suffix}`) as bigint;
        // In nanounits, exactly: n × 10^(exponent + 9).
        const nanos = n * 10n ** (exponent + 9n);
        expect(milliValue(q)).toBe(ceilDiv(nanos, 10n ** 6n));
        expect(value(q)).toBe(ceilDiv(nanos, 10n ** 9n));
      }),
    );
  });

  test("a binary suffix scales by its power of two", () => {
    fc.assert(
      fc.property(amount, fc.constantFrom(...BINARY), (n, [suffix, bits]) => {
        const q = parseQuantity(`${n}${suffix}`) as bigint;
        expect(value(q)).toBe(n * 2n ** bits);
        expect(milliValue(q)).toBe(n * 2n ** bits * 1000n);
      }),
    );
  });

  test("a fraction is the same amount written in the next smaller unit", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.integer({ min: 0, max: 999 }), (whole, part) => {
        const fraction = String(part).padStart(3, "0");
        expect(parseQuantity(`${whole}.${fraction}`)).toBe(parseQuantity(`${whole * 1000n + BigInt(part)}m`));
        expect(parseQuantity(`${whole}.${fraction}k`)).toBe(parseQuantity(`${whole * 1000n + BigInt(part)}`));
      }),
    );
    expect(parseQuantity("1.5Gi")).toBe(parseQuantity("1536Mi"));
  });

  test("forms it does not read are refused", () => {
    for (const text of ["1e3", "1E6", "-1", "+1", "1.", ".5", "", "1 Ki", "1KB", "12x"]) {
      expect(parseQuantity(text)).toBeUndefined();
    }
  });

  test("past Go's int64 there is no MilliValue or Value", () => {
    // 9E is 9 × 10^18, under int64's 9.22 × 10^18; its thousandths, and 10E, are not.
    expect(value(parseQuantity("9E") as bigint)).toBe(9n * 10n ** 18n);
    expect(milliValue(parseQuantity("9E") as bigint)).toBeUndefined();
    expect(value(parseQuantity("10E") as bigint)).toBeUndefined();
  });

  test("printed back, a quantity reads as the same amount, in its own format, with nothing left to take out", () => {
    const suffixes = [...DECIMAL, ...BINARY].map(([suffix]) => suffix);
    fc.assert(
      fc.property(amount, fc.constantFrom(...suffixes), (n, suffix) => {
        const q = readFormatted(`${n}${suffix}`);
        const printed = quantityText(q ?? { value: -1n, binary: false }) ?? "";
        const match = /^([0-9]+)([a-zA-Z]*)$/.exec(printed);
        expect(match).not.toBeNull();
        expect(parseQuantity(printed)).toBe(q?.value);
        const [, digits = "", printedSuffix = ""] = match ?? [];
        if (n === 0n) expect(printed).toBe("0");
        else if (printedSuffix.endsWith("i")) expect(BigInt(digits) % 1024n).not.toBe(0n);
        else expect(digits.endsWith("000")).toBe(false);
        // A binary quantity under 1024, or not a whole number, prints as decimal, as Go prints it.
        if (suffix.endsWith("i") && (q?.value ?? 0n) >= 1024n * 10n ** 18n)
          expect(printedSuffix.endsWith("i")).toBe(true);
      }),
    );
  });

  test("a sum keeps the first non-zero addend's format", () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        const binary = readFormatted(`${a}Mi`) as NonNullable<ReturnType<typeof readFormatted>>;
        const decimal = readFormatted(`${b}M`) as NonNullable<ReturnType<typeof readFormatted>>;
        const sum = addFormatted(binary, decimal);
        expect(sum.value).toBe(binary.value + decimal.value);
        expect(sum.binary).toBe(a !== 0n);
      }),
    );
    expect(quantityText(addFormatted(readFormatted("4Gi") as never, readFormatted("100M") as never))).toBe(
      "4394967296",
    );
    expect(quantityText(addFormatted(readFormatted("1500m") as never, readFormatted("500m") as never))).toBe(
      "2",
    );
  });

  test("the --sort-by reading agrees with this one, signed, wherever this one reads a whole number of nano units", () => {
    const INT64_NANOS = (2n ** 63n - 1n) * 10n ** 9n;
    const suffixes = [...DECIMAL, ...BINARY].map(([suffix]) => suffix);
    fc.assert(
      fc.property(
        fc.constantFrom("", "+", "-"),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.constantFrom("", ".5", ".25", ".000000001", ".75"),
        fc.constantFrom(...suffixes),
        (sign, whole, fraction, suffix) => {
          const read = parseQuantity(`${whole}${fraction}${suffix}`);
          if (read === undefined || read % 10n ** 9n !== 0n) return;
          // ParseQuantity caps a binary amount at Go's int64.
          const nanos =
            suffix.endsWith("i") && read / 10n ** 9n > INT64_NANOS ? INT64_NANOS : read / 10n ** 9n;
          expect(quantityOrder(`${sign}${whole}${fraction}${suffix}`)).toBe(sign === "-" ? -nanos : nanos);
        },
      ),
    );
  });
});
