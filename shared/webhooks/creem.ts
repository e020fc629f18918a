import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { amountFromMinorUnits, unmappable } from "./amount.ts";
import { ignored, metadata, parseEvent, payment, text, visitorIdIn, type WebhookResult } from "./event.ts";
import { goal, goalOnly, type LifecycleGoalName } from "./goals.ts";
import { verifyHmacSignature } from "./hmac-signature.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";

const envelope = z.lazy(() =>
  z.object({ eventType: z.string(), created_at: z.optional(z.number()), object: z.unknown() }),
);

/** An event as its envelope is read: what the mappers below take. */
export type CreemEvent = z.infer<typeof envelope>;

// Expanded (an object) in the documented payloads; tolerated as a bare id.
const customer = z.lazy(() =>
  z.optional(z.nullable(z.union([z.string(), z.object({ id: text, email: text, name: text })]))),
);

const checkout = z.lazy(() =>
  z.object({
    order: z.object({ id: z.string(), amount: z.int(), currency: z.string() }),
    customer,
    metadata,
  }),
);

const subscription = z.lazy(() =>
  z.object({
    last_transaction_id: z.string(),
    created_at: z.string(),
    current_period_start_date: z.string(),
    last_transaction_date: text,
    // Creem sends the product's price, not a transaction amount, on subscription.paid.
    product: z.object({ price: z.int(), currency: z.string() }),
    customer,
    metadata,
  }),
);

// What a refund or a dispute says of the checkout or subscription it concerns: only its metadata.
const withMetadata = z.lazy(() => z.optional(z.nullable(z.object({ metadata }))));

const refund = z.lazy(() =>
  z.object({
    id: z.string(),
    refund_amount: z.int(),
    refund_currency: z.string(),
    customer,
    checkout: withMetadata,
    subscription: withMetadata,
  }),
);

// A subscription's step, read only for its goal: the product may be expanded or a bare id.
const subscriptionState = z.lazy(() =>
  z.object({
    id: text,
    product: z.optional(z.nullable(z.union([z.string(), z.object({ id: text })]))),
    metadata,
  }),
);

const dispute = z.lazy(() =>
  z.object({
    id: text,
    amount: z.optional(z.int()),
    currency: text,
    checkout: withMetadata,
    subscription: withMetadata,
  }),
);

/** Subscription events and their goals; the object is the subscription, no money moves. */
const subscriptionGoals: Record<string, LifecycleGoalName> = {
  "subscription.trialing": "trial_started",
  "subscription.active": "subscription_started",
  "subscription.scheduled_cancel": "subscription_cancelled",
  // Either is the end: canceled now, or expired when a period ended unpaid.
  "subscription.canceled": "subscription_ended",
  "subscription.expired": "subscription_ended",
};

/** A subscription whose paid period starts more than a day after it was created is a renewal. */
const FIRST_PERIOD_SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * Creem: `creem-signature`, an HMAC-SHA256 (hex) of the body with no timestamp. Amounts are
 * integer minor units; event `created_at` is epoch MILLISECONDS; the visitor id is in `metadata`.
 */
export const creem: WebhookProvider = {
  ...providerSettings.creem,
  verify: verifyHmacSignature({ header: "creem-signature", algorithm: "sha256", encoding: "hex" }),
  read: ({ body }) => readCreemEvent(parseJson(body)),
};

function readCreemEvent(json: unknown): WebhookResult {
  const event = parseEvent(envelope, json);
  switch (event.eventType) {
    case "checkout.completed":
      return creemCheckoutPayment(event);
    case "subscription.paid":
      return creemSubscriptionPayment(event);
    case "refund.created": {
      const data = parseEvent(refund, event.object, ["object"]);
      return payment(event.eventType, {
        amount: amountFromMinorUnits(data.refund_amount, data.refund_currency),
        currency: data.refund_currency,
        transaction_id: data.id,
        refunded: true,
        datafast_visitor_id: visitorIdIn(data.checkout?.metadata, data.subscription?.metadata),
        ...customerFields(data.customer),
        timestamp: event.created_at,
      });
    }
    case "dispute.created":
      return creemDisputeGoal(event);
    default:
      return Object.hasOwn(subscriptionGoals, event.eventType)
        ? creemSubscriptionGoal(event)
        : ignored(event.eventType, `Event ${event.eventType} is not a payment`);
  }
}

