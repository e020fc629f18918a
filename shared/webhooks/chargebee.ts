import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { isRecord } from "../is-record.ts";
import { amountFromMinorUnits } from "./amount.ts";
import { verifyBasicAuth } from "./basic-auth.ts";
import { ignored, metadata, parseEvent, payment, text, visitorIdIn, type WebhookResult, when } from "./event.ts";
import type { WebhookProvider } from "./providers.ts";

const envelope = z.object({ id: z.string(), event_type: z.string(), occurred_at: when, content: z.unknown() });

// Amounts are in the currency's smallest unit (cents; JPY as is).
const transaction = z.object({
  id: z.string(),
  type: z.string(),
  status: z.string(),
  amount: z.int(),
  currency_code: z.string(),
  date: when,
  customer_id: text,
});

// Custom fields (`cf_…`) and `meta_data` are where a checkout puts its own values.
const withVisitor = z.optional(z.nullable(z.looseObject({ meta_data: metadata })));

const content = z.object({
  transaction,
  invoice: z.optional(z.nullable(z.object({ first_invoice: z.optional(z.nullable(z.boolean())) }))),
  subscription: withVisitor,
  customer: z.optional(
    z.nullable(z.looseObject({ id: text, email: text, first_name: text, last_name: text, meta_data: metadata })),
  ),
});

type Content = z.infer<typeof content>;

/**
 * Chargebee (https://apidocs.chargebee.com/docs/api/events): the webhook's HTTP Basic username and
 * password authenticate it. Money is in `content.transaction`: `payment_succeeded` (a renewal when
 * the invoice is not the subscription's first) and `payment_refunded`, whose transaction is the
 * refund's own (its own id, distinct for each partial refund).
 */
export const chargebee: WebhookProvider = {
  secretName: "CHARGEBEE_WEBHOOK_PASSWORD",
  otherSecretNames: ["CHARGEBEE_WEBHOOK_USERNAME"],
  verify: verifyBasicAuth("CHARGEBEE_WEBHOOK_USERNAME"),
  read: ({ body }) => readChargebeeEvent(parseJson(body)),
};

function readChargebeeEvent(json: unknown): WebhookResult {
  const event = parseEvent(envelope, json);
  const type = event.event_type;
  if (type !== "payment_succeeded" && type !== "payment_refunded") {
    return ignored(type, `Event ${type.slice(0, 60)} is not a payment`);
  }
  const data = parseEvent(content, event.content, ["content"]);
  const paid = data.transaction;
  if (paid.status !== "success") return ignored(type, `Transaction is ${paid.status.slice(0, 30)}, not success`);
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

/** `cf_datafast_visitor_id` (a custom field) or `meta_data.datafast_visitor_id`, subscription first. */
function chargebeeVisitorId(data: Content): string | undefined {
  const field = (source: unknown) => (isRecord(source) ? { datafast_visitor_id: source.cf_datafast_visitor_id } : {});
  return visitorIdIn(
    field(data.subscription),
    data.subscription?.meta_data,
    field(data.customer),
    data.customer?.meta_data,
  );
}
