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
    [1999, "USD", 19.99],
    [1999, "JPY", 1999],
    [1999, "KWD", 1.999],
    [5, "USD", 0.05],
    [0, "USD", 0],
    ["-250", "USD", -2.5],
    [123456789012345n, "USD", 1234567890123.45],
    ["999999999999999", "USD", 9999999999999.99],
  ])("toMajorUnits(%s, %s) = %d", (minor, currency, major) => {
    expect(toMajorUnits(minor, currency)).toBe(major);
  });

  test.each(["19.99", "1e3", "", "abc"])("toMajorUnits refuses %j, which is not an integer", (minor) => {
    expect(() => toMajorUnits(minor, "USD")).toThrow(RangeError);
  });

  // 9007199254740991 cents would come out as 90071992547409.9: a double has no 16th digit to spare.
  test.each(["1000000000000000", "9007199254740991", "9007199254740993", 9007199254740991n])(
    "toMajorUnits refuses %s minor units, which a JSON number cannot carry exactly",
    (minor) => {
      expect(() => toMajorUnits(minor, "USD")).toThrow(
        /beyond 999999999999999 minor units of USD, the most a JSON number carries exactly/,
      );
    },
  );

  test.each([
    ["19.99", "USD", 1999n],
    [10.43, "USD", 1043n],
    ["1999", "JPY", 1999n],
    ["1999.00", "JPY", 1999n],
    ["1.999", "KWD", 1999n],
    ["0.1", "USD", 10n],
  ])("toMinorUnits(%s, %s) = %s", (major, currency, minor) => {
    expect(toMinorUnits(major, currency)).toBe(minor);
  });

  test.each(["19.999", "-1", "1e3", "", "1.2.3", "NaN", Number.NaN, Number.POSITIVE_INFINITY, -1])(
    "toMinorUnits refuses %s for a 2-decimal currency",
    (major) => {
      expect(() => toMinorUnits(major, "USD")).toThrow(RangeError);
    },
  );

  test.each([
    [19.999, "USD", "USD has 2 decimal places; 19.999 has 3"],
    [0.1 + 0.2, "usd", "USD has 2 decimal places; 0.30000000000000004 has 17"],
    [1.5, "JPY", "JPY has 0 decimal places; 1.5 has 1"],
    [1.0001, "KWD", "KWD has 3 decimal places; 1.0001 has 4"],
    // Numbers that String() writes with an exponent are read digit by digit all the same.
    [1e-7, "USD", "USD has 2 decimal places; 1e-7 has 7"],
    [5e-324, "USD", "USD has 2 decimal places; 5e-324 has 324"],
    [1e21, "USD", "amount 1e+21 is beyond 999999999999999 minor units of USD"],
    [90071992547409.91, "USD", "amount 90071992547409.9 is beyond 999999999999999 minor units of USD"],
  ])("toMinorUnits refuses %s %s, saying why", (major, currency, message) => {
    expect(() => toMinorUnits(major, currency)).toThrow(message);
  });

  test("toMinorUnits counts a long fraction's decimals in linear time", () => {
    // 200,000 zeros then a 1: a backtracking /0+$/ takes minutes here, one pass a millisecond.
    const long = `1.${"0".repeat(200_000)}1`;
    expect(() => toMinorUnits(long, "USD")).toThrow(/^USD has 2 decimal places; 1\.0+ has 200001$/);
    expect(toMinorUnits(`1.${"0".repeat(200_000)}`, "USD")).toBe(100n);
  });

  test("minor -> major is the decimal written out, for every amount and exponent", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
        fc.constantFrom(["JPY", 0], ["USD", 2], ["KWD", 3]),
        (minor, [currency, exponent]) => {
          const text = minor.toString().padStart(exponent + 1, "0");
          const written = exponent === 0 ? text : `${text.slice(0, -exponent)}.${text.slice(-exponent)}`;
          const major = toMajorUnits(minor, currency);
          expect(major).toBe(Number(written));
          // What DataFast receives (the number's JSON text) is the amount as written.
          expect(toMinorUnits(JSON.stringify(major), currency)).toBe(minor);
          expect(toMinorUnits(written, currency)).toBe(minor);
        },
      ),
    );
  });
});

test("isCurrencyCode knows ISO codes in any case", () => {
  expect(isCurrencyCode("usd")).toBe(true);
  expect(isCurrencyCode("KWD")).toBe(true);
  expect(isCurrencyCode("XYZ")).toBe(false);
});

test("a currency code is ASCII letters: no other letter upper-cases into a known code", () => {
  // "ſ" (long s) upper-cases to S, "ı" (dotless i) to I, "ﬀ" to FF.
  for (const code of ["uſd", "ısk", "\u017fek", "USD ", " usd", "U\u0053D\u0000", "ﬀ"]) {
    expect(isCurrencyCode(code), JSON.stringify(code)).toBe(false);
    expect(() => currencyExponent(code), JSON.stringify(code)).toThrow(RangeError);
  }
  expect(currencyExponent("isk")).toBe(0);
});

test("isCurrencyCode takes exactly Node 20's codes on every runtime, none of Bun's older or metal ones", () => {
  // Every three-letter code, against Node 20's ICU list (the one written out): a code mistyped,
  // dropped or added in the list fails here.
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const accepted = [...letters].flatMap((a) =>
    [...letters].flatMap((b) => [...letters].map((c) => a + b + c).filter((code) => isCurrencyCode(code))),
  );
  expect(accepted).toEqual(Intl.supportedValuesOf("currency"));
  // Deno's ICU lacks these three (Sierra Leone 2022, Caribbean guilder 2025, Zimbabwe gold 2024).
  for (const code of ["SLE", "XCG", "ZWG"]) expect(isCurrencyCode(code), code).toBe(true);
  // Bun's ICU lists these: retired, precious-metal, testing and "no currency" codes.
  for (const code of ["DEM", "MRO", "VEF", "XAU", "XAG", "XTS", "XXX", "CLF", "UYI"]) {
    expect(isCurrencyCode(code), code).toBe(false);
  }
});
