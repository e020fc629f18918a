import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { amountFromMinorUnits } from "./amount.ts";
import { ignored, metadata, parseEvent, payment, text, visitorIdIn, type WebhookResult } from "./event.ts";
import { goal, goalOnly, type LifecycleGoalName } from "./goals.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";
import { verifyStandardWebhook } from "./standard-webhooks-signature.ts";

const customer = z.lazy(() => z.optional(z.nullable(z.object({ customer_id: text, email: text, name: text }))));

const envelope = z.lazy(() => z.object({ type: z.string(), timestamp: text, data: z.unknown() }));

/** An event as its envelope is read: what the mappers below take. */
export type DodoEvent = z.infer<typeof envelope>;

const dodoPayment = z.lazy(() =>
  z.object({
    payment_id: z.string(),
    total_amount: z.int(),
    currency: z.string(),
    // `subscription_id` is not read: the first charge carries it as well as each renewal.
    customer,
    metadata,
    created_at: text,
  }),
);

const dodoRefund = z.lazy(() =>
  z.object({
    refund_id: z.string(),
    amount: z.int(),
    currency: z.string(),
    customer,
    metadata,
    created_at: text,
  }),
);

const dodoSubscription = z.lazy(() => z.object({ subscription_id: text, product_id: text, metadata }));

/** Subscription events and their goals; the data is the subscription, no money moves. */
const subscriptionGoals: Record<string, LifecycleGoalName> = {
  "subscription.active": "subscription_started",
  // The renewal's money comes as payment.succeeded, which says nothing of renewing: the goal says it.
  "subscription.renewed": "subscription_renewed",
  // Either is the end: cancelled by the customer or the merchant, or expired after its last cycle.
  "subscription.cancelled": "subscription_ended",
  "subscription.expired": "subscription_ended",
};

/**
 * Dodo Payments: Standard Webhooks signed with the dashboard's `whsec_` secret. Amounts are
 * integer minor units; the visitor id is in the checkout `metadata`, copied onto the payment.
 */
export const dodo: WebhookProvider = {
  ...providerSettings.dodo,
  verify: verifyStandardWebhook(providerSettings.dodo.secretName, "whsec"),
  read: ({ body }) => readDodoEvent(parseJson(body)),
};

function readDodoEvent(json: unknown): WebhookResult {
  const event = parseEvent(envelope, json);
  switch (event.type) {
    case "payment.succeeded":
      return dodoPaymentPayment(event);
    case "refund.succeeded":
      return dodoRefundPayment(event);
    case "subscription.renewed":
      // The renewal's money arrives as its own payment.succeeded; recording this too would count it twice.
      return dodoSubscriptionGoal(event, "Renewal charges are recorded from their payment.succeeded event");
    case "payment.failed":
      return goalOnly(event.type, "A failed payment moves no money", () => {
        const data = parseEvent(dodoPayment, event.data, ["data"]);
        return goal("payment_failed", visitorIdIn(data.metadata), {
          amount: amountFromMinorUnits(data.total_amount, data.currency),
          currency: data.currency,
          transaction_id: data.payment_id,
        });
      });
    default:
      return Object.hasOwn(subscriptionGoals, event.type)
        ? dodoSubscriptionGoal(event, `Event ${event.type} is not a payment`)
        : ignored(event.type, `Event ${event.type} is not a payment`);
  }
}

/** A succeeded payment (`data` of payment.succeeded, or one item of `GET /payments`). */
export function dodoPaymentPayment(event: DodoEvent): WebhookResult {
  // Every charge, first or recurring, is a Payment with its own payment_id. Dodo's payment
  // carries no first-or-renewal marker, so `renewal` is left to DataFast's default.
  const data = parseEvent(dodoPayment, event.data, ["data"]);
  return payment(event.type, {
    amount: amountFromMinorUnits(data.total_amount, data.currency),
    currency: data.currency,
    transaction_id: data.payment_id,
    datafast_visitor_id: visitorIdIn(data.metadata),
    email: data.customer?.email,
    name: data.customer?.name,
    customer_id: data.customer?.customer_id,
    timestamp: data.created_at ?? event.timestamp,
  });
}

/** A succeeded refund (`data` of refund.succeeded, or one item of `GET /refunds`). */
export function dodoRefundPayment(event: DodoEvent): WebhookResult {
  const data = parseEvent(dodoRefund, event.data, ["data"]);
  return payment(event.type, {
    amount: amountFromMinorUnits(data.amount, data.currency),
    currency: data.currency,
    transaction_id: data.refund_id,
    refunded: true,
    datafast_visitor_id: visitorIdIn(data.metadata),
    email: data.customer?.email,
    customer_id: data.customer?.customer_id,
    timestamp: data.created_at ?? event.timestamp,
  });
}

/** A subscription's step (`data` is the subscription): its goal alone. */
function dodoSubscriptionGoal(event: DodoEvent, reason: string): WebhookResult {
  return goalOnly(event.type, reason, () => {
    const data = parseEvent(dodoSubscription, event.data, ["data"]);
    const name = subscriptionGoals[event.type];
    return (
      name && goal(name, visitorIdIn(data.metadata), { plan: data.product_id, subscription_id: data.subscription_id })
    );
  });
}
