import * as z from "zod/mini";
import { isRecord } from "../shared/is-record.ts";
import { paddleAdjustmentPayment, paddleTransactionPayment } from "../shared/webhooks/paddle.ts";
import { idOf, itemList, readPage } from "./page.ts";
import type { ProviderApi } from "./provider-api.ts";
import type { Listed, Source, Window } from "./source.ts";

const list = z.object({
  data: itemList,
  meta: z.object({ pagination: z.object({ next: z.optional(z.nullable(z.string())), has_more: z.boolean() }) }),
});

/**
 * Paddle Billing: `GET /transactions` (completed, filtered by `billed_at`) and `GET /adjustments`
 * (approved refunds), both paged by following `meta.pagination.next` while `has_more`. Adjustments
 * cannot be filtered by date: they are listed newest first and the listing stops past the window.
 */
export const paddle: Source = {
  credentials: ["PADDLE_API_KEY"],
  apiUrl: () => "https://api.paddle.com",
  headers: (credentials) => ({ authorization: `Bearer ${credentials.PADDLE_API_KEY}` }),
  lists: (window, api) => ({ transactions: transactions(window, api), adjustments: adjustments(window, api) }),
};

async function* pages(
  api: ProviderApi,
  path: string,
  query: Record<string, string | number>,
): AsyncGenerator<unknown[]> {
  let next: string | undefined = path;
  let first = true;
  while (next) {
    const page: z.infer<typeof list> = readPage(list, (await api.get(next, first ? query : {})).body, `paddle ${path}`);
    first = false;
    yield page.data;
    next = page.meta.pagination.has_more ? (page.meta.pagination.next ?? undefined) : undefined;
  }
}

async function* transactions(window: Window, api: ProviderApi): AsyncGenerator<Listed> {
  const query = {
    status: "completed",
    "billed_at[GTE]": window.since.toISOString(),
    "billed_at[LT]": window.until.toISOString(),
    order_by: "billed_at[ASC]",
    per_page: 30,
  };
  for await (const data of pages(api, "/transactions", query)) {
    for (const item of data) {
      const event = { event_type: "transaction.completed", occurred_at: undefined, data: item };
      yield {
        kind: "payment",
        id: idOf(item, "id", "(transaction without id)"),
        map: () => paddleTransactionPayment(event),
      };
    }
  }
}

async function* adjustments(window: Window, api: ProviderApi): AsyncGenerator<Listed> {
  const query = { action: "refund", status: "approved", order_by: "id[DESC]", per_page: 50 };
  for await (const data of pages(api, "/adjustments", query)) {
    let older = 0;
    for (const item of data) {
      const created = Date.parse(isRecord(item) && typeof item.created_at === "string" ? item.created_at : "");
      if (created < window.since.getTime()) older += 1;
      if (created < window.since.getTime() || created >= window.until.getTime()) continue;
      const event = { event_type: "adjustment.updated", occurred_at: undefined, data: item };
      yield {
        kind: "refund",
        id: idOf(item, "id", "(adjustment without id)"),
        map: () => paddleAdjustmentPayment(event),
      };
    }
    // Newest first: a page wholly before the window means every later page is too.
    if (data.length > 0 && older === data.length) return;
  }
}
