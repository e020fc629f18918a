import { isRecord } from "./is-record.ts";

/** One structured log line: what happened to one request, never a secret or an email. */
export type LogLine = Record<string, string | number | boolean | undefined>;

export type Logger = (line: LogLine) => void;

/** The most of one string a log line keeps: a field is never a dump of what a client or DataFast sent. */
const MAX_LOG_FIELD_CHARS = 1000;

/**
 * An at-sign in any form that text leaving the function carries: plain, full-width, percent-encoded
 * (a URL), an HTML character reference, a JavaScript escape (a raw JSON body quoted back). Each
 * alternative spans a few characters at most, so finding every one is a single pass.
 */
const AT_SIGN = /@|＠|﹫|%40|&commat;|\\u0040|\\x40|&#(?:0{0,8}64|[xX]0{0,8}40);?/g;
/** A character some form of AT_SIGN starts with. */
const AT_SIGN_START = /[@＠﹫%&\\]/;
/** What a local part (before the at-sign) is made of: anything but space and delimiters. */
const LOCAL_PART_CHAR = /[^\s@＠﹫"\\<>(),;:[\]{}=/?&|]/;
/** What a domain is made of: letters and digits of any script, dots, hyphens. No at-sign starts with one. */
const DOMAIN_CHAR = /[\p{L}\p{M}\p{N}._-]/u;

/**
 * Masks anything shaped like an email address as `[email]`: some local part, an at-sign in any of
 * its forms, some domain. Deliberately loose (`user@localhost`, the cut end `jane.doe@exampl` of a
 * truncated message): masking too much is harmless, too little leaks a customer.
 *
 * Linear in the length of the text: every character is looked at a bounded number of times, by
 * the one pass for at-signs, by at most one scan back over a local part (none reaches past an
 * earlier at-sign) and by at most one scan forward over a domain (none reaches past the next one).
 */
export function redactEmails(text: string): string {
  // Most strings (every field of a usual log line) hold no at-sign in any form: nothing to scan.
  if (!mayHoldEmail(text)) return text;
  let masked = "";
  let copied = 0; // text before this index is in `masked` already
  let floor = 0; // the end of the previous at-sign or address: no local part reaches back past it
  let maskEnd = -1;
  for (const match of text.matchAll(AT_SIGN)) {
    const at = match.index;
    const afterAt = at + match[0].length;
    const start = localPartStart(text, at, floor);
    const end = domainEnd(text, afterAt);
    floor = end;
    if (end === afterAt) continue; // no domain: not an address
    if (start < at) masked += `${text.slice(copied, start)}[email]`;
    // Nothing before the at-sign: a handle (@jane), unless it goes on the address just masked (a@b@c).
    else if (at !== maskEnd) continue;
    copied = end;
    maskEnd = end;
  }
  return masked + text.slice(copied);
}

/**
 * Whether `text` has a character some form of at-sign starts with. When JSON text has none, no
 * string in it has one either (JSON writes each such character as itself, or `\` as `\\`).
 */
export function mayHoldEmail(text: string): boolean {
  return AT_SIGN_START.test(text);
}

function localPartStart(text: string, at: number, floor: number): number {
  let start = at;
  while (start > floor && LOCAL_PART_CHAR.test(text.charAt(start - 1))) start -= 1;
  // A quote may sit inside a local part (o'brien@…) but not open one ('jane@…').
  while (start < at && (text[start] === "'" || text[start] === "`")) start += 1;
  return start;
}

function domainEnd(text: string, afterAt: number): number {
  let end = afterAt;
  while (end < text.length && DOMAIN_CHAR.test(text.charAt(end))) end += 1;
  // A sentence's full stop after an address is not part of it.
  while (end > afterAt && /[._-]/.test(text.charAt(end - 1))) end -= 1;
  return end;
}

/** `text` with emails masked, then cut to `maxChars`: masking first, as a cut can split an address. */
export function excerpt(text: string, maxChars: number): string {
  const masked = redactEmails(text);
  return masked.length <= maxChars ? masked : `${masked.slice(0, maxChars)}…`;
}

/**
 * The same value with every string in it (values and keys, at any depth) masked. Masking before
 * serialising keeps JSON valid; masking serialised text could eat an escaped quote.
 */
export function redactEmailsIn(value: unknown): unknown {
  if (typeof value === "string") return redactEmails(value);
  if (Array.isArray(value)) return value.map(redactEmailsIn);
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactEmails(key), redactEmailsIn(item)]));
  }
  return value;
}

/** A log line fit to write: every string field masked, then bounded in length. */
export function redactLogLine(line: LogLine): LogLine {
  const fit: LogLine = {};
  for (const name of Object.keys(line)) {
    const value = line[name];
    fit[name] = typeof value === "string" ? excerpt(value, MAX_LOG_FIELD_CHARS) : value;
  }
  return fit;
}

/** Lambda, Vercel and Netlify all ship stdout/stderr lines to their log services as they are. */
export const consoleLogger: Logger = (line) => {
  if (line.level === "error") console.error(JSON.stringify(line));
  else console.log(JSON.stringify(line));
};
