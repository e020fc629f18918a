/**
 * A function that masks `secret` in text quoting it back, in every form it can take there: as is,
 * and with any of its characters (some, all, in any mix) escaped the way JSON (`\/`, `\u002f`),
 * URLs (`%2F`) or HTML (`&#47;`, `&#x2f;`) write them. A reply that escapes `/` as `\/` (PHP's
 * default) or a character as `\uXXXX` would otherwise carry the whole secret past a plain search,
 * and decoding it (JSON.parse) would then put it back together. `secret` must not be empty.
 */
export function secretMasker(secret: string, label: string): (text: string) => string {
  const cacheKey = `${label}\n${secret}`;
  let masker = maskers.get(cacheKey);
  if (!masker) {
    let pattern: RegExp | undefined;
    masker = (text) => {
      // Every escaped form starts with `\`, `&` or `%`: in a text without them (DataFast's usual
      // reply) the secret can only be written as is, and the pattern is neither compiled nor run.
      if (!ESCAPE_STARTS.test(text)) return text.replaceAll(secret, label);
      pattern ??= new RegExp([...secret].map(anyForm).join(""), "g");
      return text.replace(pattern, label);
    };
    // A few secrets at a time (a key, and its successor after a rotation): bounded all the same.
    if (maskers.size >= MAX_CACHED_MASKERS) maskers.clear();
    maskers.set(cacheKey, masker);
  }
  return masker;
}

// Building the pattern costs more than the rest of a request (issue 16), and a container sends
// every request with the same key: each masker is built once. The secrets are in memory anyway.
const maskers = new Map<string, (text: string) => string>();
const MAX_CACHED_MASKERS = 16;
const ESCAPE_STARTS = /[\\&%]/;

/** A pattern matching one character written as itself or as any escape of it. */
function anyForm(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const forms = [escapeRegExp(char), `\\\\u${hexDigits(code, 4)}`, `&#0*${code};`, `&#[xX]0*${hexDigits(code, 1)};`];
  // Beyond ASCII a URL writes a character's UTF-8 bytes; the secrets masked here are ASCII.
  if (code < 0x80) forms.push(`%${hexDigits(code, 2)}`);
  // The characters JSON escapes with a backslash alone (`/` optionally).
  if (char === "/" || char === '"' || char === "\\") forms.push(`\\\\${escapeRegExp(char)}`);
  return `(?:${forms.join("|")})`;
}

/** `code` in hex, at least `width` digits, each letter matching either case. */
function hexDigits(code: number, width: number): string {
  return [...code.toString(16).padStart(width, "0")]
    .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
    .join("");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
