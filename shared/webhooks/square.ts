import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { amountFromMinorUnits } from "./amount.ts";
import { ignored, parseEvent, payment, text, type WebhookResult } from "./event.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";
import { verifySquareSignature } from "./square-signature.ts";

const envelope = z.lazy(() =>
  z.object({ type: z.string(), created_at: text, data: z.object({ object: z.unknown() }) }),
);

// Integer amounts in the currency's smallest unit (100 USD cents, 100 JPY).
const money = z.lazy(() => z.object({ amount: z.int(), currency: z.string() }));

const squarePayment = z.lazy(() =>
  z.object({
    payment: z.object({
      id: z.string(),
      status: z.string(),
      amount_money: money,
      // amount_money plus tip; absent on older payloads.
      total_money: z.optional(z.nullable(money)),
      customer_id: text,
      buyer_email_address: text,
      reference_id: text,
      updated_at: text,
      created_at: text,
    }),
  }),
);

const squareRefund = z.lazy(() =>
  z.object({
    refund: z.object({ id: z.string(), status: z.string(), amount_money: money, updated_at: text, created_at: text }),
  }),
);

/** The setting that holds the notification URL registered with Square, which every signature covers. */
const [urlSetting] = providerSettings.square.requiredSettings;

/**
 * Square (https://developer.squareup.com/docs/payments-api/webhooks): a payment counts once
 * `COMPLETED` (payment.created or payment.updated), a refund once `COMPLETED` (refund.created or
 * refund.updated); both events of one object repeat its id, which DataFast deduplicates. A refund's
 * id (`<payment id>_<suffix>`) is its own, distinct for each partial refund. The visitor id is the
 * payment's `reference_id`, set when the payment is created.
 */
export const square: WebhookProvider = {
  ...providerSettings.square,
  verify: verifySquareSignature(urlSetting),
  read: ({ body }) => readSquareEvent(parseJson(body)),
};

function readSquareEvent(json: unknown): WebhookResult {
  const event = parseEvent(envelope, json);
  const { type } = event;
  switch (type) {
    case "payment.created":
    case "payment.updated": {
      const paid = parseEvent(squarePayment, event.data.object, ["data", "object"]).payment;
      if (paid.status !== "COMPLETED") return ignored(type, `Payment is ${paid.status}, not completed`);
      const money = paid.total_money ?? paid.amount_money;
      return payment(type, {
        amount: amountFromMinorUnits(money.amount, money.currency),
        currency: money.currency,
        transaction_id: paid.id,
        datafast_visitor_id: paid.reference_id,
        email: paid.buyer_email_address,
        customer_id: paid.customer_id,
        timestamp: paid.created_at ?? event.created_at,
      });
    }
    case "refund.created":
    case "refund.updated": {
      const refund = parseEvent(squareRefund, event.data.object, ["data", "object"]).refund;
      if (refund.status !== "COMPLETED") return ignored(type, `Refund is ${refund.status}, not completed`);
      return payment(type, {
        amount: amountFromMinorUnits(refund.amount_money.amount, refund.amount_money.currency),
        currency: refund.amount_money.currency,
        transaction_id: refund.id,
        refunded: true,
        timestamp: refund.updated_at ?? refund.created_at ?? event.created_at,
      });
    }
    default:
      return ignored(type, `Event ${type} is not a payment`);
  }
}
