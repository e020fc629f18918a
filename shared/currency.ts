const currencyCodes = new Set(Intl.supportedValuesOf("currency"));

/** Whether `code` (any case) is an ISO 4217 currency code this runtime knows. */
export function isCurrencyCode(code: string): boolean {
  return currencyCodes.has(code.toUpperCase());
}

/** Digits after the decimal point in `currency`'s minor unit (USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits as number;
}

/**
 * Converts an integer amount in minor units to major units exactly: the decimal point is moved in
 * the digits, never by dividing a float (1999 USD -> 19.99, 1999 JPY -> 1999, 1999 KWD -> 1.999).
 */
export function toMajorUnits(minor: number | bigint | string, exponent: number): number {
  const text = String(minor).trim();
  if (!/^-?\d+$/.test(text)) throw new RangeError(`minor-unit amount must be an integer, got ${text}`);
  const negative = text.startsWith("-");
  const digits = (negative ? text.slice(1) : text).padStart(exponent + 1, "0");
  const major = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return Number(negative ? `-${major}` : major);
}
