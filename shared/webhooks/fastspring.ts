import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { amountFromDecimal } from "./amount.ts";
import {
  metadata,
  type PaymentDraft,
  parseEvent,
  payments,
  refundTransactionId,
  text,
  visitorIdIn,
  when,
} from "./event.ts";
import { type GoalDraft, goal, type LifecycleGoalName, optionalGoal, withGoals } from "./goals.ts";
import { verifyHmacSignature } from "./hmac-signature.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";

// One delivery carries a batch of events.
const envelope = z.lazy(() =>
  z.object({ events: z.array(z.object({ id: text, type: z.string(), data: z.unknown() })) }),
);

// Amounts are decimal numbers in major units of `currency` (`total: 59.99`).
const amount = z.lazy(() => z.union([z.number(), z.string()]));

const contact = z.lazy(() => z.optional(z.nullable(z.object({ first: text, last: text, email: text }))));
// `account` is an id, or the account object when the webhook expands it.
const account = z.lazy(() => z.optional(z.nullable(z.union([z.string(), z.object({ id: text, contact })]))));

const order = z.lazy(() =>
  z.object({
    id: z.string(),
    completed: z.optional(z.boolean()),
    currency: z.string(),
    total: amount,
    changed: when,
    account,
    customer: contact,
    tags: metadata,
  }),
);

const charge = z.lazy(() =>
  z.object({
    status: z.string(),
    total: amount,
    currency: z.string(),
    timestamp: when,
    sequence: z.optional(z.number()),
    order: z.object({ id: z.string() }),
    subscription: z.optional(z.nullable(z.union([z.string(), z.object({ tags: metadata })]))),
    account,
  }),
);

const fastspringReturn = z.lazy(() =>
  z.object({
    return: z.string(),
    currency: z.string(),
    totalReturn: amount,
    changed: when,
    account,
    original: z.optional(z.nullable(z.object({ tags: metadata }))),
  }),
);

// A subscription's step, read only for its goal; `product` is the product's path.
const subscriptionState = z.lazy(() =>
  z.object({ id: text, state: text, product: z.optional(z.unknown()), tags: metadata }),
);

/** Subscription events and their goals; none moves money. */
const subscriptionGoals: Record<string, LifecycleGoalName> = {
  "subscription.activated": "subscription_started",
  // Canceled: it ends at the period's end (deactivated, then); deactivated: it has ended.
  "subscription.canceled": "subscription_cancelled",
  "subscription.deactivated": "subscription_ended",
};

/**
 * FastSpring (https://developer.fastspring.com/reference/webhooks): `X-FS-Signature`, a base64
 * HMAC-SHA256 of the body keyed with the webhook's HMAC secret. One delivery holds several events;
 * every payment in it is recorded (a failure answers 5xx and FastSpring resends the batch, which
 * DataFast deduplicates). The visitor id is an order tag set by the Store Builder library.
 */
export const fastspring: WebhookProvider = {
  ...providerSettings.fastspring,
  verify: verifyHmacSignature({ header: "x-fs-signature", algorithm: "sha256", encoding: "base64" }),
  read: ({ body }) => {
    const { events } = parseEvent(envelope, parseJson(body));
    const drafts = events.flatMap((event, index) => fastSpringPayment(event.type, event.data, index));
    const goals = events.map((event, index) => optionalGoal(() => fastSpringGoal(event.type, event.data, index)));
    const types = [...new Set(events.map((event) => event.type))].join(",").slice(0, 100);
    return withGoals(
      payments(types || "(no events)", drafts, `No completed order, rebill or return among: ${types || "no events"}`),
      ...goals,
    );
  },
};

/** The goal of a subscription's step or of a failed rebill in the batch, if it is one. */
function fastSpringGoal(type: string, value: unknown, index: number): GoalDraft | undefined {
  const at = ["events", index, "data"];
  if (type === "subscription.charge.failed") {
    const data = parseEvent(charge, value, at);
    const subscription = typeof data.subscription === "object" ? data.subscription : undefined;
    return goal("payment_failed", visitorIdIn(subscription?.tags), {
      amount: amountFromDecimal(data.total, data.currency),
      currency: data.currency,
      transaction_id: data.order.id,
    });
  }
  const name = Object.hasOwn(subscriptionGoals, type) ? subscriptionGoals[type] : undefined;
  if (!name) return undefined;
  const data = parseEvent(subscriptionState, value, at);
  const trial = name === "subscription_started" && data.state === "trial";
  return goal(trial ? "trial_started" : name, visitorIdIn(data.tags), {
    plan: typeof data.product === "string" ? data.product : undefined,
    subscription_id: data.id,
  });
}

function fastSpringPayment(type: string, value: unknown, index: number): PaymentDraft[] {
  const at = ["events", index, "data"];
  switch (type) {
    case "order.completed": {
      const data = parseEvent(order, value, at);
      if (data.completed === false) return [];
      return [
        {
          amount: amountFromDecimal(data.total, data.currency),
          currency: data.currency,
          transaction_id: data.id,
          datafast_visitor_id: visitorIdIn(data.tags),
          ...buyer(data.account, data.customer),
          timestamp: data.changed,
        },
      ];
    }
    case "subscription.charge.completed": {
      const data = parseEvent(charge, value, at);
      // The first charge is the order.completed already recorded under the same order id.
      if (data.status !== "successful" || (data.sequence ?? 2) < 2) return [];
      const subscription = typeof data.subscription === "object" ? data.subscription : undefined;
      return [
        {
          amount: amountFromDecimal(data.total, data.currency),
          currency: data.currency,
          transaction_id: data.order.id,
          renewal: true,
          datafast_visitor_id: visitorIdIn(subscription?.tags),
          ...buyer(data.account, undefined),
          timestamp: data.timestamp,
        },
      ];
    }
    case "return.created": {
      const data = parseEvent(fastspringReturn, value, at);
      return [
        {
          amount: amountFromDecimal(data.totalReturn, data.currency),
          currency: data.currency,
          // Return and order ids are drawn alike: prefixed, one never stands for the other.
          transaction_id: refundTransactionId(data.return),
          refunded: true,
          datafast_visitor_id: visitorIdIn(data.original?.tags),
          ...buyer(data.account, undefined),
          timestamp: data.changed,
        },
      ];
    }
    default:
      return [];
  }
}

function buyer(owner: z.infer<typeof account>, customer: z.infer<typeof contact>) {
  const person = customer ?? (typeof owner === "object" ? owner?.contact : undefined);
  return {
    customer_id: typeof owner === "string" ? owner : owner?.id,
    email: person?.email,
    name: [person?.first, person?.last].filter(Boolean).join(" "),
  };
}
