/** One structured log line: what happened to one request, never a secret or an email. */
export type LogLine = Record<string, string | number | boolean | undefined>;

export type Logger = (line: LogLine) => void;

// No quotes, backslashes or brackets inside: a match never swallows JSON or text around it.
const EMAIL = /[^\s@"'\\<>(),;:[\]{}]+@[^\s@"'\\<>(),;:[\]{}]+\.[^\s@"'\\<>(),;:[\]{}]+/g;

/** Masks anything shaped like an email address in text that leaves the function. */
function redactEmails(text: string): string {
  return text.replace(EMAIL, "[email]");
}

/**
 * The same value with every string in it (values and keys, at any depth) masked. Masking before
 * serialising keeps JSON valid; masking serialised text could eat an escaped quote.
 */
export function redactEmailsIn(value: unknown): unknown {
  if (typeof value === "string") return redactEmails(value);
  if (Array.isArray(value)) return value.map(redactEmailsIn);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactEmails(key), redactEmailsIn(item)]));
  }
  return value;
}

/** Lambda, Vercel and Netlify all ship stdout/stderr lines to their log services as they are. */
export const consoleLogger: Logger = (line) => {
  if (line.level === "error") console.error(JSON.stringify(line));
  else console.log(JSON.stringify(line));
};
