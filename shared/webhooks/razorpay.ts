import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { HttpError } from "../http-error.ts";
import {
  amountFromMinorUnits,
  ignored,
  isoTimestamp,
  metadata,
  parseEvent,
  payment,
  text,
  visitorIdIn,
  type WebhookResult,
} from "./event.ts";
import { verifyHmacSignature } from "./hmac-signature.ts";
import type { WebhookProvider } from "./providers.ts";

const entity = <Shape extends z.ZodMiniType>(shape: Shape) => z.optional(z.object({ entity: shape }));

// `notes` is an object, or `[]` when empty: read as unknown, looked into only when an object.
const razorpayPayment = z.object({
  id: z.string(),
  amount: z.int(),
  currency: z.string(),
  invoice_id: text,
  email: text,
  customer_id: text,
  notes: metadata,
  created_at: z.optional(z.number()),
});

const envelope = z.object({
  event: z.string(),
  payload: z.object({
    payment: entity(razorpayPayment),
    order: entity(z.object({ notes: metadata })),
    invoice: entity(z.object({ subscription_id: text })),
    subscription: entity(z.object({ paid_count: z.optional(z.number()), notes: metadata })),
    refund: entity(
      z.object({
        id: z.string(),
        amount: z.int(),
        currency: z.string(),
        notes: metadata,
        created_at: z.optional(z.number()),
      }),
    ),
  }),
});

type RazorpayEvent = z.infer<typeof envelope>;

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
  read: ({ body }) => readRazorpayEvent(parseEvent(envelope, parseJson(body))),
};

function readRazorpayEvent(event: RazorpayEvent): WebhookResult {
  const { payload } = event;
  switch (event.event) {
    case "payment.captured":
    case "order.paid":
      if (payload.payment?.entity.invoice_id) {
        return ignored(event.event, "Invoice payment: recorded from invoice.paid or subscription.charged");
      }
      return paymentOf(event, false);
    case "invoice.paid":
      if (payload.invoice?.entity.subscription_id) {
        return ignored(event.event, "Subscription invoice: recorded from subscription.charged");
      }
      return paymentOf(event, false);
    case "subscription.charged":
      return paymentOf(event, (payload.subscription?.entity.paid_count ?? 1) > 1);
    case "refund.processed": {
      const refund = payload.refund?.entity;
      if (!refund) return missing(event.event, "refund");
      const paid = payload.payment?.entity;
      return payment(event.event, {
        amount: amountFromMinorUnits(refund.amount, refund.currency),
        currency: refund.currency,
        transaction_id: refund.id,
        refunded: true,
        datafast_visitor_id: visitorIdIn(refund.notes, paid?.notes),
        email: paid?.email,
        customer_id: paid?.customer_id,
        timestamp: isoTimestamp(refund.created_at),
      });
    }
    default:
      return ignored(event.event, `Event ${event.event.slice(0, 60)} is not a payment`);
  }
}

function paymentOf(event: RazorpayEvent, renewal: boolean): WebhookResult {
  const { payload } = event;
  const paid = payload.payment?.entity;
  if (!paid) return missing(event.event, "payment");
  return payment(event.event, {
    amount: amountFromMinorUnits(paid.amount, paid.currency),
    currency: paid.currency,
    transaction_id: paid.id,
    renewal,
    datafast_visitor_id: visitorIdIn(paid.notes, payload.order?.entity.notes, payload.subscription?.entity.notes),
    email: paid.email,
    customer_id: paid.customer_id,
    timestamp: isoTimestamp(paid.created_at),
  });
}

function missing(event: string, entityName: string): never {
  throw new HttpError(400, `Unexpected webhook payload: ${event} without a ${entityName}`, {
    issues: [{ path: `payload.${entityName}.entity`, message: "Required" }],
  });
}
