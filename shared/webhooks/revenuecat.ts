import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { isRecord } from "../is-record.ts";
import { amountFromDecimal } from "./amount.ts";
import { verifyAuthorizationHeader } from "./authorization-header.ts";
import { ignored, parseEvent, payment, refundTransactionId, text, type WebhookResult, when } from "./event.ts";
import type { WebhookProvider } from "./providers.ts";

const envelope = z.object({ event: z.unknown() });
const eventType = z.object({ type: z.string() });

const purchase = z.object({
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
  subscriber_attributes: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

type Purchase = z.infer<typeof purchase>;

/**
 * RevenueCat (https://www.revenuecat.com/docs/integrations/webhooks): every event is POSTed with
 * the `Authorization` header value set in the dashboard (REVENUECAT_WEBHOOK_AUTH). Prices are
 * decimal numbers in `currency`; the visitor id is the subscriber attribute `datafast_visitor_id`.
 */
export const revenuecat: WebhookProvider = {
  secretName: "REVENUECAT_WEBHOOK_AUTH",
  verify: verifyAuthorizationHeader("REVENUECAT_WEBHOOK_AUTH"),
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
      return payment(type, {
        ...common(data),
        transaction_id: data.transaction_id,
        // A trial converting to paid arrives as RENEWAL: it is the subscription's first money.
        renewal: type === "RENEWAL" && data.is_trial_conversion !== true,
        // A trial start is INITIAL_PURCHASE with `period_type: TRIAL` and a price of 0.
        is_free_trial: data.period_type === "TRIAL",
        timestamp: data.purchased_at_ms ?? data.event_timestamp_ms,
      });
    }
    case "CANCELLATION": {
      const data = parseEvent(purchase, event, ["event"]);
      // Only CUSTOMER_SUPPORT is a refund; the other reasons turn renewal off and move no money.
      if (data.cancel_reason !== "CUSTOMER_SUPPORT") {
        return ignored(type, `Cancellation (${String(data.cancel_reason).slice(0, 30)}) is not a refund`);
      }
      return payment(type, {
        ...common(data),
        // A store refunds a whole transaction, named by the purchase's own id.
        transaction_id: refundTransactionId(data.transaction_id),
        refunded: true,
        timestamp: data.event_timestamp_ms,
      });
    }
    default:
      return ignored(type, `Event ${type.slice(0, 60)} is not a payment`);
  }
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
function attribute(data: Purchase, name: string): string | undefined {
  const entry = data.subscriber_attributes?.[name];
  const value = isRecord(entry) ? entry.value : undefined;
  return typeof value === "string" ? value : undefined;
}
