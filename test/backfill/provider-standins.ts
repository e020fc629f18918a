import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Loopback stand-ins of the providers' list APIs, written from each provider's documented
 * response shapes and pagination (independent of the backfill's code), with a rate limit of their
 * own: every third request is answered 429 with `Retry-After: 0`.
 */

const DAY = Date.parse("2025-01-02T00:00:00Z");
const HOUR = 3_600_000;
const VISITOR = "3f1c2b9e-5d7a-4c1e-9f00-1a2b3c4d5e6f";
const currencies = [
  ["USD", 2],
  ["JPY", 0],
  ["KWD", 3],
] as const;

/** `minor` as the decimal string the providers that send major units write ("20.13", "2013", "2.013"). */
function decimal(minor: number, currency: string): string {
  const exponent = currencies.find(([code]) => code === currency)?.[1] ?? 2;
  return (minor / 10 ** exponent).toFixed(exponent);
}

/** What DataFast must end up with for one listed object. */
interface ExpectedPayment {
  transaction_id: string;
  amount: number;
  currency: string;
  refunded: boolean;
  visitor: boolean;
  renewal?: boolean;
}

export interface ProviderData {
  payments: Record<string, unknown>[];
  refunds: Record<string, unknown>[];
  /** Razorpay's invoices and subscriptions, by id. */
  extra: Map<string, unknown>;
  expected: ExpectedPayment[];
  /** Listed objects that are not money, by the reason the run gives: reason -> count. */
  skipped: Record<string, number>;
}

/** `count` payments over three currencies (0, 2 and 3 decimals), every 10th refunded by half. */
export function dataset(provider: string, count: number): ProviderData {
  if (provider === "gumroad") return gumroadSales(count);
  if (provider === "creem") return creemTransactions(count);
  const data: ProviderData = { payments: [], refunds: [], extra: new Map(), expected: [], skipped: {} };
  for (let i = 0; i < count; i++) {
    const [currency, exponent] = currencies[i % currencies.length] ?? currencies[0];
    const minor = 1999 + i * 7;
    const time = DAY + i * HOUR;
    const visitor = i % 2 === 0;
    const ids = objectIds(provider, i);
    data.payments.push(paymentShape(provider, i, ids.payment, minor, currency, time, visitor));
    data.expected.push({
      transaction_id: ids.paymentTransaction,
      amount: minor / 10 ** exponent,
      currency,
      refunded: false,
      visitor,
    });
    if (i % 10 === 5) {
      const refundMinor = Math.floor(minor / 2);
      data.refunds.push(refundShape(provider, i, ids, refundMinor, currency, time + HOUR / 2, visitor));
      data.expected.push({
        transaction_id: ids.refundTransaction,
        amount: refundMinor / 10 ** exponent,
        currency,
        refunded: true,
        // Refund payloads carry the checkout metadata only where the provider's refund (or its payment) has it.
        visitor: visitor && ["razorpay", "dodo", "whop"].includes(provider),
      });
    }
  }
  if (provider === "razorpay") addSubscription(data);
  if (provider === "shopify") {
    nestRefunds(data);
    addShopifyEdges(data);
  }
  return data;
}

/**
 * Gumroad lists sales only, priced in USD cents whatever the product's display currency. Every 10th
 * is refunded in full (the refund is its flag), every 10th + 2 in part (not recorded, as the ping
 * does not say how much); a quarter are a subscription's renewals. The API returns no url_params,
 * so no sale has a visitor id.
 */
function gumroadSales(count: number): ProviderData {
  const data: ProviderData = { payments: [], refunds: [], extra: new Map(), expected: [], skipped: {} };
  for (let i = 0; i < count; i++) {
    const cents = 1999 + i * 7;
    const id = `${i}Xk9dvxYabdavG97Y-Q==`;
    const [display] = currencies[i % currencies.length] ?? currencies[0];
    const refunded = i % 10 === 5;
    const subscription = i % 4 >= 2;
    data.payments.push({
      id,
      email: "buyer@example.com",
      seller_id: "kL0psVL2admJSYRNs-OCMg==",
      timestamp: "about 1 year ago",
      created_at: new Date(DAY + i * HOUR).toISOString(),
      product_name: "Field guide",
      price: cents,
      gumroad_fee: 100,
      currency_symbol: display === "USD" ? "$" : display,
      refunded,
      partially_refunded: i % 10 === 7,
      chargedback: false,
      full_name: "Ada Obi",
      purchaser_id: String(9000 + i),
      order_id: 524459000 + i,
      paid: true,
      is_recurring_billing: subscription,
      ...(subscription && { subscription_id: `sub${i}==`, recurring_charge: i % 4 === 3 }),
      disputed: false,
      dispute_won: false,
    });
    const expected = { amount: cents / 100, currency: "USD", visitor: false };
    data.expected.push({ ...expected, transaction_id: id, refunded: false, renewal: i % 4 === 3 });
    if (refunded) data.expected.push({ ...expected, transaction_id: `refund_${id}`, refunded: true });
  }
  const partial = "Partial refund: Gumroad's ping does not say how much; recorded once refunded in full";
  data.skipped = { [partial]: data.payments.filter((sale) => sale.partially_refunded === true).length };
  return data;
}

/**
 * Creem lists transactions only (amounts in minor units, times in epoch ms). Half are one-time
 * orders, a quarter a subscription's first payment (recorded under its order, as checkout.completed
 * does), a quarter renewals (under the transaction id, as subscription.paid does). Every 10th is
 * refunded in part and every 10th + 7 was declined: neither adds a payment (Creem lists no refund
 * by its own id). Subscriptions, with the checkout metadata, are in `extra`; one-time orders carry
 * no metadata in the list, so they have no visitor id.
 */
function creemTransactions(count: number): ProviderData {
  const data: ProviderData = { payments: [], refunds: [], extra: new Map(), expected: [], skipped: {} };
  for (let i = 0; i < count; i++) {
    const [currency, exponent] = currencies[i % currencies.length] ?? currencies[0];
    const minor = 1999 + i * 7;
    const time = DAY + i * HOUR;
    const kind = i % 4 < 2 ? "one-time" : i % 4 === 2 ? "first" : "renewal";
    const subscription = kind === "one-time" ? undefined : `sub_${i}`;
    const declined = i % 10 === 7;
    data.payments.push({
      id: `tran_${i}`,
      mode: "test",
      object: "transaction",
      amount: minor,
      amount_paid: minor,
      currency,
      type: subscription ? "invoice" : "payment",
      status: declined ? "declined" : i % 10 === 5 ? "partialRefund" : "paid",
      refunded_amount: i % 10 === 5 ? Math.floor(minor / 2) : 0,
      order: kind === "renewal" ? null : `ord_${i}`,
      subscription: subscription ?? null,
      customer: `cust_${i}`,
      period_start: subscription ? time : null,
      created_at: time,
    });
    // One subscription in eight was made before the checkout carried a visitor id.
    const visitor = subscription !== undefined && i % 16 !== 6;
    if (subscription) {
      data.extra.set(subscription, {
        id: subscription,
        object: "subscription",
        product: { id: `prod_${i}`, price: minor, currency },
        customer: { id: `cust_${i}`, email: "buyer@example.com", name: "Ada" },
        status: "active",
        metadata: visitor ? { datafast_visitor_id: VISITOR } : {},
        // A renewal's subscription began a month before this period.
        created_at: new Date(kind === "renewal" ? time - 30 * 24 * HOUR : time).toISOString(),
      });
    }
    if (declined) continue;
    data.expected.push({
      transaction_id: kind === "renewal" ? `tran_${i}` : `ord_${i}`,
      amount: minor / 10 ** exponent,
      currency,
      refunded: false,
      visitor,
      ...(kind === "renewal" && { renewal: true }),
    });
  }
  // Paid a millisecond before the window: the search cannot filter by date, the run must.
  data.payments.push({
    ...data.payments[0],
    id: "tran_before",
    order: "ord_before",
    created_at: Date.parse("2025-01-01") - 1,
  });
  const withStatus = (status: string) => data.payments.filter((paid) => paid.status === status).length;
  data.skipped = {
    "Transaction is declined": withStatus("declined"),
    "Creem lists no refunds by their own id: recorded from the refund.created webhook only":
      withStatus("partialRefund"),
  };
  return data;
}

/**
 * An order paid before the window and refunded inside it (only the refund is in the window; the
 * order is found because the refund updated it), and an order in the window never paid.
 */
function addShopifyEdges(data: ProviderData): void {
  const [before, refundedAt] = ["2024-12-20T10:00:00.000Z", "2025-01-10T10:00:00.000Z"];
  const refund = {
    id: 9299999999999,
    admin_graphql_api_id: "gid://shopify/Refund/9299999999999",
    order_id: 5199999999999,
    processed_at: refundedAt,
    created_at: refundedAt,
    transactions: [{ kind: "refund", status: "success", amount: "5.00", currency: "USD" }],
  };
  const order = (id: string, status: string, at: string, refunds: unknown[]) => ({
    id: Number(id),
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    total_price: "10.00",
    currency: "USD",
    financial_status: status,
    closed_at: null,
    note_attributes: [],
    processed_at: at,
    created_at: at,
    updated_at: refunds.length > 0 ? refundedAt : at,
    refunds,
  });
  data.payments.push(order("5199999999999", "partially_refunded", before, [refund]));
  data.payments.push(order("5199999999998", "pending", "2025-02-10T10:00:00.000Z", []));
  data.refunds.push(refund);
  data.expected.push({
    transaction_id: "refund_9299999999999",
    amount: 5,
    currency: "USD",
    refunded: true,
    visitor: false,
  });
  data.skipped = { "Order is pending, not paid": 1 };
}

/** Shopify lists refunds inside their order, whose `updated_at` the refund moves. */
function nestRefunds(data: ProviderData): void {
  for (const refund of data.refunds) {
    const order = data.payments.find((entry) => entry.id === refund.order_id);
    if (!order) throw new Error(`no order for refund ${String(refund.id)}`);
    (order.refunds as unknown[]).push(refund);
    order.updated_at = refund.created_at;
  }
}

/** Two charges of one Razorpay subscription: the first paid invoice, then a renewal. */
function addSubscription(data: ProviderData): void {
  data.extra.set("sub_1", { id: "sub_1", entity: "subscription", notes: { datafast_visitor_id: VISITOR } });
  for (const [n, renewal] of [
    [1, false],
    [2, true],
  ] as const) {
    const time = DAY + (100 + n) * HOUR;
    data.extra.set(`inv_${n}`, {
      id: `inv_${n}`,
      entity: "invoice",
      subscription_id: "sub_1",
      status: "paid",
      paid_at: time / 1000,
    });
    data.payments.push({
      id: `pay_sub_${n}`,
      entity: "payment",
      amount: 49900,
      currency: "INR",
      status: "captured",
      invoice_id: `inv_${n}`,
      notes: [],
      created_at: time / 1000,
    });
    data.expected.push({
      transaction_id: `pay_sub_${n}`,
      amount: 499,
      currency: "INR",
      refunded: false,
      visitor: true,
      renewal,
    });
  }
}

function objectIds(provider: string, i: number) {
  switch (provider) {
    case "shopify": {
      // The mapping reads the GraphQL id string (ids may pass 2^53); these 13-digit ones do not.
      const order = String(5_100_000_000_000 + i);
      const refund = String(9_200_000_000_000 + i);
      return { payment: order, paymentTransaction: order, refund, refundTransaction: `refund_${refund}` };
    }
    case "paddle":
      return { payment: `txn_${i}`, paymentTransaction: `txn_${i}`, refund: `adj_${i}`, refundTransaction: `adj_${i}` };
    case "paystack":
      return {
        payment: `ref_${i}`,
        paymentTransaction: `ref_${i}`,
        refund: String(500 + i),
        refundTransaction: `refund_${500 + i}`,
      };
    default:
      return {
        payment: `pay_${i}`,
        paymentTransaction: `pay_${i}`,
        refund: `rfnd_${i}`,
        refundTransaction: `rfnd_${i}`,
      };
  }
}

function paymentShape(
  provider: string,
  i: number,
  id: string,
  minor: number,
  currency: string,
  time: number,
  visitor: boolean,
) {
  const iso = new Date(time).toISOString();
  const metadata = visitor ? { datafast_visitor_id: VISITOR } : undefined;
  switch (provider) {
    case "razorpay":
      return {
        id,
        entity: "payment",
        amount: minor,
        currency,
        status: "captured",
        order_id: `order_${i}`,
        invoice_id: null,
        email: "buyer@example.com",
        customer_id: `cust_${i}`,
        notes: metadata ?? [],
        created_at: time / 1000,
      };
    case "paddle":
      return {
        id,
        status: "completed",
        origin: i % 4 === 3 ? "subscription_recurring" : "web",
        customer_id: `ctm_${i}`,
        currency_code: currency,
        custom_data: metadata ?? null,
        billed_at: iso,
        created_at: iso,
        details: { totals: { grand_total: String(minor) } },
      };
    case "shopify":
      return {
        id: Number(id),
        admin_graphql_api_id: `gid://shopify/Order/${id}`,
        name: `#${1001 + i}`,
        total_price: decimal(minor, currency),
        currency,
        financial_status: i % 10 === 5 ? "partially_refunded" : "paid",
        // Closed orders are listed only with status=any.
        closed_at: i % 3 === 0 ? iso : null,
        email: "buyer@example.com",
        source_name: i % 4 === 3 ? "subscription_contract" : "web",
        note_attributes: metadata ? [{ name: "datafast_visitor_id", value: metadata.datafast_visitor_id }] : [],
        customer: { admin_graphql_api_id: `gid://shopify/Customer/${7000 + i}`, first_name: "Ada", last_name: "Obi" },
        processed_at: iso,
        created_at: iso,
        updated_at: iso,
        refunds: [],
      };
    case "whop":
      return {
        id,
        status: "paid",
        substatus: i % 10 === 5 ? "partially_refunded" : "succeeded",
        // Decimal major units with a lower-case currency.
        total: Number(decimal(minor, currency)),
        subtotal: Number(decimal(minor, currency)),
        currency: currency.toLowerCase(),
        billing_reason: i % 4 === 3 ? "subscription_cycle" : i % 4 === 2 ? "subscription_create" : "one_time",
        user: { id: `user_${i}`, name: "Ada", username: "ada", email: "buyer@example.com" },
        metadata: metadata ?? null,
        checkout_configuration_id: null,
        created_at: iso,
        paid_at: iso,
        updated_at: iso,
      };
    case "paystack":
      return {
        id: 1000 + i,
        reference: id,
        status: "success",
        amount: minor,
        currency,
        paid_at: iso,
        created_at: iso,
        metadata: metadata ?? "",
        customer: { email: "buyer@example.com", first_name: "Ada", last_name: "Obi", customer_code: `CUS_${i}` },
      };
    default:
      return {
        payment_id: id,
        total_amount: minor,
        currency,
        status: "succeeded",
        customer: { customer_id: `cus_${i}`, email: "buyer@example.com", name: "Ada" },
        metadata: metadata ?? {},
        created_at: iso,
      };
  }
}

function refundShape(
  provider: string,
  i: number,
  ids: ReturnType<typeof objectIds>,
  minor: number,
  currency: string,
  time: number,
  visitor: boolean,
) {
  const iso = new Date(time).toISOString();
  switch (provider) {
    case "razorpay":
      return {
        id: ids.refund,
        entity: "refund",
        amount: minor,
        currency,
        payment_id: ids.payment,
        notes: [],
        created_at: time / 1000,
        status: "processed",
      };
    case "paddle":
      return {
        id: ids.refund,
        action: "refund",
        status: "approved",
        transaction_id: ids.payment,
        customer_id: `ctm_${i}`,
        currency_code: currency,
        totals: { total: String(minor) },
        created_at: iso,
        updated_at: iso,
      };
    case "shopify":
      return {
        id: Number(ids.refund),
        admin_graphql_api_id: `gid://shopify/Refund/${ids.refund}`,
        order_id: Number(ids.payment),
        processed_at: iso,
        created_at: iso,
        transactions: [
          { kind: "refund", status: "success", amount: decimal(minor, currency), currency },
          // A failed attempt returned nothing: it must not count.
          { kind: "refund", status: "failure", amount: decimal(minor, currency), currency },
        ],
      };
    case "whop":
      return {
        id: ids.refund,
        amount: Number(decimal(minor, currency)),
        currency: currency.toLowerCase(),
        status: "succeeded",
        provider: "stripe",
        created_at: iso,
        // The list names the payment by id; the webhook carries it whole.
        payment: { id: ids.payment },
      };
    case "paystack":
      return {
        id: 500 + i,
        transaction: 1000 + i,
        amount: minor,
        currency,
        status: "processed",
        refunded_at: iso,
        createdAt: iso,
      };
    default:
      return {
        refund_id: ids.refund,
        payment_id: ids.payment,
        amount: minor,
        currency,
        status: "succeeded",
        created_at: iso,
        metadata: visitor ? { datafast_visitor_id: VISITOR } : {},
      };
  }
}

export interface ProviderStandIn {
  url: string;
  /** Paths requested, in order (query strings included). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `data` the way `provider`'s list API does. */
export async function startProviderStandIn(provider: string, data: ProviderData): Promise<ProviderStandIn> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://standin");
    requests.push(`${url.pathname}${url.search}`);
    if (requests.length % 3 === 0) return send(res, 429, { error: "Too many requests" }, { "retry-after": "0" });
    if (!req.headers[authHeader[provider] ?? "authorization"]) return send(res, 401, { error: "unauthorized" });
    const answer = handlers[provider]?.(url, data, standIn.url);
    if (!answer) return send(res, 404, { error: "not found" });
    send(res, answer.status ?? 200, answer.body, answer.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const standIn: ProviderStandIn = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return standIn;
}

/** The header each API takes its credential in, where it is not `Authorization`. */
/** Whop's list page: `{ data, page_info }`, `first` at most 100, the next page `after=<end_cursor>`. */
function whopPage(url: URL, all: Record<string, unknown>[]) {
  const first = Number(query(url, "first") ?? 10);
  if (first > 100) return { status: 400, body: { error: { message: "first must be at most 100" } } };
  const after = Date.parse(query(url, "created_after") ?? "1970-01-01");
  const before = Date.parse(query(url, "created_before") ?? "9999-01-01");
  const items = all.filter((item) => {
    const time = Date.parse(String(item.created_at));
    return time > after && time < before;
  });
  const cursor = query(url, "after");
  const start = cursor ? Number(Buffer.from(cursor, "base64url").toString("utf8")) : 0;
  const page = items.slice(start, start + first);
  const end = Buffer.from(String(start + page.length)).toString("base64url");
  return {
    body: {
      data: page,
      page_info: {
        end_cursor: page.length > 0 ? end : null,
        start_cursor: Buffer.from(String(start)).toString("base64url"),
        has_next_page: start + first < items.length,
        has_previous_page: start > 0,
      },
    },
  };
}

const authHeader: Record<string, string> = { shopify: "x-shopify-access-token", creem: "x-api-key" };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

type Handler = (
  url: URL,
  data: ProviderData,
  base: string,
) => { status?: number; body: unknown; headers?: Record<string, string> } | undefined;

const query = (url: URL, name: string) => url.searchParams.get(name);
const within = (time: number, from: number, to: number) => time >= from && time <= to;

const handlers: Record<string, Handler> = {
  // Razorpay: { entity: "collection", count, items }, `count` at most 100, `skip`, from/to inclusive unix seconds.
  razorpay(url, data) {
    const single = /^\/v1\/(payments|invoices|subscriptions)\/([^/]+)$/.exec(url.pathname);
    if (single) {
      const [, kind, id = ""] = single;
      return { body: kind === "payments" ? data.payments.find((p) => p.id === id) : data.extra.get(id) };
    }
    const count = Number(query(url, "count") ?? 10);
    if (count > 100)
      return { body: { error: { code: "BAD_REQUEST_ERROR", description: "count must be at most 100" } } };
    const skip = Number(query(url, "skip") ?? 0);
    const from = Number(query(url, "from") ?? 0);
    const to = Number(query(url, "to") ?? Number.MAX_SAFE_INTEGER);
    let all: unknown[] | undefined;
    if (url.pathname === "/v1/payments") all = data.payments;
    if (url.pathname === "/v1/refunds") all = data.refunds;
    if (url.pathname === "/v1/invoices") {
      all = [...data.extra.values()].filter(
        (v) => (v as { subscription_id?: string }).subscription_id === query(url, "subscription_id"),
      );
    } else if (all) {
      all = all.filter((item) => within(Number((item as { created_at: number }).created_at), from, to));
    }
    if (!all) return undefined;
    // Newest first, as Razorpay lists.
    const items = [...all].reverse().slice(skip, skip + count);
    return { body: { entity: "collection", count: items.length, items } };
  },
  // Paddle: { data, meta: { request_id, pagination: { per_page, next, has_more, estimated_total } } }, cursor `after`.
  paddle(url, data, base) {
    const all =
      url.pathname === "/transactions" ? data.payments : url.pathname === "/adjustments" ? data.refunds : undefined;
    if (!all) return undefined;
    const perPage = Math.min(Number(query(url, "per_page") ?? 50), url.pathname === "/transactions" ? 30 : 50);
    let items = all as { id: string; billed_at?: string; created_at: string }[];
    const gte = query(url, "billed_at[GTE]");
    const lt = query(url, "billed_at[LT]");
    if (gte) items = items.filter((item) => Date.parse(item.billed_at ?? "") >= Date.parse(gte));
    if (lt) items = items.filter((item) => Date.parse(item.billed_at ?? "") < Date.parse(lt));
    if (query(url, "order_by") === "id[DESC]") items = [...items].reverse();
    const after = query(url, "after");
    const start = after ? items.findIndex((item) => item.id === after) + 1 : 0;
    const page = items.slice(start, start + perPage);
    const hasMore = start + perPage < items.length;
    const next = new URL(`${base}${url.pathname}`);
    for (const [name, value] of url.searchParams) if (name !== "after") next.searchParams.set(name, value);
    if (page.length > 0) next.searchParams.set("after", page[page.length - 1]?.id ?? "");
    return {
      body: {
        data: page,
        meta: {
          request_id: "req_1",
          pagination: { per_page: perPage, next: next.href, has_more: hasMore, estimated_total: items.length },
        },
      },
    };
  },
  // Paystack: { status, message, data, meta: { total, skipped, perPage, page, pageCount } }.
  paystack(url, data) {
    const all = url.pathname === "/transaction" ? data.payments : url.pathname === "/refund" ? data.refunds : undefined;
    if (!all) return undefined;
    const perPage = Number(query(url, "perPage") ?? 50);
    const page = Number(query(url, "page") ?? 1);
    const from = Date.parse(query(url, "from") ?? "1970-01-01");
    const to = Date.parse(query(url, "to") ?? "9999-01-01");
    const items = all.filter((item) => {
      const time = Date.parse(String(item.paid_at ?? item.refunded_at));
      return time >= from && time <= to;
    });
    const pageCount = Math.ceil(items.length / perPage);
    return {
      body: {
        status: true,
        message: "Transactions retrieved",
        data: items.slice((page - 1) * perPage, page * perPage),
        meta: { total: items.length, skipped: (page - 1) * perPage, perPage, page, pageCount },
      },
    };
  },
  // Shopify: { orders }, at most 250 a page, the next page a `Link: <…page_info=…>; rel="next"` URL
  // that takes no filter but `limit`; without status=any only open orders are listed.
  shopify(url, data, base) {
    if (!/^\/admin\/api\/\d{4}-\d{2}\/orders\.json$/.test(url.pathname)) return undefined;
    const limit = Number(query(url, "limit") ?? 50);
    if (limit > 250) return { status: 400, body: { errors: { limit: "must be at most 250" } } };
    const pageInfo = query(url, "page_info");
    let filters = url.searchParams;
    let start = 0;
    if (pageInfo) {
      if ([...url.searchParams.keys()].some((name) => name !== "page_info" && name !== "limit"))
        return { status: 400, body: { errors: { page_info: "page_info takes no other parameter but limit" } } };
      const cursor = JSON.parse(Buffer.from(pageInfo, "base64url").toString("utf8")) as {
        query: string;
        start: number;
      };
      filters = new URLSearchParams(cursor.query);
      start = cursor.start;
    }
    const min = Date.parse(filters.get("updated_at_min") ?? "1970-01-01");
    const orders = data.payments
      .filter((order) => filters.get("status") === "any" || order.closed_at === null)
      .filter((order) => Date.parse(String(order.updated_at)) >= min)
      .reverse();
    const page = orders.slice(start, start + limit);
    const link = (at: number, rel: string) =>
      `<${base}${url.pathname}?limit=${limit}&page_info=${Buffer.from(JSON.stringify({ query: filters.toString(), start: at })).toString("base64url")}>; rel="${rel}"`;
    const links = [
      ...(start > 0 ? [link(Math.max(0, start - limit), "previous")] : []),
      ...(start + limit < orders.length ? [link(start + limit, "next")] : []),
    ];
    return {
      body: { orders: page },
      headers: { "x-shopify-shop-api-call-limit": "1/40", ...(links.length > 0 && { link: links.join(", ") }) },
    };
  },
  // Gumroad: { success, sales, next_page_key, next_page_url }, 10 a page newest first, `after`
  // (inclusive) and `before` (exclusive) as YYYY-MM-DD, the next page by `page_key`.
  gumroad(url, data) {
    if (url.pathname !== "/v2/sales") return undefined;
    const dates: Record<string, string | null> = { after: query(url, "after"), before: query(url, "before") };
    for (const [name, value] of Object.entries(dates)) {
      if (value !== null && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        const message = `Invalid date format provided in field '${name}'. Dates must be in the format YYYY-MM-DD.`;
        return { status: 400, body: { success: false, message } };
      }
    }
    let sales = data.payments
      .filter((sale) => !dates.after || Date.parse(String(sale.created_at)) >= Date.parse(dates.after))
      .filter((sale) => !dates.before || Date.parse(String(sale.created_at)) < Date.parse(dates.before))
      .reverse();
    const pageKey = query(url, "page_key");
    if (pageKey) {
      const last = sales.findIndex((sale) => sale.id === Buffer.from(pageKey, "base64url").toString("utf8"));
      if (last < 0) return { status: 400, body: { success: false, message: "Invalid page_key." } };
      sales = sales.slice(last + 1);
    }
    const page = sales.slice(0, 10);
    const next = sales.length > 10 ? Buffer.from(String(page.at(-1)?.id)).toString("base64url") : undefined;
    return {
      body: {
        success: true,
        sales: page,
        ...(next && { next_page_key: next, next_page_url: `/v2/sales?page_key=${next}` }),
      },
    };
  },
  // Creem: { items, pagination: { total_records, total_pages, current_page, next_page, prev_page } },
  // page_number from 1; no date filter. A subscription by `?subscription_id=`.
  creem(url, data) {
    if (url.pathname === "/v1/subscriptions") {
      const found = data.extra.get(query(url, "subscription_id") ?? "");
      return found ? { body: found } : { status: 404, body: { statusCode: 404, message: "Subscription not found" } };
    }
    if (url.pathname !== "/v1/transactions/search") return undefined;
    const size = Number(query(url, "page_size") ?? 10);
    const page = Number(query(url, "page_number") ?? 1);
    const items = [...data.payments].reverse();
    const pages = Math.ceil(items.length / size);
    return {
      body: {
        items: items.slice((page - 1) * size, page * size),
        pagination: {
          total_records: items.length,
          total_pages: pages,
          current_page: page,
          next_page: page < pages ? page + 1 : null,
          prev_page: page > 1 ? page - 1 : null,
        },
      },
    };
  },
  // Whop v1: cursor pages; a payment by id.
  whop(url, data) {
    const single = /^\/payments\/([^/]+)$/.exec(url.pathname);
    if (single) {
      const found = data.payments.find((payment) => payment.id === single[1]);
      return found ? { body: found } : { status: 404, body: { error: { message: "Not found" } } };
    }
    if (url.pathname === "/payments") return whopPage(url, data.payments);
    if (url.pathname === "/refunds") return whopPage(url, data.refunds);
    return undefined;
  },
  // Dodo: { items }, page_number from 0, page_size at most 100.
  dodo(url, data) {
    const all = url.pathname === "/payments" ? data.payments : url.pathname === "/refunds" ? data.refunds : undefined;
    if (!all) return undefined;
    const size = Math.min(Number(query(url, "page_size") ?? 10), 100);
    const page = Number(query(url, "page_number") ?? 0);
    const from = Date.parse(query(url, "created_at_gte") ?? "1970-01-01");
    const to = Date.parse(query(url, "created_at_lte") ?? "9999-01-01");
    const items = all.filter((item) => within(Date.parse(String(item.created_at)), from, to));
    return { body: { items: items.slice(page * size, (page + 1) * size) } };
  },
};
