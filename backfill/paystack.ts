import * as z from "zod/mini";
import { isRecord } from "../shared/is-record.ts";
import { ignored } from "../shared/webhooks/event.ts";
import { paystackChargePayment, paystackRefundPayment } from "../shared/webhooks/paystack.ts";
import { idOf, itemList, readPage } from "./page.ts";
import type { ProviderApi } from "./provider-api.ts";
import type { Listed, Source, Window } from "./source.ts";

const PER_PAGE = 100;

const list = z.object({ data: itemList, meta: z.object({ pageCount: z.number() }) });

/**
 * Paystack: `GET /transaction?status=success` and `GET /refund`, `from`/`to` as ISO times, paged
 * with `page` and `perPage` up to `meta.pageCount`.
 */
export const paystack: Source = {
  credentials: ["PAYSTACK_SECRET_KEY"],
  apiUrl: () => "https://api.paystack.co",
  headers: (credentials) => ({ authorization: `Bearer ${credentials.PAYSTACK_SECRET_KEY}` }),
  lists: (window, api) => ({ transactions: transactions(window, api), refunds: refunds(window, api) }),
};

async function* pages(api: ProviderApi, path: string, window: Window, query: Record<string, string> = {}) {
  const range = { from: window.since.toISOString(), to: window.until.toISOString(), perPage: PER_PAGE };
  for (let page = 1; ; page++) {
    const body = readPage(list, (await api.get(path, { ...query, ...range, page })).body, `paystack ${path}`);
    yield body.data;
    if (page >= body.meta.pageCount || body.data.length === 0) return;
  }
}

async function* transactions(window: Window, api: ProviderApi): AsyncGenerator<Listed> {
  for await (const data of pages(api, "/transaction", window, { status: "success" })) {
    for (const item of data) {
      const event = { event: "charge.success", data: item };
      yield {
        kind: "payment",
        id: idOf(item, "reference", idOf(item, "id", "(transaction without reference)")),
        map: () => paystackChargePayment(event),
      };
    }
  }
}

async function* refunds(window: Window, api: ProviderApi): AsyncGenerator<Listed> {
  for await (const data of pages(api, "/refund", window)) {
    for (const item of data) {
      const id = idOf(item, "id", "(refund without id)");
      const status = isRecord(item) ? String(item.status) : "";
      if (status !== "processed") {
        yield { kind: "refund", id, map: () => ignored("refund", `Refund is ${status.slice(0, 30)}, not processed`) };
        continue;
      }
      // The list names the refunded transaction by its numeric id, where the webhook has an object.
      const data = isRecord(item) && !isRecord(item.transaction) ? { ...item, transaction: undefined } : item;
      yield { kind: "refund", id, map: () => paystackRefundPayment({ event: "refund.processed", data }) };
    }
  }
}
