import type * as z from "zod/mini";
import type { Inexactness } from "./currency.ts";
import { isRecord } from "./is-record.ts";
import type { Issue } from "./json-response.ts";

/**
 * Validation messages a person can act on: each names the field and the fix ("currency is
 * required: an ISO 4217 code such as USD") instead of zod's generic wording. They describe the
 * kind of a wrong value (a string, an array), never the value itself, so they are safe to log.
 */

/** What belongs in a payment field, written as the fix. */
const FIELD_FIXES: Readonly<Record<string, string>> = {
  amount: "a number like 29.99",
  currency: "an ISO 4217 code such as USD",
  transaction_id: "your payment's unique id, such as pay_123",
  timestamp: "an ISO 8601 time with a time zone, e.g. 2026-01-31T12:00:00Z",
  renewal: "true or false",
  refunded: "true or false",
  is_free_trial: "true or false",
};

const EXAMPLE_BODY = '{"amount":29.99,"currency":"USD","transaction_id":"pay_123"}';

export interface MessageOptions {
  /** Where the validated value sits in the body (a webhook's `data`), for the field's name. */
  at?: PropertyKey[];
  /** The fields the schema knows, to suggest one for an unknown field. */
  knownFields?: readonly string[];
}

/** The human message of one zod issue about `input` (the value that was validated). */
export function issueMessage(issue: z.core.$ZodIssue, input: unknown, options: MessageOptions = {}): string {
  const field = fieldName([...(options.at ?? []), ...issue.path]);
  const value = valueAt(input, issue.path);
  const fix = FIELD_FIXES[field];
  switch (issue.code) {
    case "invalid_type":
      if (issue.path.length === 0 && !options.at?.length) {
        return `The body must be a JSON object such as ${EXAMPLE_BODY}, not ${kindOf(value)}`;
      }
      if (value === undefined) return `${field} is required${fix ? `: ${fix}` : ""}`;
      return `${field} must be ${fix ?? withArticle(issue.expected)}, not ${kindOf(value)}`;
    case "too_small":
      if (issue.origin === "number") {
        const refund = field === "amount" ? " (send a refund as a positive amount with refunded: true)" : "";
        return `${field} must be ${issue.minimum} or more${refund}`;
      }
      return `${field} must not be empty`;
    case "too_big":
      return issue.origin === "string"
        ? `${field} must be at most ${issue.maximum} characters`
        : `${field} must be at most ${issue.maximum}`;
    case "invalid_format":
      if (issue.format === "datetime") {
        return typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?$/.test(value)
          ? `${field} needs a time zone, e.g. 2026-01-31T12:00:00Z`
          : `${field} must be an ISO 8601 time with a time zone, e.g. 2026-01-31T12:00:00Z`;
      }
      return `${field} is not a valid ${issue.format}`;
    case "custom":
      if (issue.params?.inexactness) return inexactAmountMessage(field, issue.params.inexactness);
      if (typeof value === "string" && value.trim() === "") return `${field} must not be blank`;
      if (field === "currency") return `currency must be ${fix}, EUR or JPY`;
      return `${field}: ${issue.message}`;
    case "invalid_union":
      return `${field} must be ${fix ?? "a string or a number"}, not ${kindOf(value)}`;
    default:
      // zod/mini's own message is a bare "Invalid input": the field at least says where.
      return `${field} is not valid`;
  }
}

/** "amount has 3 decimal places, but USD has 2 decimal places: send e.g. 29.99", never the amount itself. */
function inexactAmountMessage(field: string, inexactness: Inexactness): string {
  const { currency } = inexactness;
  if ("maxMinorUnits" in inexactness) {
    return `${field} is too large: at most ${inexactness.maxMinorUnits} minor units of ${currency}, the most a JSON number carries exactly (15 digits)`;
  }
  const { exponent, decimals } = inexactness;
  const example = (2999 / 10 ** exponent).toFixed(exponent);
  return `${field} has ${plural(decimals, "decimal place")}, but ${currency} has ${plural(exponent, "decimal place")}: send e.g. ${example}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * The issues one zod issue about a body becomes: one per unknown key, so each typo is named where
 * it stands (`knownFields` suggest the field meant), else one with its message.
 */
export function bodyIssues(issue: z.core.$ZodIssue, input: unknown, knownFields: readonly string[]): Issue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: joinPath([...issue.path, key]),
      message: unknownFieldMessage(key, knownFields),
    }));
  }
  return [{ path: joinPath(issue.path), message: issueMessage(issue, input) }];
}

function joinPath(path: PropertyKey[]): string {
  return path.map(String).join(".");
}

/** "unknown field transactionId: did you mean transaction_id?" */
function unknownFieldMessage(key: string, knownFields: readonly string[]): string {
  const name = key.slice(0, 60);
  const guess = closestField(key, knownFields);
  return `unknown field ${name}${guess ? `: did you mean ${guess}?` : " (remove it)"}`;
}

/**
 * The known field a key most likely meant: the same letters once case and separators are ignored
 * (transactionId, TransactionID, datafast-visitor-id), the usual slip between JSON styles.
 */
function closestField(key: string, knownFields: readonly string[]): string | undefined {
  const plain = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");
  return knownFields.find((known) => plain(known) === plain(key));
}

function fieldName(path: PropertyKey[]): string {
  return path.map(String).join(".") || "body";
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (isRecord(value) || Array.isArray(value)) value = (value as Record<PropertyKey, unknown>)[key];
    else return undefined;
  }
  return value;
}

/** The kind of a value, for "not a string": never the value itself. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return withArticle(typeof value);
}

/** "an object", "a string". */
function withArticle(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}
