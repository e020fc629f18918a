import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { isRecord } from "../is-record.ts";
import { amountFromMinorUnits } from "./amount.ts";
import { ignored, metadata, parseEvent, payment, text, visitorIdIn, type WebhookResult } from "./event.ts";
import { verifyHmacSignature } from "./hmac-signature.ts";
import type { WebhookProvider } from "./providers.ts";

const envelope = z.object({ event: z.string(), payload: z.record(z.string(), z.unknown()) });

type Payload = Record<string, unknown>;

// `notes` is an object, or `[]` when empty: read as unknown, looked into only when an object.
const razorpayPayment = z.object({
  id: z.string(),
  amount: z.int(),
  currency: z.string(),
  email: text,
  customer_id: text,
  notes: metadata,
  created_at: z.optional(z.number()),
});

const razorpayRefund = z.object({
  id: z.string(),
  amount: z.int(),
  currency: z.string(),
  notes: metadata,
  created_at: z.optional(z.number()),
});

const invoiceLink = z.object({ invoice_id: text });
const invoice = z.object({ subscription_id: text });
const subscription = z.object({ paid_count: z.optional(z.number()), notes: metadata });
const notesOnly = z.object({ notes: metadata });

/**
 * Razorpay: `X-Razorpay-Signature`, an HMAC-SHA256 (hex) of the body keyed with the webhook
 * secret. Amounts are integer minor units (paise); the visitor id is in the checkout `notes`.
 *
 * One payment can fire payment.captured, order.paid, invoice.paid and subscription.charged; all
 * map to the payment id, so DataFast records it once. Subscription charges are recorded only from
 * subscription.charged, the one event that says whether they are renewals.
 */
export const razorpay: WebhookProvider = {
  secretName: "RAZORPAY_WEBHOOK_SECRET",
  verify: verifyHmacSignature({ header: "x-razorpay-signature", algorithm: "sha256", encoding: "hex" }),
  read: ({ body }) => {
    const event = parseEvent(envelope, parseJson(body));
    return readRazorpayEvent(event.event, event.payload);
  },
};

function readRazorpayEvent(event: string, payload: Payload): WebhookResult {
  switch (event) {
    case "payment.captured":
    case "order.paid":
      if (entity(payload, "payment", invoiceLink).invoice_id) {
        return ignored(event, "Invoice payment: recorded from invoice.paid or subscription.charged");
      }
      return razorpayPaymentResult(event, payload, false);
    case "invoice.paid":
      if (entity(payload, "invoice", invoice).subscription_id) {
        return ignored(event, "Subscription invoice: recorded from subscription.charged");
      }
      return razorpayPaymentResult(event, payload, false);
    case "subscription.charged":
      return razorpayPaymentResult(event, payload, (entity(payload, "subscription", subscription).paid_count ?? 1) > 1);
    case "refund.processed":
      return razorpayRefundResult(event, payload);
    default:
      return ignored(event, `Event ${event.slice(0, 60)} is not a payment`);
  }
}

/** A captured payment (`payload.payment.entity`, with its order or subscription beside it when sent). */
export function razorpayPaymentResult(event: string, payload: Payload, renewal: boolean): WebhookResult {
  const paid = entity(payload, "payment", razorpayPayment);
  return payment(event, {
    amount: amountFromMinorUnits(paid.amount, paid.currency),
    currency: paid.currency,
    transaction_id: paid.id,
    renewal,
    datafast_visitor_id: visitorIdIn(
      paid.notes,
      optionalEntity(payload, "order", notesOnly)?.notes,
      optionalEntity(payload, "subscription", notesOnly)?.notes,
    ),
    email: paid.email,
    customer_id: paid.customer_id,
    timestamp: paid.created_at,
  });
}

/** A processed refund (`payload.refund.entity`), with the payment it refunds when sent. */
export function razorpayRefundResult(event: string, payload: Payload): WebhookResult {
  const refund = entity(payload, "refund", razorpayRefund);
  const paid = optionalEntity(payload, "payment", razorpayPayment);
  return payment(event, {
    amount: amountFromMinorUnits(refund.amount, refund.currency),
    currency: refund.currency,
    transaction_id: refund.id,
    refunded: true,
    datafast_visitor_id: visitorIdIn(refund.notes, paid?.notes),
    email: paid?.email,
    customer_id: paid?.customer_id,
    timestamp: refund.created_at,
  });
}

/** `payload.<name>.entity`, read with `schema`; a 400 naming the path when it is missing. */
function entity<Schema extends z.ZodMiniType>(payload: Payload, name: string, schema: Schema): z.infer<Schema> {
  const wrapper = payload[name];
  return parseEvent(schema, isRecord(wrapper) ? wrapper.entity : undefined, ["payload", name, "entity"]);
}

function optionalEntity<Schema extends z.ZodMiniType>(payload: Payload, name: string, schema: Schema) {
  return payload[name] === undefined ? undefined : entity(payload, name, schema);
}
