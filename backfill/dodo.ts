import * as z from "zod/mini";
import { dodoPaymentPayment, dodoRefundPayment } from "../shared/webhooks/dodo.ts";
import { idOf, itemList, readPage } from "./page.ts";
import type { ProviderApi } from "./provider-api.ts";
import type { Listed, Source, Window } from "./source.ts";

// Dodo's documented maximum page size.
const PAGE_SIZE = 100;

const list = z.object({ items: itemList });

/**
 * Dodo Payments: `GET /payments` and `GET /refunds` with `status=succeeded`, filtered by
 * `created_at_gte`/`created_at_lte`, paged with `page_number` (from 0) and `page_size`.
 */
export const dodo: Source = {
  credentials: ["DODO_API_KEY"],
  apiUrl: () => "https://live.dodopayments.com",
  headers: (credentials) => ({ authorization: `Bearer ${credentials.DODO_API_KEY}` }),
  lists: (window, api) => ({ payments: payments(window, api), refunds: refunds(window, api) }),
};

async function* pages(api: ProviderApi, path: string, window: Window) {
  // `created_at_lte` is inclusive: one millisecond before the window's (exclusive) end.
  const range = {
    created_at_gte: window.since.toISOString(),
    created_at_lte: new Date(window.until.getTime() - 1).toISOString(),
    status: "succeeded",
    page_size: PAGE_SIZE,
  };
  for (let page = 0; ; page++) {
    const body = readPage(list, (await api.get(path, { ...range, page_number: page })).body, `dodo ${path}`);
    yield body.items;
    if (body.items.length < PAGE_SIZE) return;
  }
}

async function* payments(window: Window, api: ProviderApi): AsyncGenerator<Listed> {
  for await (const items of pages(api, "/payments", window)) {
    for (const item of items) {
      const event = { type: "payment.succeeded", timestamp: undefined, data: item };
      yield {
        kind: "payment",
        id: idOf(item, "payment_id", "(payment without id)"),
        map: () => dodoPaymentPayment(event),
      };
    }
  }
}

async function* refunds(window: Window, api: ProviderApi): AsyncGenerator<Listed> {
  for await (const items of pages(api, "/refunds", window)) {
    for (const item of items) {
      const event = { type: "refund.succeeded", timestamp: undefined, data: item };
      yield { kind: "refund", id: idOf(item, "refund_id", "(refund without id)"), map: () => dodoRefundPayment(event) };
    }
  }
}
