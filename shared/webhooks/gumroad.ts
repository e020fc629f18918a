import * as z from "zod/mini";
import { decodeUtf8 } from "../body.ts";
import { amountFromMinorUnits } from "./amount.ts";
import { ignored, parseEvent, payment, refundTransactionId, text, type WebhookResult } from "./event.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";
import { verifyUrlToken } from "./url-token.ts";

// Form fields are strings; booleans arrive as "true"/"false".
const sale = z.lazy(() =>
  z.object({
    sale_id: z.string(),
    sale_timestamp: text,
    price: z.string().check(z.regex(/^\d+$/, 'Expected an amount in USD cents, such as "1999"')),
    email: text,
    full_name: text,
    purchaser_id: text,
    resource_name: text,
    is_recurring_charge: text,
    is_preorder_authorization: text,
    refunded: text,
    "url_params[datafast_visitor_id]": text,
  }),
);

/**
 * The resources whose pings are money: an allow-list, so a resource Gumroad adds later (or one
 * like `dispute` that carries a sale's price but moved no money) is ignored, never recorded.
 */
const moneyResources = new Set(["sale", "refund"]);

/**
 * Gumroad: a form-encoded ping with no signature, authenticated by `?token=` in the ping URL.
 * Product-URL query parameters come back as `url_params[name]`, which is how the visitor id travels.
 *
 * `price` is in USD cents whatever the product's currency: "The price paid, in USD cents"
 * (https://gumroad.com/ping), and Gumroad's source sets it so (antiwork/gumroad,
 * app/models/purchase.rb: `self.price_cents = displayed_price_usd_cents`). The ping's `currency` is
 * the product's display currency (`link.price_currency_type` in app/modules/purchase/
 * ping_notification.rb), not the price's: at 1.085 USD per EUR a 10 EUR product pings
 * `price=1085&currency=eur`. So every amount is recorded in USD, as Gumroad charged it (Gumroad
 * "charges and refunds customers in USD", help.gumroad.com/article/47), and `currency` is unread.
 */
export const gumroad: WebhookProvider = {
  ...providerSettings.gumroad,
  verify: verifyUrlToken,
  read: ({ body }) => gumroadPingPayment(Object.fromEntries(new URLSearchParams(decodeUtf8(body)))),
};

/** A ping's fields (or a sale of `GET /v2/sales` written as them) mapped to the payment they mean. */
export function gumroadPingPayment(fields: Record<string, string>): WebhookResult {
  // The classic Ping (Settings → Advanced) names no resource: it is a sale.
  const resource = fields.resource_name ?? "sale";
  if (!moneyResources.has(resource)) {
    return ignored(resource, `Gumroad ${resource} ping is not a payment`);
  }
  const data = parseEvent(sale, fields);
  if (data.is_preorder_authorization === "true") {
    return ignored(resource, "Pre-order authorization: the card is charged at release, not now");
  }
  // A refund ping is the sale's ping sent again: `price` is the sale's, not the amount returned, and
  // `refunded` is true only once the sale is refunded in full. Gumroad pings every refund, partial
  // ones included, with no refund id or amount (antiwork/gumroad, app/modules/purchase/refundable.rb
  // and ping_notification.rb: `refunded: stripe_refunded`). So only the full refund is recorded, for
  // the sale's price, which by then is all the partial refunds together.
  const refunded = data.refunded === "true";
  if (resource === "refund" && !refunded) {
    return ignored(resource, "Partial refund: Gumroad's ping does not say how much; recorded once refunded in full");
  }
  return payment(resource, {
    amount: amountFromMinorUnits(data.price, "USD"),
    currency: "USD",
    // A sale is refunded in full once: one id derived from the sale keeps the refund apart from it.
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
