import * as z from "zod/mini";
import { isRecord } from "../shared/is-record.ts";
import { issueMessage } from "../shared/issue-messages.ts";
import { creemCheckoutPayment, creemSubscriptionPayment } from "../shared/webhooks/creem.ts";
import { ignored } from "../shared/webhooks/event.ts";
import { idOf, itemList, readPage, unmappableListed } from "./page.ts";
import { ListingError, type ProviderApi } from "./provider-api.ts";
import type { Listed, Source, Window } from "./source.ts";
import { happenedIn } from "./window.ts";

const PAGE_SIZE = 100;

const list = z.object({
  items: itemList,
  pagination: z.object({ next_page: z.optional(z.nullable(z.number())) }),
});

const transaction = z.object({
  id: z.string(),
  amount: z.unknown(),
  currency: z.unknown(),
  status: z.string(),
  order: z.optional(z.nullable(z.string())),
  subscription: z.optional(z.nullable(z.string())),
  customer: z.optional(z.unknown()),
  period_start: z.optional(z.nullable(z.number())),
  created_at: z.number(),
});

/** Transaction states in which money was taken (a refunded or charged-back one was paid first). */
const paidStates = new Set(["paid", "refunded", "partialRefund", "chargedBack"]);

/**
 * Creem: `GET /v1/transactions/search` with `x-api-key`, paged by `page_number` (from 1) and
 * `page_size` until `pagination.next_page` is null. It filters by no date: every page is read and
 * transactions are kept by `created_at` (epoch milliseconds). A subscription's transaction reads its
 * subscription (`GET /v1/subscriptions?subscription_id=`), as the webhook's subscription.paid
 * carries it: its metadata holds the visitor id, and its dates tell a renewal from the first
 * payment, which the webhook records from checkout.completed under the order id.
 *
 * Refunds are not listed: Creem's API has no refund list, and a refund's own id (the
 * `transaction_id` its refund.created webhook records) appears nowhere else, so one recorded here
 * under another id would be counted twice. A refunded transaction is counted as skipped, saying so.
 */
export const creem: Source = {
  credentials: ["CREEM_API_KEY"],
  apiUrl: () => "https://api.creem.io",
  headers: (credentials) => ({ "x-api-key": credentials.CREEM_API_KEY ?? "" }),
  lists: (window, api) => ({ transactions: transactions(window, api) }),
};

async function* transactionPages(api: ProviderApi) {
  for (let page: number | null | undefined = 1; page; ) {
    const body: z.infer<typeof list> = readPage(
      list,
      (await api.get("/v1/transactions/search", { page_number: page, page_size: PAGE_SIZE })).body,
      "creem /v1/transactions/search",
    );
    yield body.items;
    page = body.items.length > 0 ? body.pagination.next_page : undefined;
  }
}

async function* transactions(window: Window, api: ProviderApi): AsyncGenerator<Listed> {
  const subscriptions = new Map<string, Promise<unknown>>();
  const subscriptionOf = (id: string) => {
    let found = subscriptions.get(id);
    if (!found) {
      found = api.get("/v1/subscriptions", { subscription_id: id }).then((page) => page.body);
      subscriptions.set(id, found);
    }
    return found;
  };
  for await (const items of transactionPages(api)) {
    for (const item of items) {
      if (!happenedIn(isRecord(item) ? item.created_at : undefined, window)) continue;
      const id = idOf(item, "id", "(transaction without id)");
      const parsed = transaction.safeParse(item);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => issueMessage(issue, item, { at: ["transaction"] }));
        yield unmappableListed("payment", id, `Unexpected transaction: ${problems.join("; ").slice(0, 300)}`);
        continue;
      }
      const paid = parsed.data;
      if (!paidStates.has(paid.status)) {
        yield { kind: "payment", id, map: () => ignored("transaction", `Transaction is ${paid.status.slice(0, 30)}`) };
        continue;
      }
      yield await paymentOf(paid, id, subscriptionOf);
      if (paid.status === "refunded" || paid.status === "partialRefund") {
        const reason = "Creem lists no refunds by their own id: recorded from the refund.created webhook only";
        yield { kind: "refund", id, map: () => ignored("refund.created", reason) };
      }
    }
  }
}

/** The first payment (recorded as its checkout's order) or a renewal, as the webhooks record it. */
async function paymentOf(
  paid: z.infer<typeof transaction>,
  id: string,
  subscriptionOf: (id: string) => Promise<unknown>,
): Promise<Listed> {
  if (!paid.subscription)
    return { kind: "payment", id, map: () => creemCheckoutPayment(checkoutEvent(paid, undefined)) };
  let subscription: unknown;
  try {
    subscription = await subscriptionOf(paid.subscription);
  } catch (error) {
    if (!(error instanceof ListingError)) throw error;
    return unmappableListed("payment", id, `Its subscription could not be read: ${error.message}`);
  }
  const renewal = {
    eventType: "subscription.paid",
    created_at: paid.created_at,
    object: {
      ...(isRecord(subscription) ? subscription : {}),
      last_transaction_id: paid.id,
      last_transaction_date: new Date(paid.created_at).toISOString(),
      current_period_start_date: new Date(paid.period_start ?? paid.created_at).toISOString(),
    },
  };
  return {
    kind: "payment",
    id,
    map: () => {
      // The subscription's first period is its checkout's order, as checkout.completed records it.
      const result = creemSubscriptionPayment(renewal);
      return result.kind === "ignored" ? creemCheckoutPayment(checkoutEvent(paid, subscription)) : result;
    },
  };
}

/** A transaction written as the checkout.completed event of its order. */
function checkoutEvent(paid: z.infer<typeof transaction>, subscription: unknown) {
  const subscribed = isRecord(subscription) ? subscription : {};
  return {
    eventType: "checkout.completed",
    created_at: paid.created_at,
    object: {
      order: { id: paid.order, amount: paid.amount, currency: paid.currency },
      customer: subscribed.customer ?? paid.customer,
      metadata: subscribed.metadata,
    },
  };
}
