import * as z from "zod/mini";
import { isRecord } from "../shared/is-record.ts";
import { ignored } from "../shared/webhooks/event.ts";
import { shopifyOrderPayment, shopifyRefundPayment } from "../shared/webhooks/shopify.ts";
import { idOf, itemList, readPage } from "./page.ts";
import type { ProviderApi } from "./provider-api.ts";
import { SettingsError } from "./settings.ts";
import type { Listed, Source, Window } from "./source.ts";
import { happenedIn } from "./window.ts";

// A stable Admin API version; Shopify answers a retired one with the oldest supported version.
const API_VERSION = "2025-10";
// Shopify's documented maximum per page.
const LIMIT = 250;

const list = z.object({ orders: itemList });

/** Financial states of an order that was paid (refunded ones were paid first). */
const paidStates = new Set(["paid", "partially_refunded", "refunded"]);

/** A shop's handle (`my-shop`) or its myshopify.com domain: nothing else gets the token. */
const shopName = /^[a-z0-9][a-z0-9-]*(\.myshopify\.com)?$/i;

/**
 * Shopify Admin REST: `GET /admin/api/<version>/orders.json?status=any`, paged by the `Link`
 * header's `rel="next"` URL (its `page_info` cursor). Refunds are listed inside each order. Orders
 * are asked for by `updated_at_min`, as a refund updates its order: an order paid before the window
 * and refunded inside it is found too; orders and refunds are then kept by their own time.
 */
export const shopify: Source = {
  credentials: ["SHOPIFY_SHOP", "SHOPIFY_ADMIN_TOKEN"],
  apiUrl: (credentials) => {
    const shop = credentials.SHOPIFY_SHOP ?? "";
    if (!shopName.test(shop))
      throw new SettingsError("SHOPIFY_SHOP must be the shop's handle or my-shop.myshopify.com");
    return `https://${shop.replace(/\.myshopify\.com$/i, "")}.myshopify.com`;
  },
  headers: (credentials) => ({ "x-shopify-access-token": credentials.SHOPIFY_ADMIN_TOKEN ?? "" }),
  lists: (window, api) => ({ orders: orders(window, api) }),
};

async function* orderPages(api: ProviderApi, window: Window) {
  const path = `/admin/api/${API_VERSION}/orders.json`;
  let page = await api.get(path, { status: "any", updated_at_min: window.since.toISOString(), limit: LIMIT });
  for (;;) {
    yield readPage(list, page.body, "shopify orders.json").orders;
    // A next-page URL carries its cursor and must be followed as given (Shopify refuses other filters with it).
    const next = nextLink(page.headers.get("link"));
    if (!next) return;
    page = await api.get(next);
  }
}

async function* orders(window: Window, api: ProviderApi): AsyncGenerator<Listed> {
  for await (const page of orderPages(api, window)) {
    for (const order of page) {
      const id = idOf(order, "admin_graphql_api_id", idOf(order, "id", "(order without id)"));
      const status = isRecord(order) ? String(order.financial_status) : "";
      if (within(order, window)) {
        yield paidStates.has(status)
          ? { kind: "payment", id, map: () => shopifyOrderPayment(order) }
          : { kind: "payment", id, map: () => ignored("orders/paid", `Order is ${status.slice(0, 30)}, not paid`) };
      }
      const refunds = isRecord(order) && Array.isArray(order.refunds) ? order.refunds : [];
      for (const refund of refunds) {
        if (!within(refund, window)) continue;
        const refundId = idOf(refund, "admin_graphql_api_id", idOf(refund, "id", `(refund of ${id})`));
        yield { kind: "refund", id: refundId, map: () => shopifyRefundPayment(refund) };
      }
    }
  }
}

/** Whether an order or refund happened in the window, by the time its webhook mapping records. */
function within(item: unknown, window: Window): boolean {
  return happenedIn(isRecord(item) ? (item.processed_at ?? item.created_at) : undefined, window);
}

/** The `rel="next"` URL of a `Link` header (`<https://…page_info=…>; rel="next", <…>; rel="previous"`). */
function nextLink(header: string | null): string | undefined {
  for (const part of header?.split(",") ?? []) {
    const match = /^\s*<([^>]+)>\s*;\s*rel="?next"?\s*$/i.exec(part);
    if (match) return match[1];
  }
  return undefined;
}
