import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { amountFromDecimal } from "./amount.ts";
import { ignored, parseEvent, payment, refundTransactionId, text, type WebhookResult } from "./event.ts";
import { goal, goalOnly, type LifecycleGoalName } from "./goals.ts";
import { verifyPayPalSignature } from "./paypal-signature.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";

const envelope = z.lazy(() =>
  z.object({ id: z.string(), event_type: z.string(), create_time: text, resource: z.unknown() }),
);

// Orders v2 captures and their refunds: `amount.value` is a decimal string, `currency_code` ISO.
const capture = z.lazy(() =>
  z.object({
    id: z.string(),
    status: z.string(),
    amount: z.object({ value: z.string(), currency_code: z.string() }),
    custom_id: text,
    create_time: text,
    update_time: text,
  }),
);

// Subscriptions (v1 sales) and their refunds: `amount.total` is a decimal string; a refund's may
// carry a minus sign.
const sale = z.lazy(() =>
  z.object({
    id: z.string(),
    state: text,
    amount: z.object({ total: z.string(), currency: z.string() }),
    custom: text,
    custom_id: text,
    billing_agreement_id: text,
    create_time: text,
    update_time: text,
  }),
);

// A subscription (BILLING.SUBSCRIPTION.*): its id, plan and the `custom_id` given at creation.
const subscription = z.lazy(() => z.object({ id: text, plan_id: text, custom_id: text }));

/** Subscription events and their goals; the resource is the subscription, no money moves. */
const subscriptionGoals: Record<string, LifecycleGoalName> = {
  "BILLING.SUBSCRIPTION.ACTIVATED": "subscription_started",
  // Both are the end: a cancelled subscription bills no more, an expired one has run its cycles.
  "BILLING.SUBSCRIPTION.CANCELLED": "subscription_ended",
  "BILLING.SUBSCRIPTION.EXPIRED": "subscription_ended",
  "BILLING.SUBSCRIPTION.PAYMENT.FAILED": "payment_failed",
};

/**
 * PayPal (https://developer.paypal.com/api/rest/webhooks/event-names/): captures of Orders v2
 * checkouts and subscription sales, and their refunds. The visitor id travels in the purchase
 * unit's `custom_id` (a subscription's `custom_id`), which PayPal copies onto the capture or sale.
 *
 * Capture, sale and refund ids are bare PayPal ids from one space: refunds are recorded as
 * `refund_<refund id>`, each refund (partial ones too) under its own id.
 */
export const paypal: WebhookProvider = {
  ...providerSettings.paypal,
  verify: verifyPayPalSignature,
  read: ({ body }) => readPayPalEvent(parseJson(body)),
};

function readPayPalEvent(json: unknown): WebhookResult {
  const event = parseEvent(envelope, json);
  const type = event.event_type;
  switch (type) {
    case "PAYMENT.CAPTURE.COMPLETED": {
      const data = parseEvent(capture, event.resource, ["resource"]);
      return payment(type, {
        amount: amountFromDecimal(data.amount.value, data.amount.currency_code),
        currency: data.amount.currency_code,
        transaction_id: data.id,
        datafast_visitor_id: data.custom_id,
        timestamp: data.create_time ?? event.create_time,
      });
    }
    case "PAYMENT.SALE.COMPLETED": {
      // Every charge of a subscription, the first included: PayPal marks none as a renewal.
      const data = parseEvent(sale, event.resource, ["resource"]);
      return payment(type, {
        amount: amountFromDecimal(data.amount.total, data.amount.currency),
        currency: data.amount.currency,
        transaction_id: data.id,
        datafast_visitor_id: data.custom_id ?? data.custom,
        customer_id: data.billing_agreement_id,
        timestamp: data.create_time ?? event.create_time,
      });
    }
    case "PAYMENT.CAPTURE.REFUNDED": {
      const data = parseEvent(capture, event.resource, ["resource"]);
      if (data.status !== "COMPLETED") return ignored(type, `Refund is ${data.status}, not completed`);
      return payment(type, {
        amount: amountFromDecimal(unsigned(data.amount.value), data.amount.currency_code),
        currency: data.amount.currency_code,
        transaction_id: refundTransactionId(data.id),
        refunded: true,
        datafast_visitor_id: data.custom_id,
        timestamp: data.create_time ?? event.create_time,
      });
    }
    case "PAYMENT.SALE.REFUNDED": {
      const data = parseEvent(sale, event.resource, ["resource"]);
      return payment(type, {
        amount: amountFromDecimal(unsigned(data.amount.total), data.amount.currency),
        currency: data.amount.currency,
        transaction_id: refundTransactionId(data.id),
        refunded: true,
        datafast_visitor_id: data.custom_id ?? data.custom,
        timestamp: data.create_time ?? event.create_time,
      });
    }
    default: {
      const reason = `Event ${type} is not a completed payment or refund`;
      const name = Object.hasOwn(subscriptionGoals, type) ? subscriptionGoals[type] : undefined;
      if (!name) return ignored(type, reason);
      return goalOnly(type, reason, () => {
        const data = parseEvent(subscription, event.resource, ["resource"]);
        return goal(name, data.custom_id ?? undefined, { plan: data.plan_id, subscription_id: data.id });
      });
    }
  }
}

/** A refund's amount as PayPal may write it ("-1.54"): the money returned, without the sign. */
function unsigned(value: string): string {
  return value.trim().replace(/^-/, "");
}
