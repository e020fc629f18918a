import * as z from "zod/mini";
import { parseJson } from "../body.ts";
import { toMajorUnits, toMinorUnits } from "../currency.ts";
import { HttpError } from "../http-error.ts";
import { amountFromDecimal, unmappable } from "./amount.ts";
import { ignored, parseEvent, payment, refundTransactionId, text, type WebhookResult } from "./event.ts";
import { verifyHmacSignature } from "./hmac-signature.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";

// Decimal strings per Shopify's docs ("403.00"); numbers tolerated in case an API version sends them.
const decimal = z.lazy(() => z.union([z.string(), z.number()]));

const order = z.lazy(() =>
  z.object({
    // Order and customer ids exceed 2^53, so the numeric `id` is not exact once parsed as JSON;
    // the GraphQL id string carries the same number intact.
    admin_graphql_api_id: z.string(),
    total_price: decimal,
    currency: z.string(),
    email: text,
    contact_email: text,
    processed_at: text,
    created_at: text,
    source_name: text,
    note_attributes: z.optional(z.nullable(z.array(z.object({ name: z.string(), value: z.optional(z.unknown()) })))),
    customer: z.optional(
      z.nullable(z.object({ admin_graphql_api_id: text, email: text, first_name: text, last_name: text })),
    ),
  }),
);

const refund = z.lazy(() =>
  z.object({
    admin_graphql_api_id: z.string(),
    processed_at: text,
    created_at: text,
    transactions: z.array(z.object({ kind: z.string(), status: z.string(), amount: decimal, currency: z.string() })),
  }),
);

/**
 * Shopify: `X-Shopify-Hmac-SHA256`, an HMAC-SHA256 (base64) of the body; the event is the
 * `X-Shopify-Topic` header. The visitor id travels as a cart attribute, returned in the order's
 * `note_attributes`.
 */
export const shopify: WebhookProvider = {
  ...providerSettings.shopify,
  verify: verifyHmacSignature({ header: "x-shopify-hmac-sha256", algorithm: "sha256", encoding: "base64" }),
  read: ({ headers, body }) => {
    const topic = headers.get("x-shopify-topic");
    if (!topic) throw new HttpError(400, "Missing X-Shopify-Topic header");
    return readShopifyEvent(topic, parseJson(body));
  },
};

function readShopifyEvent(topic: string, json: unknown): WebhookResult {
  switch (topic) {
    case "orders/paid":
      return shopifyOrderPayment(json);
    case "refunds/create":
      return shopifyRefundPayment(json);
    default:
      return ignored(topic, `Topic ${topic} is not a payment`);
  }
}

/** A paid order (the body of orders/paid, or one order of `GET orders.json`). */
export function shopifyOrderPayment(json: unknown): WebhookResult {
  const data = parseEvent(order, json);
  const customer = data.customer;
  const name = [customer?.first_name, customer?.last_name].filter(Boolean).join(" ");
  return payment("orders/paid", {
    amount: amountFromDecimal(data.total_price, data.currency),
    currency: data.currency,
    transaction_id: numericId(data.admin_graphql_api_id),
    // Orders placed by a subscription app's billing attempt (unconfirmed beyond Shopify's docs).
    renewal: data.source_name === "subscription_contract",
    datafast_visitor_id: noteAttribute(data.note_attributes, "datafast_visitor_id"),
    email: data.email ?? data.contact_email ?? customer?.email,
    name,
    customer_id: customer?.admin_graphql_api_id ? numericId(customer.admin_graphql_api_id) : undefined,
    timestamp: data.processed_at ?? data.created_at,
  });
}

/** A refund (the body of refunds/create, or one of an order's `refunds` in `GET orders.json`). */
export function shopifyRefundPayment(json: unknown): WebhookResult {
  const topic = "refunds/create";
  const data = parseEvent(refund, json);
  // A refund may only restock items; the money is in its successful `refund` transactions.
  const paidBack = data.transactions.filter((entry) => entry.kind === "refund" && entry.status === "success");
  const [first] = paidBack;
  if (!first) return ignored(topic, "Refund returned no money (no successful refund transaction)");
  return payment(topic, {
    amount: sumAmounts(paidBack),
    currency: first.currency,
    // Refund and order ids are both bare numbers: prefixed, one can never stand for the other.
    transaction_id: refundTransactionId(numericId(data.admin_graphql_api_id)),
    refunded: true,
    timestamp: data.processed_at ?? data.created_at,
  });
}

/** `gid://shopify/Order/820982911946154508` -> `820982911946154508`, the id the admin shows. */
function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

function noteAttribute(attributes: { name: string; value?: unknown }[] | null | undefined, name: string) {
  const value = attributes?.find((attribute) => attribute.name === name)?.value;
  return typeof value === "string" ? value : undefined;
}

/** Adds decimal amounts in integer minor units, so three refunds of 0.10 make exactly 0.3. */
function sumAmounts(transactions: { amount: string | number; currency: string }[]): number {
  return unmappable(() => {
    const currency = transactions[0]?.currency ?? "";
    if (transactions.some((entry) => entry.currency !== currency)) {
      throw new RangeError("refund transactions are in different currencies");
    }
    const total = transactions.reduce((sum, entry) => sum + toMinorUnits(entry.amount, currency), 0n);
    return toMajorUnits(total, currency);
  });
}
