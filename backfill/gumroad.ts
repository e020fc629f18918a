import * as z from "zod/mini";
import { isRecord } from "../shared/is-record.ts";
import { gumroadPingPayment } from "../shared/webhooks/gumroad.ts";
import { idOf, itemList, readPage } from "./page.ts";
import type { ProviderApi } from "./provider-api.ts";
import type { Listed, Source, Window } from "./source.ts";
import { happenedIn } from "./window.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

const list = z.object({ sales: itemList, next_page_key: z.optional(z.nullable(z.string())) });

/**
 * Gumroad: `GET /v2/sales` (scope `view_sales`), filtered by `after` (inclusive) and `before`
 * (exclusive) as UTC dates, 10 sales a page, newest first, the next page asked for by
 * `page_key=<next_page_key>` with the same filters. There is no refund list: a refund is a sale's
 * `refunded` flag, mapped as the refund ping is (the full sale's price, once refunded in full).
 */
export const gumroad: Source = {
  credentials: ["GUMROAD_ACCESS_TOKEN"],
  apiUrl: () => "https://api.gumroad.com",
  // Gumroad documents `access_token` as a parameter; its OAuth server takes the same token as a
  // Bearer header, which keeps it out of URLs (and of any log that prints them).
  headers: (credentials) => ({ authorization: `Bearer ${credentials.GUMROAD_ACCESS_TOKEN}` }),
  lists: (window, api) => ({ sales: sales(window, api) }),
};

async function* salePages(api: ProviderApi, window: Window) {
  // Whole days that cover the window; each sale is then kept by its own time.
  const range = {
    after: utcDate(window.since.getTime()),
    before: utcDate(window.until.getTime() - 1 + DAY_MS),
  };
  let pageKey: string | undefined;
  do {
    const body = readPage(
      list,
      (await api.get("/v2/sales", { ...range, page_key: pageKey })).body,
      "gumroad /v2/sales",
    );
    yield body.sales;
    pageKey = body.next_page_key ?? undefined;
  } while (pageKey);
}

async function* sales(window: Window, api: ProviderApi): AsyncGenerator<Listed> {
  for await (const page of salePages(api, window)) {
    for (const sale of page) {
      if (!happenedIn(isRecord(sale) ? sale.created_at : undefined, window)) continue;
      const id = idOf(sale, "id", "(sale without id)");
      yield { kind: "payment", id, map: () => gumroadPingPayment(pingFields(sale, "sale")) };
      // A partial refund is listed too: the shared mapping says why it is not recorded.
      if (isRecord(sale) && (sale.refunded === true || sale.partially_refunded === true)) {
        yield { kind: "refund", id, map: () => gumroadPingPayment(pingFields(sale, "refund")) };
      }
    }
  }
}

/**
 * A listed sale as the fields of its ping. The sale ping goes out when the sale is made, so it
 * is never `refunded`; the refund ping carries the sale's flag. The API returns no `url_params`,
 * so a backfilled sale has no visitor id.
 */
function pingFields(sale: unknown, resource: "sale" | "refund"): Record<string, string> {
  const item = isRecord(sale) ? sale : {};
  const field = (name: string) => {
    const value = item[name];
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
      ? String(value)
      : undefined;
  };
  const fields: Record<string, string | undefined> = {
    resource_name: resource,
    sale_id: field("id"),
    sale_timestamp: field("created_at"),
    price: field("price"),
    email: field("email"),
    full_name: field("full_name"),
    purchaser_id: field("purchaser_id"),
    is_recurring_charge: field("recurring_charge"),
    is_preorder_authorization: field("is_preorder_authorization"),
    refunded: resource === "refund" ? field("refunded") : "false",
  };
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function utcDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
