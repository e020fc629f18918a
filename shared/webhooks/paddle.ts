import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { amountFromMinorUnits } from "./amount.ts";
import { ignored, metadata, parseEvent, payment, text, visitorIdIn, type WebhookResult } from "./event.ts";
import { goal, goalOnly } from "./goals.ts";
import { verifyPaddleSignature } from "./paddle-signature.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";

const minorUnits = z.lazy(() =>
  z.string().check(z.regex(/^\d+$/, 'Expected an amount in minor units, such as "1999"')),
);

const envelope = z.lazy(() => z.object({ event_type: z.string(), occurred_at: text, data: z.unknown() }));

/** An event as its envelope is read: what the mappers below take. */
export type PaddleEvent = z.infer<typeof envelope>;

const transaction = z.lazy(() =>
  z.object({
    id: z.string(),
    origin: text,
    customer_id: text,
    currency_code: z.string(),
    custom_data: metadata,
    billed_at: text,
    details: z.object({ totals: z.object({ grand_total: minorUnits }) }),
  }),
);

const subscription = z.lazy(() =>
  z.object({
    id: z.string(),
    status: z.string(),
    custom_data: metadata,
    items: z.optional(z.nullable(z.array(z.object({ price: z.optional(z.nullable(z.object({ product_id: text }))) })))),
  }),
);

const failedTransaction = z.lazy(() =>
  z.object({
    id: z.string(),
    subscription_id: text,
    currency_code: text,
    custom_data: metadata,
    details: z.optional(z.nullable(z.object({ totals: z.object({ grand_total: minorUnits }) }))),
  }),
);

const adjustmentKind = z.lazy(() => z.object({ action: z.string(), status: z.string() }));

const adjustment = z.lazy(() =>
  z.object({
    id: z.string(),
    customer_id: text,
    currency_code: z.string(),
    totals: z.object({ total: minorUnits }),
    updated_at: text,
    created_at: text,
  }),
);

/**
 * Paddle Billing: `Paddle-Signature` HMAC. Amounts are STRING minor units; the visitor id is in
 * `custom_data` (from `customData` at checkout, copied by Paddle onto renewals).
 */
export const paddle: WebhookProvider = {
  ...providerSettings.paddle,
  verify: verifyPaddleSignature,
  read: ({ body }) => readPaddleEvent(parseJson(body)),
};

function readPaddleEvent(json: unknown): WebhookResult {
  const event = parseEvent(envelope, json);
  switch (event.event_type) {
    case "transaction.completed":
      return paddleTransactionPayment(event);
    case "adjustment.created":
    case "adjustment.updated":
      return paddleAdjustmentPayment(event);
    case "subscription.created":
    case "subscription.canceled":
      return paddleSubscriptionGoal(event);
    case "transaction.payment_failed":
      return paddleFailedPaymentGoal(event);
    default:
      return ignored(event.event_type, `Event ${event.event_type} is not a payment`);
  }
}

/** A completed transaction (`data` of transaction.completed, or one item of `GET /transactions`). */
export function paddleTransactionPayment(event: PaddleEvent): WebhookResult {
  const data = parseEvent(transaction, event.data, ["data"]);
  return payment(event.event_type, {
    amount: amountFromMinorUnits(data.details.totals.grand_total, data.currency_code),
    currency: data.currency_code,
    transaction_id: data.id,
    renewal: data.origin === "subscription_recurring",
    datafast_visitor_id: visitorIdIn(data.custom_data),
    customer_id: data.customer_id,
    timestamp: data.billed_at ?? event.occurred_at,
  });
}

/** An adjustment (`data` of adjustment.created/updated, or one item of `GET /adjustments`). */
export function paddleAdjustmentPayment(event: PaddleEvent): WebhookResult {
  // A refund starts `pending_approval` and becomes money back only once `approved`.
  const kind = parseEvent(adjustmentKind, event.data, ["data"]);
  if (kind.action !== "refund") {
    return ignored(event.event_type, `Adjustment action ${kind.action} is not a refund`);
  }
  if (kind.status !== "approved") {
    return ignored(event.event_type, `Refund is ${kind.status}, not approved yet`);
  }
  const data = parseEvent(adjustment, event.data, ["data"]);
  return payment(event.event_type, {
    amount: amountFromMinorUnits(data.totals.total, data.currency_code),
    currency: data.currency_code,
    transaction_id: data.id,
    refunded: true,
    customer_id: data.customer_id,
    timestamp: data.updated_at ?? data.created_at ?? event.occurred_at,
  });
}

/**
 * A subscription created (trialing: a trial started; active: a subscription started) or canceled
 * (Paddle's `canceled` is the end: a cancellation scheduled for the period's end is a
 * `subscription.updated` and ends with this event). No money: the goal alone.
 */
function paddleSubscriptionGoal(event: PaddleEvent): WebhookResult {
  return goalOnly(event.event_type, "A subscription event is not a payment", () => {
    const data = parseEvent(subscription, event.data, ["data"]);
    const name =
      event.event_type === "subscription.canceled"
        ? "subscription_ended"
        : ({ trialing: "trial_started", active: "subscription_started" } as const)[data.status];
    const plan = data.items?.[0]?.price?.product_id;
    return name && goal(name, visitorIdIn(data.custom_data), { plan, subscription_id: data.id });
  });
}

/** A transaction whose payment failed (a declined card, a renewal that could not be charged). */
function paddleFailedPaymentGoal(event: PaddleEvent): WebhookResult {
  return goalOnly(event.event_type, "A failed payment moves no money", () => {
    const data = parseEvent(failedTransaction, event.data, ["data"]);
    const total = data.details?.totals.grand_total;
    const currency = data.currency_code;
    return goal("payment_failed", visitorIdIn(data.custom_data), {
      amount: total !== undefined && currency ? amountFromMinorUnits(total, currency) : undefined,
      currency,
      transaction_id: data.id,
      subscription_id: data.subscription_id,
    });
  });
}
