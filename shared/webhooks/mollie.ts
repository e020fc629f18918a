import * as z from "zod/mini";
import { decodeUtf8 } from "../body.ts";
import { errorMessage } from "../datafast-reply.ts";
import { HttpError, settingError } from "../http-error.ts";
import { amountFromDecimal } from "./amount.ts";
import { apiJson, callOut, unavailable } from "./call-out.ts";
import {
  ignored,
  metadata,
  type PaymentDraft,
  parseEvent,
  payments,
  text,
  visitorIdIn,
  type WebhookResult,
} from "./event.ts";
import { goal, goalOnly } from "./goals.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";
import { type ProviderContext, unauthorized } from "./verification.ts";

const DEFAULT_API_URL = "https://api.mollie.com/v2";

// The id is put into the API path: anything but a payment id (`../`, `?`, another resource) is refused.
const delivery = z.lazy(() =>
  z.object({
    id: z.string().check(z.regex(/^tr_[A-Za-z0-9]{1,64}$/, 'Expected a Mollie payment id such as "tr_7UhSN1zuXS"')),
  }),
);

// `value` is a decimal string with the currency's decimals ("10.00", JPY "1000").
const money = z.lazy(() => z.object({ value: z.string(), currency: z.string() }));

const refund = z.lazy(() => z.object({ id: z.string(), status: z.string(), amount: money, createdAt: text }));

const molliePayment = z.lazy(() =>
  z.object({
    id: z.string(),
    status: z.string(),
    amount: money,
    sequenceType: text,
    customerId: text,
    paidAt: text,
    createdAt: text,
    metadata,
    _embedded: z.optional(z.object({ refunds: z.optional(z.array(refund)) })),
  }),
);

/**
 * Mollie (classic payment webhooks, https://docs.mollie.com/reference/webhooks): the delivery is a
 * form body `id=tr_…` and nothing in it is signed. Mollie's advice is to fetch the payment with the
 * API key, and that fetch is the verification: an id Mollie does not know for this key is answered
 * 401, never recorded. (Mollie's signed next-gen webhooks are a separate subscription, not these.)
 *
 * The payment webhook is called again when a refund changes status, so each call records the paid
 * payment and every refund that has reached `refunded`, each under its own id (`tr_…`, `re_…`);
 * DataFast deduplicates the ones it already holds.
 */
export const mollie: WebhookProvider = {
  ...providerSettings.mollie,
  verify: () => {
    // Nothing to check in the delivery itself: `read` verifies by fetching the payment.
  },
  read: async ({ body }, context) => {
    const { id } = parseEvent(delivery, Object.fromEntries(new URLSearchParams(decodeUtf8(body))));
    return readMolliePayment(parseEvent(molliePayment, await fetchPayment(id, context), ["payment"]));
  },
};

/** The refund status in which the money has reached the customer (queued, pending and processing can still fail). */
const REFUNDED = "refunded";

function readMolliePayment(paid: z.infer<typeof molliePayment>): WebhookResult {
  const event = `payment.${paid.status.slice(0, 40)}`;
  const visitor = visitorIdIn(paid.metadata);
  if (paid.status === "failed") {
    return goalOnly(event, "Payment is failed, not paid", () =>
      goal("payment_failed", visitor, {
        amount: amountFromDecimal(paid.amount.value, paid.amount.currency),
        currency: paid.amount.currency,
        transaction_id: paid.id,
      }),
    );
  }
  if (paid.status !== "paid") return ignored(event, `Payment is ${paid.status}, not paid`);
  const drafts: PaymentDraft[] = [
    {
      amount: amountFromDecimal(paid.amount.value, paid.amount.currency),
      currency: paid.amount.currency,
      transaction_id: paid.id,
      // `first` and `oneoff` are first payments; `recurring` is a subscription's later charge.
      renewal: paid.sequenceType === "recurring",
      datafast_visitor_id: visitor,
      customer_id: paid.customerId,
      timestamp: paid.paidAt ?? paid.createdAt,
    },
    ...(paid._embedded?.refunds ?? [])
      .filter((each) => each.status === REFUNDED)
      .map((each) => ({
        amount: amountFromDecimal(each.amount.value, each.amount.currency),
        currency: each.amount.currency,
        transaction_id: each.id,
        refunded: true,
        datafast_visitor_id: visitor,
        customer_id: paid.customerId,
        timestamp: each.createdAt,
      })),
  ];
  return payments(event, drafts, "No paid payment");
}

/** `GET /payments/{id}?embed=refunds` with each configured key in turn (old and new while rotating). */
async function fetchPayment(id: string, context: ProviderContext): Promise<unknown> {
  const apiUrl = context.env.MOLLIE_API_URL || DEFAULT_API_URL;
  if (!URL.canParse(apiUrl)) throw settingError("MOLLIE_API_URL", "is not a URL");
  const url = `${apiUrl.replace(/\/+$/, "")}/payments/${id}?embed=refunds`;
  for (const key of context.webhookSecrets) {
    const answer = await callOut(context, "Mollie", url, {
      headers: { authorization: `Bearer ${key}`, accept: "application/json" },
      secrets: context.webhookSecrets,
    });
    if (answer.status === 200) return apiJson(answer, "Mollie");
    if (answer.status === 401 || answer.status === 403) {
      throw new HttpError(500, `Mollie rejected MOLLIE_API_KEY (${answer.status}): check the key`);
    }
    if (answer.status !== 404 && answer.status !== 410) {
      throw unavailable(`Mollie answered ${answer.status}: ${errorMessage(answer.body)}`);
    }
  }
  // A genuine webhook names a payment of this account: an unknown id is forged (or the key is
  // another account's or mode's, which the 401 in the logs makes visible while Mollie retries).
  throw unauthorized(`Mollie knows no payment ${id} for MOLLIE_API_KEY`);
}
