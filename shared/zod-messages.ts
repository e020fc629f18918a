import * as z from "zod/mini";

// zod/mini ships no messages. These are zod's English ones for every issue this project's schemas
// raise, without the full `en` locale's dictionaries (2.7 kB: the margin to the 30 kB bundle goal).
// Imported once for its effect, by payment.ts, which every route loads.
z.config({ localeError: englishMessage });

function englishMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `Invalid input: expected ${issue.expected}, received ${typeName(issue.input)}`;
    case "too_big":
    case "too_small": {
      const big = issue.code === "too_big";
      const bound = `${big ? "<" : ">"}${issue.inclusive ? "=" : ""}${big ? issue.maximum : issue.minimum}`;
      const expected =
        issue.origin === "string" ? `string to have ${bound} characters` : `${issue.origin} to be ${bound}`;
      return `Too ${big ? "big" : "small"}: expected ${expected}`;
    }
    case "invalid_format":
      return `Invalid ${issue.format === "datetime" ? "ISO datetime" : issue.format}`;
    default:
      return "Invalid input";
  }
}

function typeName(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  return typeof input === "number" && Number.isNaN(input) ? "NaN" : typeof input;
}
