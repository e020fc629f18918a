import * as z from "zod/mini";
import { HttpError } from "../http-error.ts";
import { isRecord } from "../is-record.ts";
import { issueMessage } from "../issue-messages.ts";
import { excerpt } from "../log.ts";
import type { GoalDraft } from "./goals.ts";

type Absent = null | undefined;

/** The DataFast fields a provider's event maps to; absent and blank ones are dropped. */
export interface PaymentDraft {
  amount: number;
  currency: string;
  transaction_id: string;
  datafast_visitor_id?: string | Absent;
  email?: string | Absent;
  name?: string | Absent;
  customer_id?: string | Absent;
  renewal?: boolean | Absent;
  refunded?: boolean | Absent;
  is_free_trial?: boolean | Absent;
  /** As the provider sends it: a date string, or unix seconds or milliseconds (see `isoTimestamp`). */
  timestamp?: string | number | Absent;
}

/**
 * What a verified event means for DataFast: a payment to record, or none (and why); either may
 * come with lifecycle goals (`withGoals`), sent after the payment.
 */
export type WebhookResult = (
  | { kind: "payment"; event: string; payment: unknown }
  /** One delivery that stands for several (Mollie's payment with its refunds, FastSpring's batch). */
  | { kind: "payments"; event: string; payments: unknown[] }
  | { kind: "ignored"; event: string; reason: string }
) & { goals?: GoalDraft[] };

export function payment(event: string, draft: PaymentDraft): WebhookResult {
  return { kind: "payment", event, payment: paymentFields(draft) };
}

/** Several payments from one delivery; none is an `ignored` with `reason`. */
export function payments(event: string, drafts: PaymentDraft[], reason: string): WebhookResult {
  if (drafts.length === 0) return ignored(event, reason);
  return { kind: "payments", event, payments: drafts.map(paymentFields) };
}

function paymentFields(draft: PaymentDraft): Record<string, unknown> {
  const fields = Object.entries({ ...draft, timestamp: isoTimestamp(draft.timestamp) }).filter(
    ([, value]) => value != null && !(typeof value === "string" && value.trim() === ""),
  );
  return Object.fromEntries(fields);
}

/**
 * An event that is not money. Its name and reason quote the payload, so they are masked of emails,
 * then bounded, here for every provider: a cut made first could split an address.
 */
export function ignored(event: string, reason: string): WebhookResult {
  return { kind: "ignored", event: excerpt(event, 100), reason: excerpt(reason, 300) };
}

/** `value` read with `schema`; unknown fields pass, a payload missing what the mapping needs is a 400. */
export function parseEvent<Schema extends z.ZodMiniType>(
  schema: Schema,
  value: unknown,
  at: PropertyKey[] = [],
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(400, "Unexpected webhook payload: cannot map it to a payment", {
    issues: result.error.issues.map((issue) => ({
      path: [...at, ...issue.path].map(String).join("."),
      message: issueMessage(issue, value, { at }),
    })),
  });
}

/** The `datafast_visitor_id` of the first metadata object (of several places to look) that has one. */
export function visitorIdIn(...metadata: unknown[]): string | undefined {
  for (const source of metadata) {
    const value = isRecord(source) ? source.datafast_visitor_id : undefined;
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return undefined;
}

/**
 * The one form DataFast gets (ISO 8601, UTC) from however a provider writes a time: a date string
 * (microseconds, `-05:00` offsets) or a unix time in seconds or milliseconds, told apart by size
 * (1e11 s is the year 5138, 1e11 ms is 1973). A time that does not parse or is out of Date's range
 * is dropped (DataFast then stamps the arrival) rather than refusing the money or failing with a
 * 500 the provider would retry forever.
 */
function isoTimestamp(value: string | number | null | undefined): string | undefined {
  if (value == null || value === "") return undefined;
  const time = typeof value === "number" ? (value < 1e11 ? value * 1000 : value) : Date.parse(value);
  // NaN, ±Infinity and beyond ±8.64e15 ms make an Invalid Date, whose toISOString throws.
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The `transaction_id` of a refund whose provider id could equal a payment id (bare numbers,
 * merchant-chosen references, or none at all): DataFast deduplicates by `transaction_id`, so a
 * collision would drop one of the two. Ids the provider already prefixes (`adj_`, `rfnd_`) pass
 * as sent.
 */
export function refundTransactionId(id: string): string {
  return `refund_${id}`;
}

/**
 * Schemas for the shapes several providers share, built at load: every delivery needs some. Each
 * provider's own schemas are wrapped in `z.lazy`, so that a cold start of the function serving all
 * fifteen builds none of them until that provider's first delivery.
 */
export const id = z.union([z.string(), z.int()]);
export const text = z.optional(z.nullable(z.string()));
export const when = z.optional(z.nullable(z.union([z.string(), z.number()])));
export const metadata = z.optional(z.unknown());
