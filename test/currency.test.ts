import { describe, expect, test } from "vitest";
import { currencyExponent, isCurrencyCode, toMajorUnits } from "../shared/currency.ts";

describe("toMajorUnits", () => {
  test.each([
    [1999, 2, 19.99],
    [1999, 0, 1999],
    [1999, 3, 1.999],
    [5, 2, 0.05],
    [0, 2, 0],
    ["-250", 2, -2.5],
    [123456789012345n, 2, 1234567890123.45],
  ])("%s minor units with exponent %s are %s", (minor, exponent, major) => {
    expect(toMajorUnits(minor, exponent)).toBe(major);
  });

  test("is exact where dividing a float is not", () => {
    // Every cent value comes out as its own decimal, with no binary-float drift.
    for (let minor = 0; minor < 5000; minor++) {
      expect(String(toMajorUnits(minor, 2))).toBe(String(Number((minor / 100).toFixed(2))));
    }
  });

  test.each(["19.99", "1e3", "", "abc"])("refuses %j, which is not an integer", (minor) => {
    expect(() => toMajorUnits(minor, 2)).toThrow(RangeError);
  });
});

describe("currencies", () => {
  test("knows ISO codes in any case", () => {
    expect(isCurrencyCode("usd")).toBe(true);
    expect(isCurrencyCode("KWD")).toBe(true);
    expect(isCurrencyCode("XYZ")).toBe(false);
  });

  test.each([
    ["USD", 2],
    ["JPY", 0],
    ["KWD", 3],
  ])("%s has %s decimals", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });
});
