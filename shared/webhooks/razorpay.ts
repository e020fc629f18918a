import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { isRecord } from "../is-record.ts";
import { amountFromMinorUnits } from "./amount.ts";
import { ignored, metadata, parseEvent, payment, text, visitorIdIn, type WebhookResult } from "./event.ts";
import { goal, goalOnly, type LifecycleGoalName } from "./goals.ts";
import { verifyHmacSignature } from "./hmac-signature.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";

const envelope = z.lazy(() => z.object({ event: z.string(), payload: z.record(z.string(), z.unknown()) }));

type Payload = Record<string, unknown>;

// `notes` is an object, or `[]` when empty: read as unknown, looked into only when an object.
const razorpayPayment = z.lazy(() =>
  z.object({
    id: z.string(),
    amount: z.int(),
    currency: z.string(),
    email: text,
    customer_id: text,
    notes: metadata,
    created_at: z.optional(z.number()),
  }),
);

const razorpayRefund = z.lazy(() =>
  z.object({
    id: z.string(),
    amount: z.int(),
    currency: z.string(),
    notes: metadata,
    created_at: z.optional(z.number()),
  }),
);

const invoiceLink = z.lazy(() => z.object({ invoice_id: text }));
const invoice = z.lazy(() => z.object({ subscription_id: text }));
const subscription = z.lazy(() => z.object({ paid_count: z.optional(z.number()), notes: metadata }));
const notesOnly = z.lazy(() => z.object({ notes: metadata }));
const subscriptionState = z.lazy(() => z.object({ id: text, plan_id: text, notes: metadata }));
const dispute = z.lazy(() => z.object({ id: text, amount: z.optional(z.int()), currency: text, reason_code: text }));

/**
 * Razorpay: `X-Razorpay-Signature`, an HMAC-SHA256 (hex) of the body keyed with the webhook
 * secret. Amounts are integer minor units (paise); the visitor id is in the checkout `notes`.
 *
 * One payment can fire payment.captured, order.paid, invoice.paid and subscription.charged; all
 * map to the payment id, so DataFast records it once. Subscription charges are recorded only from
 * subscription.charged, the one event that says whether they are renewals.
 */
export const razorpay: WebhookProvider = {
  ...providerSettings.razorpay,
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
    case "subscription.activated":
      return subscriptionGoal(event, payload, "subscription_started");
    // Cancelled (now or at the cycle's end, when it fires) and completed (every cycle billed) both end it.
    case "subscription.cancelled":
    case "subscription.completed":
      return subscriptionGoal(event, payload, "subscription_ended");
    case "payment.failed":
      return failedPaymentGoal(event, payload);
    case "payment.dispute.created":
      return disputeGoal(event, payload);
    default:
      return ignored(event, `Event ${event} is not a payment`);
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

/** A subscription's step (`payload.subscription.entity`): its goal alone, no money. */
function subscriptionGoal(event: string, payload: Payload, name: LifecycleGoalName): WebhookResult {
  return goalOnly(event, `Event ${event} is not a payment`, () => {
    const state = entity(payload, "subscription", subscriptionState);
    return goal(name, visitorIdIn(state.notes), { plan: state.plan_id, subscription_id: state.id });
  });
}

/** A payment that failed: no money, a goal. (A subscription's failed charge fires this too.) */
function failedPaymentGoal(event: string, payload: Payload): WebhookResult {
  return goalOnly(event, "A failed payment moves no money", () => {
    const failed = entity(payload, "payment", razorpayPayment);
    return goal("payment_failed", visitorIdIn(failed.notes), {
      amount: amountFromMinorUnits(failed.amount, failed.currency),
      currency: failed.currency,
      transaction_id: failed.id,
    });
  });
}

/** A dispute (chargeback) opened on a payment: the money is recorded when a refund happens, if it does. */
function disputeGoal(event: string, payload: Payload): WebhookResult {
  return goalOnly(event, "A dispute moves no money until it is settled", () => {
    const disputed = entity(payload, "payment", razorpayPayment);
    const opened = optionalEntity(payload, "dispute", dispute);
    const currency = opened?.currency ?? disputed.currency;
    return goal("dispute_opened", visitorIdIn(disputed.notes), {
      amount: amountFromMinorUnits(opened?.amount ?? disputed.amount, currency),
      currency,
      transaction_id: disputed.id,
      reason: opened?.reason_code,
    });
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
