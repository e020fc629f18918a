import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { currencyExponent, isCurrencyCode, toMajorUnits, toMinorUnits } from "../shared/currency.ts";

describe("currencyExponent follows ISO 4217, not Intl's display digits", () => {
  test.each([
    ["USD", 2],
    ["eur", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["CLP", 0],
    ["ISK", 0],
    ["UGX", 0],
    ["VND", 0],
    ["XOF", 0],
    ["KWD", 3],
    ["BHD", 3],
    ["IQD", 3],
    ["TND", 3],
    ["HUF", 2],
    ["TWD", 2],
    ["IDR", 2],
    ["COP", 2],
    ["PKR", 2],
  ])("%s has %i decimals", (code, digits) => {
    expect(currencyExponent(code)).toBe(digits);
  });

  test.each(["ABC", "CLF", ""])("refuses %j, which is not a payment currency", (code) => {
    expect(() => currencyExponent(code)).toThrow(RangeError);
  });
});

describe("exact conversions", () => {
  test.each([
    [1999, 2, 19.99],
    [1999, 0, 1999],
    [1999, 3, 1.999],
    [5, 2, 0.05],
    [0, 2, 0],
    ["-250", 2, -2.5],
    [123456789012345n, 2, 1234567890123.45],
  ])("toMajorUnits(%s, %i) = %d", (minor, exponent, major) => {
    expect(toMajorUnits(minor, exponent)).toBe(major);
  });

  test.each(["19.99", "1e3", "", "abc"])("toMajorUnits refuses %j, which is not an integer", (minor) => {
    expect(() => toMajorUnits(minor, 2)).toThrow(RangeError);
  });

  test.each([
    ["19.99", 2, 1999n],
    [10.43, 2, 1043n],
    ["1999", 0, 1999n],
    ["1999.00", 0, 1999n],
    ["1.999", 3, 1999n],
    ["0.1", 2, 10n],
  ])("toMinorUnits(%s, %i) = %s", (major, exponent, minor) => {
    expect(toMinorUnits(major, exponent)).toBe(minor);
  });

  test.each(["19.999", "-1", "1e3", "", "1.2.3", "NaN"])(
    "toMinorUnits refuses %s for a 2-decimal currency",
    (major) => {
      expect(() => toMinorUnits(major, 2)).toThrow(RangeError);
    },
  );

  test("minor -> major is the decimal written out, for every amount and exponent", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.constantFrom(0, 2, 3), (minor, exponent) => {
        const text = minor.toString().padStart(exponent + 1, "0");
        const written = exponent === 0 ? text : `${text.slice(0, -exponent)}.${text.slice(-exponent)}`;
        expect(toMajorUnits(minor, exponent)).toBe(Number(written));
        expect(toMinorUnits(written, exponent)).toBe(minor);
      }),
    );
  });
});

test("isCurrencyCode knows ISO codes in any case", () => {
  expect(isCurrencyCode("usd")).toBe(true);
  expect(isCurrencyCode("KWD")).toBe(true);
  expect(isCurrencyCode("XYZ")).toBe(false);
});
