import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { isRecord } from "../is-record.ts";
import { amountFromDecimal } from "./amount.ts";
import { verifyAuthorizationHeader } from "./authorization-header.ts";
import { ignored, parseEvent, payment, refundTransactionId, text, type WebhookResult, when } from "./event.ts";
import { goal, goalOnly, type LifecycleGoalName, withGoals } from "./goals.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";

const envelope = z.lazy(() => z.object({ event: z.unknown() }));
const eventType = z.lazy(() => z.object({ type: z.string() }));

// `{ "name": { "value": "…", "updated_at_ms": … } }`, read by `attribute`.
const subscriberAttributes = z.lazy(() => z.optional(z.nullable(z.record(z.string(), z.unknown()))));

const purchase = z.lazy(() =>
  z.object({
    type: z.string(),
    transaction_id: z.string(),
    app_user_id: text,
    // What the store charged, in the currency the buyer paid (`price` is the USD equivalent):
    // negative on a refund.
    price_in_purchased_currency: z.number(),
    currency: z.string(),
    period_type: text,
    is_trial_conversion: z.optional(z.nullable(z.boolean())),
    cancel_reason: text,
    purchased_at_ms: when,
    event_timestamp_ms: when,
    product_id: text,
    subscriber_attributes: subscriberAttributes,
  }),
);

type Purchase = z.infer<typeof purchase>;

/** A subscriber's event that moves no money (an expiration, a billing issue): only what its goal needs. */
const subscriberEvent = z.lazy(() =>
  z.object({
    product_id: text,
    original_transaction_id: text,
    cancel_reason: text,
    expiration_reason: text,
    subscriber_attributes: subscriberAttributes,
  }),
);

/**
 * RevenueCat (https://www.revenuecat.com/docs/integrations/webhooks): every event is POSTed with
 * the `Authorization` header value set in the dashboard (REVENUECAT_WEBHOOK_AUTH). Prices are
 * decimal numbers in `currency`; the visitor id is the subscriber attribute `datafast_visitor_id`.
 */
export const revenuecat: WebhookProvider = {
  ...providerSettings.revenuecat,
  verify: verifyAuthorizationHeader(providerSettings.revenuecat.secretName),
  read: ({ body }) => readRevenueCatEvent(parseJson(body)),
};

function readRevenueCatEvent(json: unknown): WebhookResult {
  const { event } = parseEvent(envelope, json);
  const { type } = parseEvent(eventType, event, ["event"]);
  switch (type) {
    case "INITIAL_PURCHASE":
    case "NON_RENEWING_PURCHASE":
    case "RENEWAL": {
      const data = parseEvent(purchase, event, ["event"]);
      // A subscription starts with its first money: a paid INITIAL_PURCHASE, or a trial converting.
      const starts =
        (type === "INITIAL_PURCHASE" && data.period_type !== "TRIAL") ||
        (type === "RENEWAL" && data.is_trial_conversion === true);
      const started = starts
        ? goal("subscription_started", attribute(data, "datafast_visitor_id"), facts(data))
        : undefined;
      const paid = payment(type, {
        ...common(data),
        transaction_id: data.transaction_id,
        // A trial converting to paid arrives as RENEWAL: it is the subscription's first money.
        renewal: type === "RENEWAL" && data.is_trial_conversion !== true,
        // A trial start is INITIAL_PURCHASE with `period_type: TRIAL` and a price of 0.
        is_free_trial: data.period_type === "TRIAL",
        timestamp: data.purchased_at_ms ?? data.event_timestamp_ms,
      });
      return withGoals(paid, started);
    }
    case "CANCELLATION": {
      const data = parseEvent(purchase, event, ["event"]);
      // Only CUSTOMER_SUPPORT is a refund; the other reasons turn renewal off and move no money.
      if (data.cancel_reason !== "CUSTOMER_SUPPORT") {
        return subscriberGoal(
          type,
          event,
          "subscription_cancelled",
          `Cancellation (${String(data.cancel_reason)}) is not a refund`,
        );
      }
      return payment(type, {
        ...common(data),
        // A store refunds a whole transaction, named by the purchase's own id.
        transaction_id: refundTransactionId(data.transaction_id),
        refunded: true,
        timestamp: data.event_timestamp_ms,
      });
    }
    case "EXPIRATION":
      return subscriberGoal(type, event, "subscription_ended", "An expiration is not a payment");
    case "BILLING_ISSUE":
      return subscriberGoal(type, event, "payment_failed", "A billing issue is not a payment");
    default:
      return ignored(type, `Event ${type} is not a payment`);
  }
}

/** An event that moves no money but is a step of the subscription: its goal alone. */
function subscriberGoal(type: string, event: unknown, name: LifecycleGoalName, reason: string): WebhookResult {
  return goalOnly(type, reason, () => {
    const data = parseEvent(subscriberEvent, event, ["event"]);
    return goal(name, attribute(data, "datafast_visitor_id"), {
      plan: data.product_id,
      subscription_id: data.original_transaction_id,
      reason: data.cancel_reason ?? data.expiration_reason,
    });
  });
}

function facts(data: Purchase) {
  return {
    plan: data.product_id,
    amount: Math.abs(data.price_in_purchased_currency),
    currency: data.currency,
    transaction_id: data.transaction_id,
  };
}

function common(data: Purchase) {
  return {
    amount: amountFromDecimal(Math.abs(data.price_in_purchased_currency), data.currency),
    currency: data.currency,
    datafast_visitor_id: attribute(data, "datafast_visitor_id"),
    email: attribute(data, "$email"),
    name: attribute(data, "$displayName"),
    customer_id: data.app_user_id,
  };
}

/** A subscriber attribute's value: `{ "name": { "value": "…", "updated_at_ms": … } }`. */
function attribute(data: Pick<Purchase, "subscriber_attributes">, name: string): string | undefined {
  const entry = data.subscriber_attributes?.[name];
  const value = isRecord(entry) ? entry.value : undefined;
  return typeof value === "string" ? value : undefined;
}
