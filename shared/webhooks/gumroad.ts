import * as z from "zod/mini";
import { decodeUtf8 } from "../body.ts";
import { amountFromMinorUnits } from "./amount.ts";
import { ignored, parseEvent, payment, refundTransactionId, text, type WebhookResult } from "./event.ts";
import type { WebhookProvider } from "./providers.ts";
import { verifyUrlToken } from "./url-token.ts";

// Form fields are strings; booleans arrive as "true"/"false".
const sale = z.object({
  sale_id: z.string(),
  sale_timestamp: text,
  price: z.string().check(z.regex(/^\d+$/, 'Expected an amount in cents, such as "1999"')),
  currency: z.string(),
  email: text,
  full_name: text,
  purchaser_id: text,
  resource_name: text,
  is_recurring_charge: text,
  is_preorder_authorization: text,
  refunded: text,
  "url_params[datafast_visitor_id]": text,
});

/**
 * The resources whose pings are money: an allow-list, so a resource Gumroad adds later (or one
 * like `dispute` that carries a sale's price but moved no money) is ignored, never recorded.
 */
const moneyResources = new Set(["sale", "refund"]);

/**
 * Gumroad: a form-encoded ping with no signature, authenticated by `?token=` in the ping URL.
 * `price` is in cents of `currency` (lower-case); product-URL query parameters come back as
 * `url_params[name]`, which is how the visitor id travels.
 */
export const gumroad: WebhookProvider = {
  secretName: "GUMROAD_WEBHOOK_TOKEN",
  verify: verifyUrlToken,
  read: ({ body }) => readGumroadPing(Object.fromEntries(new URLSearchParams(decodeUtf8(body)))),
};

function readGumroadPing(fields: Record<string, string>): WebhookResult {
  // The classic Ping (Settings → Advanced) names no resource: it is a sale.
  const resource = fields.resource_name ?? "sale";
  if (!moneyResources.has(resource)) {
    return ignored(resource.slice(0, 60), `Gumroad ${resource.slice(0, 60)} ping is not a payment`);
  }
  const data = parseEvent(sale, fields);
  if (data.is_preorder_authorization === "true") {
    return ignored(resource, "Pre-order authorization: the card is charged at release, not now");
  }
  const refunded = resource === "refund" || data.refunded === "true";
  return payment(resource, {
    amount: amountFromMinorUnits(data.price, data.currency),
    currency: data.currency,
    // Gumroad gives a refund no id of its own: one derived from the sale keeps it apart from the sale.
    transaction_id: refunded ? refundTransactionId(data.sale_id) : data.sale_id,
    refunded,
    renewal: data.is_recurring_charge === "true",
    datafast_visitor_id: data["url_params[datafast_visitor_id]"],
    email: data.email,
    name: data.full_name,
    customer_id: data.purchaser_id,
    // The sale's time would misdate the refund: DataFast stamps it on arrival instead.
    timestamp: refunded ? undefined : data.sale_timestamp,
  });
}
