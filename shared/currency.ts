const currencyCodes = new Set(Intl.supportedValuesOf("currency"));

/** Whether `code` (any case) is an ISO 4217 currency code this runtime knows. */
export function isCurrencyCode(code: string): boolean {
  return currencyCodes.has(code.toUpperCase());
}

/**
 * ISO 4217 minor units where they are not 2. Written out rather than read from `Intl`: Intl follows
 * CLDR's display digits, which drop the decimals of HUF, IDR, COP, PKR, IQD and a dozen more that
 * providers (and ISO) still count in hundredths or thousandths. (ISO's 4-decimal fund codes CLF
 * and UYW are not payment currencies and not in Intl's list, so they are refused like any unknown.)
 */
const minorUnitDigits: Readonly<Record<string, number>> = {
  ...Object.fromEntries(
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" ").map((c) => [c, 0]),
  ),
  ...Object.fromEntries("BHD IQD JOD KWD LYD OMR TND".split(" ").map((c) => [c, 3])),
  CLF: 4,
  UYW: 4,
};

/** Digits after the decimal point in `currency`'s ISO 4217 minor unit (USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (!currencyCodes.has(code)) throw new RangeError(`unknown currency ${currency.slice(0, 10)}`);
  return minorUnitDigits[code] ?? 2;
}

/**
 * Converts an integer amount in minor units to major units exactly: the decimal point is moved in
 * the digits, never by dividing a float (1999 USD -> 19.99, 1999 JPY -> 1999, 1999 KWD -> 1.999).
 */
export function toMajorUnits(minor: number | bigint | string, exponent: number): number {
  const text = String(minor).trim();
  if (!/^-?\d+$/.test(text)) throw new RangeError(`minor-unit amount must be an integer, got ${text.slice(0, 40)}`);
  const negative = text.startsWith("-");
  const digits = (negative ? text.slice(1) : text).padStart(exponent + 1, "0");
  const major = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return Number(negative ? `-${major}` : major);
}

/**
 * Converts a decimal amount in major units ("19.99", 10.43) to integer minor units exactly, by
 * shifting digits. More decimals than the currency has are refused unless they are zeros
 * ("1999.00" JPY is 1999; "19.999" USD is an error, never silently rounded).
 */
export function toMinorUnits(major: string | number, exponent: number): bigint {
  // String(10.43) is "10.43": a number is read as the shortest decimal that round-trips to it.
  const text = String(major).trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`amount must be a non-negative decimal, got ${text.slice(0, 40)}`);
  const [, whole = "", fraction = ""] = match;
  if (/[1-9]/.test(fraction.slice(exponent))) {
    throw new RangeError(`amount ${text} has more than ${exponent} decimals`);
  }
  return BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, "0"));
}
