import { toMajorUnits, toMinorUnits } from "../currency.ts";
import { HttpError } from "../http-error.ts";

/** An amount the provider sends in minor units (1999 USD -> 19.99), exactly. */
export function amountFromMinorUnits(minor: number | string, currency: string): number {
  return unmappable(() => toMajorUnits(minor, currency));
}

/** An amount the provider sends in major units ("19.99", 10.43), exactly and within the currency's decimals. */
export function amountFromDecimal(major: number | string, currency: string): number {
  return unmappable(() => toMajorUnits(toMinorUnits(major, currency), currency));
}

/** A malformed amount or unknown currency is the payload's fault: a 400 that says which. */
export function unmappable<T>(convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (error instanceof RangeError) throw new HttpError(400, `Cannot map the payment: ${error.message}`);
    throw error;
  }
}
