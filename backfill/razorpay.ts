import * as z from "zod/mini";
import { isRecord } from "../shared/is-record.ts";
import { ignored } from "../shared/webhooks/event.ts";
import { razorpayPaymentResult, razorpayRefundResult } from "../shared/webhooks/razorpay.ts";
import { idOf, itemList, readPage, unmappableListed } from "./page.ts";
import { ListingError, type ProviderApi } from "./provider-api.ts";
import type { Listed, Source, Window } from "./source.ts";

// Razorpay's documented maximum per page.
const COUNT = 100;

const collection = z.object({ items: itemList });
const invoice = z.object({
  subscription_id: z.optional(z.nullable(z.string())),
  paid_at: z.optional(z.nullable(z.number())),
});
const subscriptionInvoice = z.object({ status: z.string(), paid_at: z.optional(z.nullable(z.number())) });
const subscription = z.object({ notes: z.optional(z.unknown()) });

/** Payment states in which money was taken (a refunded payment was captured first). */
const capturedStates = new Set(["captured", "refunded"]);

/**
 * Razorpay: `GET /v1/payments` and `GET /v1/refunds`, `from`/`to` in unix seconds, paged with
 * `count` (at most 100) and `skip`. A subscription charge is a renewal when its invoice is not the
 * subscription's first paid one, which is what `paid_count` tells the webhook.
 */
export const razorpay: Source = {
  credentials: ["RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET"],
  apiUrl: () => "https://api.razorpay.com",
  headers: (credentials) => ({
    authorization: `Basic ${Buffer.from(`${credentials.RAZORPAY_KEY_ID}:${credentials.RAZORPAY_KEY_SECRET}`).toString("base64")}`,
  }),
  lists: (window, api) => {
    const seen = new Map<string, unknown>();
    return { payments: payments(window, api, seen), refunds: refunds(window, api, seen) };
  },
};

async function* collectionItems(api: ProviderApi, path: string, window: Window): AsyncGenerator<unknown> {
  const range = { from: Math.floor(window.since.getTime() / 1000), to: Math.ceil(window.until.getTime() / 1000) - 1 };
  for (let skip = 0; ; skip += COUNT) {
    const page = readPage(collection, (await api.get(path, { ...range, count: COUNT, skip })).body, `razorpay ${path}`);
    yield* page.items;
    if (page.items.length < COUNT) return;
  }
}

async function* payments(window: Window, api: ProviderApi, seen: Map<string, unknown>): AsyncGenerator<Listed> {
  const renewals = subscriptionCharges(api);
  for await (const item of collectionItems(api, "/v1/payments", window)) {
    const id = idOf(item, "id", "(payment without id)");
    seen.set(id, item);
    const status = isRecord(item) ? String(item.status) : "";
    if (!capturedStates.has(status)) {
      yield { kind: "payment", id, map: () => ignored("payment", `Payment is ${status.slice(0, 30)}, not captured`) };
      continue;
    }
    const invoiceId = isRecord(item) && typeof item.invoice_id === "string" ? item.invoice_id : undefined;
    try {
      const charge = invoiceId ? await renewals(invoiceId) : undefined;
      const payload = { payment: { entity: item }, ...(charge && { subscription: { entity: charge.subscription } }) };
      yield { kind: "payment", id, map: () => razorpayPaymentResult("payment", payload, charge?.renewal ?? false) };
    } catch (error) {
      if (!(error instanceof ListingError)) throw error;
      yield unmappableListed("payment", id, `Its invoice or subscription could not be read: ${error.message}`);
    }
  }
}

async function* refunds(window: Window, api: ProviderApi, seen: Map<string, unknown>): AsyncGenerator<Listed> {
  for await (const item of collectionItems(api, "/v1/refunds", window)) {
    const id = idOf(item, "id", "(refund without id)");
    const status = isRecord(item) ? String(item.status) : "";
    if (status !== "processed") {
      yield { kind: "refund", id, map: () => ignored("refund", `Refund is ${status.slice(0, 30)}, not processed`) };
      continue;
    }
    // The webhook's refund.processed carries the payment (its notes hold the visitor id): so does this.
    const paymentId = isRecord(item) && typeof item.payment_id === "string" ? item.payment_id : undefined;
    try {
      const paid = paymentId
        ? (seen.get(paymentId) ?? (await api.get(`/v1/payments/${encodeURIComponent(paymentId)}`)).body)
        : undefined;
      const payload = { refund: { entity: item }, ...(paid !== undefined && { payment: { entity: paid } }) };
      yield { kind: "refund", id, map: () => razorpayRefundResult("refund", payload) };
    } catch (error) {
      if (!(error instanceof ListingError)) throw error;
      yield unmappableListed("refund", id, `The payment it refunds could not be read: ${error.message}`);
    }
  }
}

/** For an invoice's payment: the subscription it charges (if any) and whether it is a renewal. */
function subscriptionCharges(api: ProviderApi) {
  const invoicesBySubscription = new Map<string, Promise<{ paidAt: number[]; subscription: unknown }>>();
  const load = async (subscriptionId: string) => {
    const where = `razorpay subscription ${subscriptionId}`;
    const path = `/v1/subscriptions/${encodeURIComponent(subscriptionId)}`;
    const subscriptionBody = (await api.get(path)).body;
    readPage(subscription, subscriptionBody, where);
    const listed = readPage(
      collection,
      (await api.get("/v1/invoices", { subscription_id: subscriptionId, count: COUNT })).body,
      where,
    );
    const paidAt = listed.items.flatMap((entry) => {
      const parsed = subscriptionInvoice.safeParse(entry);
      return parsed.success && parsed.data.status === "paid" && typeof parsed.data.paid_at === "number"
        ? [parsed.data.paid_at]
        : [];
    });
    return { paidAt, subscription: subscriptionBody };
  };
  return async (invoiceId: string): Promise<{ renewal: boolean; subscription: unknown } | undefined> => {
    const found = readPage(
      invoice,
      (await api.get(`/v1/invoices/${encodeURIComponent(invoiceId)}`)).body,
      `razorpay invoice ${invoiceId}`,
    );
    if (!found.subscription_id) return undefined;
    let invoices = invoicesBySubscription.get(found.subscription_id);
    if (!invoices) {
      invoices = load(found.subscription_id);
      invoicesBySubscription.set(found.subscription_id, invoices);
    }
    const { paidAt, subscription: entity } = await invoices;
    // paid_count as the webhook saw it: the paid invoices up to and including this one.
    const paidCount = paidAt.filter((time) => time <= (found.paid_at ?? Number.POSITIVE_INFINITY)).length;
    return { renewal: paidCount > 1, subscription: entity };
  };
}