/** A completed checkout's order (checkout.completed, or a first transaction of `GET /v1/transactions/search`). */
export function creemCheckoutPayment(event: CreemEvent): WebhookResult {
  const data = parseEvent(checkout, event.object, ["object"]);
  return payment(event.eventType, {
    amount: amountFromMinorUnits(data.order.amount, data.order.currency),
    currency: data.order.currency,
    transaction_id: data.order.id,
    datafast_visitor_id: visitorIdIn(data.metadata),
    ...customerFields(data.customer),
    timestamp: event.created_at,
  });
}

/** A subscription's paid period (subscription.paid, or a later transaction with its subscription). */
export function creemSubscriptionPayment(event: CreemEvent): WebhookResult {
  const data = parseEvent(subscription, event.object, ["object"]);
  // Creem fires subscription.paid for the first payment too, which checkout.completed already
  // recorded under the order id: only later periods are recorded here, as renewals.
  if (!isLaterPeriod(data.created_at, data.current_period_start_date)) {
    return ignored(event.eventType, "First payment of a subscription: recorded from checkout.completed");
  }
  return payment(event.eventType, {
    amount: amountFromMinorUnits(data.product.price, data.product.currency),
    currency: data.product.currency,
    transaction_id: data.last_transaction_id,
    renewal: true,
    datafast_visitor_id: visitorIdIn(data.metadata),
    ...customerFields(data.customer),
    timestamp: data.last_transaction_date ?? event.created_at,
  });
}

/** A subscription's step: its goal alone. */
function creemSubscriptionGoal(event: CreemEvent): WebhookResult {
  return goalOnly(event.eventType, `Event ${event.eventType} is not a payment`, () => {
    const data = parseEvent(subscriptionState, event.object, ["object"]);
    const name = subscriptionGoals[event.eventType];
    const plan = typeof data.product === "string" ? data.product : data.product?.id;
    return name && goal(name, visitorIdIn(data.metadata), { plan, subscription_id: data.id });
  });
}

/** A dispute opened: no money moves until it is settled, a goal says it happened. */
function creemDisputeGoal(event: CreemEvent): WebhookResult {
  return goalOnly(event.eventType, "A dispute moves no money until it is settled", () => {
    const data = parseEvent(dispute, event.object, ["object"]);
    const currency = data.currency;
    return goal("dispute_opened", visitorIdIn(data.checkout?.metadata, data.subscription?.metadata), {
      amount: data.amount !== undefined && currency ? amountFromMinorUnits(data.amount, currency) : undefined,
      currency,
    });
  });
}

function customerFields(buyer: z.infer<typeof customer>) {
  if (typeof buyer === "string") return { customer_id: buyer };
  return { customer_id: buyer?.id, email: buyer?.email, name: buyer?.name };
}

/**
 * Whether the paid period is a later one. A date that does not parse is a 400, not a guess: with
 * NaN the comparison is false and a renewal would be answered 200 "ignored", its money dropped.
 */
function isLaterPeriod(createdAt: string, periodStart: string): boolean {
  return unmappable(
    () =>
      parsedDate(periodStart, "current_period_start_date") - parsedDate(createdAt, "created_at") >
      FIRST_PERIOD_SLACK_MS,
  );
}

function parsedDate(text: string, field: string): number {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new RangeError(`object.${field} is not a date: ${JSON.stringify(text.slice(0, 40))}`);
  return time;
}
