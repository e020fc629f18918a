import * as z from "zod/mini";
import { isRecord } from "../shared/is-record.ts";
import { ignored } from "../shared/webhooks/event.ts";
import { whopPaymentPayment, whopRefundPayment } from "../shared/webhooks/whop.ts";
import { idOf, itemList, readPage, unmappableListed } from "./page.ts";
import { ListingError, type ProviderApi } from "./provider-api.ts";
import type { Listed, Source, Window } from "./source.ts";

const FIRST = 50;

const list = z.object({
  data: itemList,
  page_info: z.object({ end_cursor: z.optional(z.nullable(z.string())), has_next_page: z.boolean() }),
});

/**
 * Whop (API v1, the shapes its webhooks send): `GET /payments` and `GET /refunds`, filtered by
 * `created_after`/`created_before`, paged by cursor (`first`, `after=<page_info.end_cursor>`) while
 * `page_info.has_next_page`. A company API key lists its own company. A refund lists its payment by
 * id only, where the webhook carries the payment (its metadata holds the visitor id): so does this.
 */
export const whop: Source = {
  credentials: ["WHOP_API_KEY"],
  apiUrl: () => "https://api.whop.com/api/v1",
  headers: (credentials) => ({ authorization: `Bearer ${credentials.WHOP_API_KEY}` }),
  lists: (window, api) => {
    const seen = new Map<string, unknown>();
    return { payments: payments(window, api, seen), refunds: refunds(window, api, seen) };
  },
};

async function* pages(api: ProviderApi, path: string, window: Window) {
  const range = {
    created_after: new Date(window.since.getTime() - 1).toISOString(),
    created_before: window.until.toISOString(),
    first: FIRST,
  };
  let after: string | undefined;
  for (;;) {
    const body = readPage(list, (await api.get(path, { ...range, after })).body, `whop ${path}`);
    yield body.data;
    if (!body.page_info.has_next_page || !body.page_info.end_cursor) return;
    after = body.page_info.end_cursor;
  }
}

async function* payments(window: Window, api: ProviderApi, seen: Map<string, unknown>): AsyncGenerator<Listed> {
  for await (const data of pages(api, "/payments", window)) {
    for (const item of data) {
      const id = idOf(item, "id", "(payment without id)");
      seen.set(id, item);
      const status = isRecord(item) ? String(item.status) : "";
      // Paid is what payment.succeeded announces (a refunded payment stays paid, its refund apart).
      yield status === "paid"
        ? { kind: "payment", id, map: () => whopPaymentPayment({ type: "payment.succeeded", data: item }) }
        : {
            kind: "payment",
            id,
            map: () => ignored("payment.succeeded", `Payment is ${status.slice(0, 30)}, not paid`),
          };
    }
  }
}

async function* refunds(window: Window, api: ProviderApi, seen: Map<string, unknown>): AsyncGenerator<Listed> {
  for await (const data of pages(api, "/refunds", window)) {
    for (const item of data) {
      const id = idOf(item, "id", "(refund without id)");
      const paymentId = isRecord(item) && isRecord(item.payment) ? idOf(item.payment, "id", "") : "";
      try {
        const paid = paymentId
          ? (seen.get(paymentId) ?? (await api.get(`/payments/${encodeURIComponent(paymentId)}`)).body)
          : undefined;
        const refund = isRecord(item) && paid !== undefined ? { ...item, payment: paid } : item;
        yield { kind: "refund", id, map: () => whopRefundPayment({ type: "refund.updated", data: refund }) };
      } catch (error) {
        if (!(error instanceof ListingError)) throw error;
        yield unmappableListed("refund", id, `The payment it refunds could not be read: ${error.message}`);
      }
    }
  }
}
