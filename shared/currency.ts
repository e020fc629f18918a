/**
 * ISO 4217 codes a payment can be in: Node 20's ICU list (CLDR 48), withdrawn codes it still has
 * (HRK, CUC, SLL, ZWL) included. Written out rather than read from `Intl.supportedValuesOf`, which
 * differs by runtime (Deno's ICU lacks SLE, XCG and ZWG; Bun's lists retired and precious-metal
 * codes such as DEM and XAU) and costs ~4 ms of a cold start to read.
 */
const currencyCodes = new Set(
  `AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN
   BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
   GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF
   KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR
   MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG
   SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD
   UYU UZS VES VND VUV WST XAF XCD XCG XDR XOF XPF XSU YER ZAR ZMW ZWG ZWL`.split(/\s+/),
);

/** Whether `code` (any case) is one of the ISO 4217 codes above. */
export function isCurrencyCode(code: string): boolean {
  return knownCode(code) !== undefined;
}

/**
 * `code` in upper case if it is one of the codes above. ASCII letters only: `toUpperCase` would
 * also turn "uſd" (long s) into USD and "ısk" (dotless i) into ISK.
 */
function knownCode(code: string): string | undefined {
  if (!/^[A-Za-z]{3}$/.test(code)) return undefined;
  const upper = code.toUpperCase();
  return currencyCodes.has(upper) ? upper : undefined;
}

/**
 * ISO 4217 minor units where they are not 2. Written out rather than read from `Intl`: Intl follows
 * CLDR's display digits, which drop the decimals of HUF, IDR, COP, PKR, IQD and a dozen more that
 * providers (and ISO) still count in hundredths or thousandths. (ISO's 4-decimal fund codes CLF
 * and UYW are not payment currencies and not in the list above, so they are refused like any unknown.)
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
  const code = knownCode(currency);
  if (code === undefined) throw new RangeError(`unknown currency ${currency.slice(0, 10)}`);
  return minorUnitDigits[code] ?? 2;
}

/**
 * The largest amount in minor units that every path carries exactly: a decimal of up to 15
 * significant digits survives a JSON number (a double) and prints back as written (IEEE 754's
 * DBL_DIG). Past that, amounts round: even below Number.MAX_SAFE_INTEGER, 9007199254740991 cents
 * are 90071992547409.91, which a double holds as 90071992547409.9. 10^15 - 1 cents is ten trillion
 * dollars: no real payment is refused by it.
 */
const MAX_EXACT_MINOR_UNITS = 10n ** 15n - 1n;

/**
 * Converts an integer amount in minor units of `currency` to major units exactly: the decimal
 * point is moved in the digits, never by dividing a float (1999 USD -> 19.99, 1999 JPY -> 1999,
 * 1999 KWD -> 1.999). An amount a JSON number cannot carry exactly is refused, never rounded.
 */
export function toMajorUnits(minor: number | bigint | string, currency: string): number {
  const exponent = currencyExponent(currency);
  const text = String(minor).trim();
  if (!/^-?\d+$/.test(text)) throw new RangeError(`minor-unit amount must be an integer, got ${text.slice(0, 40)}`);
  const negative = text.startsWith("-");
  const digits = (negative ? text.slice(1) : text).padStart(exponent + 1, "0");
  requireExact(BigInt(digits), text.slice(0, 40), currency);
  const major = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return Number(negative ? `-${major}` : major);
}

/**
 * Converts a decimal amount in major units of `currency` ("19.99", 10.43) to integer minor units
 * exactly, by shifting digits. More decimals than the currency has are refused unless they are
 * zeros ("1999.00" JPY is 1999; "19.999" USD is an error, never silently rounded), and so is an
 * amount beyond what a JSON number carries exactly.
 */
export function toMinorUnits(major: string | number, currency: string): bigint {
  const exponent = currencyExponent(currency);
  // String(10.43) is "10.43": a number is read as the shortest decimal that round-trips to it, so
  // 0.1 + 0.2 reads as 0.30000000000000004 and is refused rather than taken for 0.30.
  const written = String(major).trim().slice(0, 40);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(typeof major === "number" ? positional(major) : major.trim());
  if (!match) throw new RangeError(`amount must be a non-negative decimal, got ${written}`);
  const [, whole = "", fraction = ""] = match;
  const decimals = significantDecimals(fraction);
  if (decimals > exponent) {
    throw new InexactAmountError(
      `${currency.toUpperCase()} has ${exponent} decimal places; ${written} has ${decimals}`,
      {
        currency: currency.toUpperCase(),
        exponent,
        decimals,
      },
    );
  }
  const minor = BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, "0"));
  requireExact(minor, written, currency);
  return minor;
}

/** Digits up to the last non-zero one, counted in one pass (`/0+$/` backtracks quadratically on "000…01"). */
function significantDecimals(fraction: string): number {
  let end = fraction.length;
  while (end > 0 && fraction[end - 1] === "0") end--;
  return end;
}

function requireExact(minor: bigint, written: string, currency: string): void {
  if (minor > MAX_EXACT_MINOR_UNITS) {
    throw new InexactAmountError(
      `amount ${written} is beyond ${MAX_EXACT_MINOR_UNITS} minor units of ${currency.toUpperCase()}, the most a JSON number carries exactly (15 digits)`,
      { currency: currency.toUpperCase(), maxMinorUnits: MAX_EXACT_MINOR_UNITS },
    );
  }
}

/** Why an amount is not exact in its currency, in parts that do not repeat the amount (safe for a log line). */
export type Inexactness =
  | { currency: string; exponent: number; decimals: number }
  | { currency: string; maxMinorUnits: bigint };

/** An amount its currency cannot carry exactly; `inexactness` tells why without the amount itself. */
export class InexactAmountError extends RangeError {
  constructor(
    message: string,
    readonly inexactness: Inexactness,
  ) {
    super(message);
  }
}

/** A number's shortest round-trip decimal without exponent notation: 1e-7 -> "0.0000001", 1e21 -> "1000000000000000000000". */
function positional(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = "", first = "", rest = "", power = "0"] = match;
  const digits = first + rest;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  // String() writes a large number with an exponent only from 1e21 on: past all of its digits.
  return sign + digits.padEnd(point, "0");
}
