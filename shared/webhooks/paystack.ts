import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { isRecord } from "../is-record.ts";
import { tryParseJson } from "../try-parse-json.ts";
import { amountFromMinorUnits } from "./amount.ts";
import {
  id,
  ignored,
  metadata,
  parseEvent,
  payment,
  refundTransactionId,
  text,
  visitorIdIn,
  type WebhookResult,
} from "./event.ts";
import { verifyHmacSignature } from "./hmac-signature.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";

const envelope = z.lazy(() => z.object({ event: z.string(), data: z.unknown() }));

/** An event as its envelope is read: what the mappers below take. */
export type PaystackEvent = z.infer<typeof envelope>;

const customer = z.lazy(() =>
  z.optional(z.nullable(z.object({ email: text, first_name: text, last_name: text, customer_code: text }))),
);

const charge = z.lazy(() =>
  z.object({
    reference: z.string(),
    amount: z.int(),
    currency: z.string(),
    paid_at: text,
    paidAt: text,
    created_at: text,
    metadata,
    customer,
  }),
);

// Refund amounts have been seen both as numbers and as numeric strings.
const refund = z.lazy(() =>
  z.object({
    id: z.optional(z.nullable(id)),
    refund_reference: text,
    transaction_reference: text,
    transaction: z.optional(z.nullable(z.object({ reference: text }))),
    amount: z.union([z.int(), z.string()]),
    currency: z.string(),
    refunded_at: text,
    created_at: text,
    customer,
  }),
);

/**
 * Paystack: `x-paystack-signature`, an HMAC-SHA512 (hex) of the body keyed with the account's
 * SECRET KEY. Amounts are integer subunits; the visitor id is in the transaction `metadata`.
 */
export const paystack: WebhookProvider = {
  ...providerSettings.paystack,
  verify: verifyHmacSignature({ header: "x-paystack-signature", algorithm: "sha512", encoding: "hex" }),
  read: ({ body }) => readPaystackEvent(parseJson(body)),
};

function readPaystackEvent(json: unknown): WebhookResult {
  const event = parseEvent(envelope, json);
  switch (event.event) {
    case "charge.success":
      return paystackChargePayment(event);
    case "refund.processed":
      return paystackRefundPayment(event);
    default:
      return ignored(event.event, `Event ${event.event} is not a payment`);
  }
}

/** A successful charge (`data` of charge.success, or one item of `GET /transaction`). */
export function paystackChargePayment(event: PaystackEvent): WebhookResult {
  // Paystack's payload says nothing about first charge vs renewal, so `renewal` is left out.
  const data = parseEvent(charge, event.data, ["data"]);
  return payment(event.event, {
    amount: amountFromMinorUnits(data.amount, data.currency),
    currency: data.currency,
    transaction_id: data.reference,
    datafast_visitor_id: paystackVisitorId(data.metadata),
    email: data.customer?.email,
    name: fullName(data.customer),
    customer_id: data.customer?.customer_code,
    timestamp: data.paid_at ?? data.paidAt ?? data.created_at,
  });
}

/** A processed refund (`data` of refund.processed, or one item of `GET /refund`). */
export function paystackRefundPayment(event: PaystackEvent): WebhookResult {
  const data = parseEvent(refund, event.data, ["data"]);
  return payment(event.event, {
    amount: amountFromMinorUnits(data.amount, data.currency),
    currency: data.currency,
    transaction_id: paystackRefundId(data),
    refunded: true,
    email: data.customer?.email,
    name: fullName(data.customer),
    customer_id: data.customer?.customer_code,
    timestamp: data.refunded_at ?? data.created_at,
  });
}

/**
 * One id per refund, the same on every redelivery (Paystack resends the same body). Paystack's
 * documented `refund.processed` carries no refund id, only `refund_reference` (the processor's,
 * null on some processors) and the charge's `transaction_reference`. A charge can be refunded in
 * several parts, so the charge reference alone would give every part one id and DataFast would
 * drop all but the first: without a refund id or reference, the id is the charge reference with
 * the amount (and the refund's `created_at` when sent). Two parts of the same amount of one charge
 * that both lack a reference still share an id: the second is then answered as a duplicate.
 * Prefixed always: the refund id is a bare number and references are the merchant's choice, so
 * either could equal a charge's.
 */
function paystackRefundId(data: z.infer<typeof refund>): string {
  const own = data.id?.toString() ?? data.refund_reference;
  if (own) return refundTransactionId(own);
  const charge = data.transaction_reference ?? data.transaction?.reference;
  if (!charge) return "";
  return refundTransactionId([charge, String(data.amount).trim(), data.created_at].filter(Boolean).join("_"));
}

/**
 * `metadata` is an object, `""`/`0` when unset, or a JSON string when set through some SDKs; the
 * id may also be one of its `custom_fields` (`{variable_name, value}`), as Paystack's forms send.
 */
function paystackVisitorId(value: unknown): string | undefined {
  const decoded = typeof value === "string" ? tryParseJson(value) : value;
  if (!isRecord(decoded)) return undefined;
  const fields = Array.isArray(decoded.custom_fields) ? decoded.custom_fields : [];
  const field: unknown = fields.find((entry) => isRecord(entry) && entry.variable_name === "datafast_visitor_id");
  return visitorIdIn(decoded) ?? (isRecord(field) && typeof field.value === "string" ? field.value : undefined);
}

function fullName(buyer: z.infer<typeof customer>): string {
  return [buyer?.first_name, buyer?.last_name].filter(Boolean).join(" ");
}
