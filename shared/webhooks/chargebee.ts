import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { isRecord } from "../is-record.ts";
import { amountFromMinorUnits } from "./amount.ts";
import { verifyBasicAuth } from "./basic-auth.ts";
import { ignored, metadata, parseEvent, payment, text, visitorIdIn, type WebhookResult, when } from "./event.ts";
import { goal, goalOnly, type LifecycleGoalName } from "./goals.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";

const envelope = z.lazy(() =>
  z.object({ id: z.string(), event_type: z.string(), occurred_at: when, content: z.unknown() }),
);

// Amounts are in the currency's smallest unit (cents; JPY as is).
const transaction = z.lazy(() =>
  z.object({
    id: z.string(),
    type: z.string(),
    status: z.string(),
    amount: z.int(),
    currency_code: z.string(),
    date: when,
    customer_id: text,
  }),
);

// Custom fields (`cf_…`) and `meta_data` are where a checkout puts its own values.
const withVisitor = z.lazy(() => z.optional(z.nullable(z.looseObject({ meta_data: metadata }))));

const customer = z.lazy(() =>
  z.optional(
    z.nullable(z.looseObject({ id: text, email: text, first_name: text, last_name: text, meta_data: metadata })),
  ),
);

const content = z.lazy(() =>
  z.object({
    transaction,
    invoice: z.optional(z.nullable(z.object({ first_invoice: z.optional(z.nullable(z.boolean())) }))),
    subscription: withVisitor,
    customer,
  }),
);

type Content = z.infer<typeof content>;

/** A subscription's event: the subscription (its plan and visitor), and a failed payment's transaction. */
const subscriptionContent = z.lazy(() =>
  z.object({
    subscription: z.optional(
      z.nullable(
        z.looseObject({
          id: text,
          status: text,
          plan_id: text,
          meta_data: metadata,
          subscription_items: z.optional(z.nullable(z.array(z.object({ item_price_id: text })))),
        }),
      ),
    ),
    customer,
    transaction: z.optional(z.nullable(z.object({ id: text, amount: z.optional(z.int()), currency_code: text }))),
  }),
);

/** The lifecycle events mapped to goals, by Chargebee's event type. */
const lifecycleGoals: Record<string, LifecycleGoalName> = {
  subscription_cancellation_scheduled: "subscription_cancelled",
  subscription_cancelled: "subscription_ended",
  payment_failed: "payment_failed",
};

/** The setting that holds the webhook's HTTP Basic username (the password is the provider's secret). */
const [usernameSetting] = providerSettings.chargebee.otherSecretNames;

/**
 * Chargebee (https://apidocs.chargebee.com/docs/api/events): the webhook's HTTP Basic username and
 * password authenticate it. Money is in `content.transaction`: `payment_succeeded` (a renewal when
 * the invoice is not the subscription's first) and `payment_refunded`, whose transaction is the
 * refund's own (its own id, distinct for each partial refund).
 */
export const chargebee: WebhookProvider = {
  ...providerSettings.chargebee,
  verify: verifyBasicAuth(usernameSetting),
  read: ({ body }) => readChargebeeEvent(parseJson(body)),
};

function readChargebeeEvent(json: unknown): WebhookResult {
  const event = parseEvent(envelope, json);
  const type = event.event_type;
  if (type === "subscription_created" || Object.hasOwn(lifecycleGoals, type)) return chargebeeGoal(type, event.content);
  if (type !== "payment_succeeded" && type !== "payment_refunded") {
    return ignored(type, `Event ${type} is not a payment`);
  }
  const data = parseEvent(content, event.content, ["content"]);
  const paid = data.transaction;
  if (paid.status !== "success") return ignored(type, `Transaction is ${paid.status}, not success`);
  const firstInvoice = data.invoice?.first_invoice;
  return payment(type, {
    amount: amountFromMinorUnits(paid.amount, paid.currency_code),
    currency: paid.currency_code,
    transaction_id: paid.id,
    ...(type === "payment_refunded"
      ? { refunded: true }
      : { renewal: firstInvoice == null ? undefined : !firstInvoice }),
    datafast_visitor_id: chargebeeVisitorId(data),
    email: data.customer?.email,
    name: [data.customer?.first_name, data.customer?.last_name].filter(Boolean).join(" "),
    customer_id: paid.customer_id ?? data.customer?.id,
    timestamp: paid.date ?? event.occurred_at,
  });
}

/**
 * A subscription created (`in_trial`: a trial started; otherwise a subscription started), its
 * cancellation scheduled, the subscription cancelled (Chargebee's `cancelled` is the end), or a
 * payment failed. No money moves: the goal alone.
 */
function chargebeeGoal(type: string, eventContent: unknown): WebhookResult {
  return goalOnly(type, `Event ${type} is not a payment`, () => {
    const data = parseEvent(subscriptionContent, eventContent, ["content"]);
    const subscription = data.subscription;
    const name =
      type === "subscription_created"
        ? subscription?.status === "in_trial"
          ? "trial_started"
          : "subscription_started"
        : lifecycleGoals[type];
    const failed = type === "payment_failed" ? data.transaction : undefined;
    const amount = failed?.amount;
    const currency = failed?.currency_code;
    return (
      name &&
      goal(name, chargebeeVisitorId(data), {
        plan: subscription?.subscription_items?.[0]?.item_price_id ?? subscription?.plan_id,
        subscription_id: subscription?.id,
        transaction_id: failed?.id,
        amount: amount !== undefined && currency ? amountFromMinorUnits(amount, currency) : undefined,
        currency,
      })
    );
  });
}

/** `cf_datafast_visitor_id` (a custom field) or `meta_data.datafast_visitor_id`, subscription first. */
function chargebeeVisitorId(data: Pick<Content, "subscription" | "customer">): string | undefined {
  const field = (source: unknown) => (isRecord(source) ? { datafast_visitor_id: source.cf_datafast_visitor_id } : {});
  return visitorIdIn(
    field(data.subscription),
    data.subscription?.meta_data,
    field(data.customer),
    data.customer?.meta_data,
  );
}
