import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { isRecord } from "../is-record.ts";
import { amountFromDecimal } from "./amount.ts";
import { ignored, metadata, parseEvent, payment, text, visitorIdIn, type WebhookResult, when } from "./event.ts";
import { goal, goalOnly, withGoals } from "./goals.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";
import { verifyStandardWebhook } from "./standard-webhooks-signature.ts";

const envelope = z.lazy(() => z.object({ type: z.string(), data: z.unknown() }));

/** An event as its envelope is read: what the mappers below take. */
export type WhopEvent = z.infer<typeof envelope>;

const amount = z.lazy(() => z.union([z.number(), z.string()]));
const user = z.lazy(() => z.optional(z.nullable(z.object({ id: text, email: text, name: text, username: text }))));
const checkoutMetadata = z.lazy(() => z.optional(z.nullable(z.object({ metadata }))));

const whopPayment = z.lazy(() =>
  z.object({
    id: z.string(),
    total: amount,
    currency: z.string(),
    billing_reason: text,
    paid_at: when,
    created_at: when,
    user,
    metadata,
    checkout_configuration: checkoutMetadata,
    // Read only for a goal's metadata: any shape is taken, so a plan never refuses a payment.
    plan: z.optional(z.unknown()),
  }),
);

const whopRefund = z.lazy(() =>
  z.object({
    id: z.string(),
    amount,
    currency: z.string(),
    // Documented as always present; without it nobody can tell whether money went back.
    status: z.string(),
    created_at: when,
    payment: z.optional(z.nullable(z.object({ user, metadata, checkout_configuration: checkoutMetadata }))),
  }),
);

/**
 * Refund states in which the money has gone back. An allow-list: a refund is created `pending`,
 * and any state not known to be settled (pending, requires_action, failed, one added later) is
 * no money back yet.
 */
const settledRefund = new Set(["succeeded", "completed"]);

/**
 * Whop: Standard Webhooks, but the dashboard secret is a raw string (its UTF-8 bytes are the
 * key). Amounts are DECIMAL major units (`total: 10.43`) with a lower-case currency.
 */
export const whop: WebhookProvider = {
  ...providerSettings.whop,
  verify: verifyStandardWebhook(providerSettings.whop.secretName, "raw"),
  read: ({ body }) => readWhopEvent(parseJson(body)),
};

function readWhopEvent(json: unknown): WebhookResult {
  const event = parseEvent(envelope, json);
  switch (event.type) {
    case "payment.succeeded": {
      const paid = whopPaymentPayment(event);
      const data = parseEvent(whopPayment, event.data, ["data"]);
      // A subscription's first payment starts it; its goal follows the payment.
      if (data.billing_reason !== "subscription_create") return paid;
      return withGoals(paid, goal("subscription_started", whopVisitorId(data), paymentFacts(data)));
    }
    case "payment.failed":
      return goalOnly(event.type, "A failed payment moves no money", () => {
        const data = parseEvent(whopPayment, event.data, ["data"]);
        return goal("payment_failed", whopVisitorId(data), paymentFacts(data));
      });
    // A refund is usually created `pending`: it is recorded from whichever event first says it
    // succeeded, and the other delivery repeats its id, which DataFast deduplicates.
    case "refund.created":
    case "refund.updated":
      return whopRefundPayment(event);
    default:
      return ignored(event.type, `Event ${event.type} is not a payment`);
  }
}

/** A succeeded payment (`data` of payment.succeeded, or one item of `GET /payments`). */
export function whopPaymentPayment(event: WhopEvent): WebhookResult {
  const data = parseEvent(whopPayment, event.data, ["data"]);
  return payment(event.type, {
    amount: amountFromDecimal(data.total, data.currency),
    currency: data.currency,
    transaction_id: data.id,
    // `subscription_create` and `one_time` are first payments; `subscription_cycle` a renewal.
    renewal: data.billing_reason === "subscription_cycle",
    datafast_visitor_id: whopVisitorId(data),
    email: data.user?.email,
    name: data.user?.name,
    customer_id: data.user?.id,
    timestamp: data.paid_at ?? data.created_at,
  });
}

/** Checkout-configuration metadata is copied onto the payment; older payloads nest it. */
function whopVisitorId(data: z.infer<typeof whopPayment>): string | undefined {
  return visitorIdIn(data.metadata, data.checkout_configuration?.metadata);
}

function paymentFacts(data: z.infer<typeof whopPayment>) {
  return {
    plan: isRecord(data.plan) && typeof data.plan.id === "string" ? data.plan.id : undefined,
    amount: amountFromDecimal(data.total, data.currency),
    currency: data.currency,
    transaction_id: data.id,
  };
}

/** A refund (`data` of refund.created/updated, or one item of `GET /refunds` with its payment). */
export function whopRefundPayment(event: WhopEvent): WebhookResult {
  const data = parseEvent(whopRefund, event.data, ["data"]);
  if (!settledRefund.has(data.status)) {
    return ignored(event.type, `Refund is ${data.status}, not succeeded: no money returned yet`);
  }
  const paid = data.payment;
  return payment(event.type, {
    amount: amountFromDecimal(data.amount, data.currency),
    currency: data.currency,
    transaction_id: data.id,
    refunded: true,
    datafast_visitor_id: visitorIdIn(paid?.metadata, paid?.checkout_configuration?.metadata),
    email: paid?.user?.email,
    customer_id: paid?.user?.id,
    timestamp: data.created_at,
  });
}
