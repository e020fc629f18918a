import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { nowSeconds, whsecKey } from "../../dev/webhook-signing.ts";
import { ignored } from "../../shared/webhooks/event.ts";
import { configuredEnv, useDataFast } from "../support/payments.ts";
import { platforms } from "../support/platforms.ts";
import {
  creemSubscription,
  deployment,
  gumroadPing,
  molliePayment,
  type ProviderCase,
  providerCases,
  secrets,
  settings,
  squareRefund,
} from "./cases.ts";

/** Provider-specific mapping decisions beyond the common matrix (on the in-process Netlify handler). */
const netlify = platforms.find((platform) => platform.name === "netlify");
const dataFast = useDataFast();

function provider(name: string): ProviderCase {
  const found = providerCases.find((each) => each.provider === name);
  if (!found) throw new Error(`no case for ${name}`);
  return found;
}

async function deliver(name: string, payload: unknown, headers: Record<string, string> = {}) {
  if (!netlify) throw new Error("netlify platform missing");
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const response = await netlify.invoke(
    "webhooks",
    provider(name).request(body, headers),
    configuredEnv(dataFast(), deployment),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const recorded = (id: string) => dataFast().payments.get(id);

describe.each([
  ["dodo", { type: "payment.failed", data: { payment_id: "pay_x" } }, {}],
  ["whop", { type: "refund.created", data: { id: "rfnd_x", amount: 1, currency: "usd", status: "failed" } }, {}],
  ["paddle", { event_type: "adjustment.created", data: { action: "credit", status: "approved" } }, {}],
  ["creem", { eventType: "subscription.canceled", object: {} }, {}],
  [
    "shopify",
    {
      admin_graphql_api_id: "gid://shopify/Refund/1",
      transactions: [{ kind: "refund", status: "failure", amount: "5.00", currency: "USD" }],
    },
    { "x-shopify-topic": "refunds/create" },
  ],
  [
    "razorpay",
    {
      event: "invoice.paid",
      payload: { invoice: { entity: { subscription_id: "sub_1" } }, payment: { entity: { id: "pay_1" } } },
    },
    {},
  ],
  ["paystack", { event: "refund.pending", data: {} }, {}],
  ["revenuecat", { event: { type: "EXPIRATION", transaction_id: "1" } }, {}],
  ["revenuecat", { event: { type: "PRODUCT_CHANGE", transaction_id: "1" } }, {}],
  [
    "paypal",
    {
      id: "WH-2",
      event_type: "PAYMENT.CAPTURE.REFUNDED",
      resource: { id: "R1", status: "PENDING", amount: { value: "1.00", currency_code: "USD" } },
    },
    {},
  ],
  ["chargebee", { id: "ev_1", event_type: "payment_failed", content: {} }, {}],
  [
    "chargebee",
    {
      id: "ev_2",
      event_type: "payment_succeeded",
      content: {
        transaction: { id: "txn_f", type: "payment", status: "failure", amount: 100, currency_code: "USD" },
      },
    },
    {},
  ],
  [
    "fastspring",
    {
      events: [
        { type: "subscription.activated", data: {} },
        {
          type: "subscription.charge.completed",
          data: { status: "successful", total: 10, currency: "USD", sequence: 1, order: { id: "o1" } },
        },
      ],
    },
    {},
  ],
  ["fastspring", { events: [] }, {}],
  ["square", squareRefund({ status: "PENDING" }), {}],
  ["square", { type: "order.updated", data: { object: {} } }, {}],
  [
    "gumroad",
    "sale_id=s1&price=1999&currency=usd&is_preorder_authorization=true&sale_timestamp=2025-01-01T00:00:00Z",
    {},
  ],
])("%s ignores a non-payment", (name, payload, headers) => {
  test("with 200 and a reason, forwarding nothing", async () => {
    const { status, body } = await deliver(name, payload, headers);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ignored", reason: expect.any(String) });
    expect(dataFast().requests).toHaveLength(0);
  });
});

describe("mapping decisions", () => {
  test("razorpay records a standalone invoice from invoice.paid", async () => {
    const payload = {
      event: "invoice.paid",
      payload: {
        invoice: { entity: { id: "inv_1", subscription_id: null } },
        payment: { entity: { id: "pay_inv_1", amount: 250000, currency: "INR", invoice_id: "inv_1", notes: [] } },
      },
    };
    expect((await deliver("razorpay", payload)).status).toBe(200);
    expect(recorded("pay_inv_1")).toMatchObject({ amount: 2500, currency: "INR", renewal: false });
  });

  test("razorpay marks the first subscription charge as not a renewal", async () => {
    const payload = {
      event: "subscription.charged",
      payload: {
        subscription: { entity: { id: "sub_1", paid_count: 1, notes: { datafast_visitor_id: "v-1" } } },
        payment: { entity: { id: "pay_sub_1", amount: 49900, currency: "INR", invoice_id: "inv_2", notes: [] } },
      },
    };
    expect((await deliver("razorpay", payload)).status).toBe(200);
    expect(recorded("pay_sub_1")).toMatchObject({ renewal: false, datafast_visitor_id: "v-1", amount: 499 });
  });

  // Paystack's documented refund.processed has no refund id; refund_reference may be null.
  const paystackRefund = (amount: string, extra: Record<string, unknown> = {}) => ({
    event: "refund.processed",
    data: {
      status: "processed",
      transaction_reference: "ref_9",
      refund_reference: null,
      amount,
      currency: "GHS",
      ...extra,
    },
  });

  test("paystack gives two partial refunds of one charge two ids when they carry no refund id", async () => {
    expect((await deliver("paystack", paystackRefund("700"))).status).toBe(200);
    expect((await deliver("paystack", paystackRefund("300"))).status).toBe(200);
    expect(recorded("refund_ref_9_700")).toMatchObject({ refunded: true, amount: 7, currency: "GHS" });
    expect(recorded("refund_ref_9_300")).toMatchObject({ refunded: true, amount: 3, currency: "GHS" });
    expect(dataFast().payments.size).toBe(2);
  });

  test("paystack tells apart two partial refunds of the same amount by their created_at", async () => {
    await deliver("paystack", paystackRefund("500", { created_at: "2025-08-02T10:00:00.000Z" }));
    await deliver("paystack", paystackRefund("500", { created_at: "2025-08-03T10:00:00.000Z" }));
    expect(dataFast().payments.size).toBe(2);
  });

  test.each([
    ["without a refund id", paystackRefund("700")],
    ["with its refund_reference", paystackRefund("700", { refund_reference: "132013318360" })],
    ["with its numeric id", paystackRefund("700", { id: 4243 })],
  ])("paystack sends a redelivered refund %s under the same id", async (_, payload) => {
    expect((await deliver("paystack", payload)).status).toBe(200);
    expect((await deliver("paystack", payload)).status).toBe(200);
    const sent = dataFast().requests.map((request) => JSON.parse(request.body).transaction_id);
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(1);
  });

  test("paystack gives partial refunds with their own refund_reference their own ids", async () => {
    await deliver("paystack", paystackRefund("500", { refund_reference: "rfd_a" }));
    await deliver("paystack", paystackRefund("500", { refund_reference: "rfd_b" }));
    expect([...dataFast().payments.keys()].sort()).toEqual(["refund_rfd_a", "refund_rfd_b"]);
  });

  test.each([
    ["created_at", { created_at: "not a date" }],
    ["current_period_start_date", { current_period_start_date: "" }],
  ])("creem answers 400 for a subscription.paid whose %s does not parse, never ignoring it", async (field, extra) => {
    const { status, body } = await deliver("creem", creemSubscription(extra));
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { message: expect.stringContaining(field) } });
    expect(dataFast().requests).toHaveLength(0);
  });

  test("paystack records a refund whose numeric id equals a charge reference apart from that charge", async () => {
    const charge = { event: "charge.success", data: { reference: "4242", amount: 1000, currency: "NGN" } };
    const refund = { event: "refund.processed", data: { id: 4242, amount: 400, currency: "NGN" } };
    expect((await deliver("paystack", charge)).status).toBe(200);
    expect((await deliver("paystack", refund)).status).toBe(200);
    expect(recorded("4242")).toMatchObject({ amount: 10 });
    expect(recorded("refund_4242")).toMatchObject({ amount: 4, refunded: true });
  });

  test("shopify records a refund whose id equals an order id apart from that order", async () => {
    const order = { admin_graphql_api_id: "gid://shopify/Order/31", total_price: "10.00", currency: "USD" };
    const refund = {
      admin_graphql_api_id: "gid://shopify/Refund/31",
      transactions: [{ kind: "refund", status: "success", amount: "4.00", currency: "USD" }],
    };
    expect((await deliver("shopify", order, { "x-shopify-topic": "orders/paid" })).status).toBe(200);
    expect((await deliver("shopify", refund, { "x-shopify-topic": "refunds/create" })).status).toBe(200);
    expect(recorded("31")).toMatchObject({ amount: 10 });
    expect(recorded("refund_31")).toMatchObject({ amount: 4, refunded: true });
  });

  test.each([
    ["whop", { type: "payment.succeeded", data: { id: "pay_t1", total: 5, currency: "usd", paid_at: 1e20 } }],
    [
      "razorpay",
      {
        event: "payment.captured",
        payload: { payment: { entity: { id: "pay_t1", amount: 500, currency: "INR", created_at: -1e20 } } },
      },
    ],
    ["creem", { ...creemSubscription({ last_transaction_date: null }), created_at: 8.7e15 }],
  ])("%s records a payment whose time is out of range without it, never a 500", async (name, payload) => {
    const { status } = await deliver(name, payload);
    expect(status).toBe(200);
    const [sent] = dataFast().payments.values();
    expect(sent).toBeDefined();
    expect(sent).not.toHaveProperty("timestamp");
  });

  test.each([
    ["seconds", 1746100798, "2025-05-01T11:59:58.000Z"],
    ["milliseconds", 1746100798123, "2025-05-01T11:59:58.123Z"],
    ["an ISO string with an offset", "2025-05-01T13:59:58+02:00", "2025-05-01T11:59:58.000Z"],
  ])("whop sends DataFast one time form from %s", async (_, paidAt, timestamp) => {
    const payload = { type: "payment.succeeded", data: { id: "pay_t2", total: 5, currency: "usd", paid_at: paidAt } };
    expect((await deliver("whop", payload)).status).toBe(200);
    expect(recorded("pay_t2")).toMatchObject({ timestamp });
  });

  test("dodo records a payment whatever its subscription_id holds, never flagging a renewal", async () => {
    // Dodo has not confirmed the shape or meaning of subscription_id on payments: it is not read.
    const payload = {
      type: "payment.succeeded",
      data: { payment_id: "pay_dodo_s1", total_amount: 500, currency: "USD", subscription_id: { id: "sub_1" } },
    };
    expect((await deliver("dodo", payload)).status).toBe(200);
    expect(recorded("pay_dodo_s1")).not.toHaveProperty("renewal");
  });

  test.each([["pending"], ["requires_action"], ["some_future_status"]])(
    "whop ignores a %s refund with the reason: no money has gone back yet",
    async (status) => {
      const data = { id: "rf_w1", amount: 3.5, currency: "usd", status };
      const { status: code, body } = await deliver("whop", { type: "refund.created", data });
      expect(code).toBe(200);
      expect(body).toMatchObject({ status: "ignored", reason: expect.stringContaining(status) });
      expect(dataFast().requests).toHaveLength(0);
    },
  );

  test("whop records the refund once refund.updated says it succeeded", async () => {
    const data = { id: "rf_w2", amount: 3.5, currency: "usd", status: "pending" };
    expect((await deliver("whop", { type: "refund.created", data })).status).toBe(200);
    const done = { type: "refund.updated", data: { ...data, status: "succeeded" } };
    expect((await deliver("whop", done)).status).toBe(200);
    expect(recorded("rf_w2")).toMatchObject({ amount: 3.5, refunded: true });
    expect(dataFast().requests).toHaveLength(1);
  });

  // The plan is read only for a goal's metadata: an unexpected shape must not cost the payment.
  test.each([
    ["a bare id", "plan_x"],
    ["a number", 7],
    ["an object without an id", {}],
  ])("whop records a payment whose plan is %s", async (_, plan) => {
    const data = { id: "pay_w4", total: 5, currency: "usd", billing_reason: "subscription_create", plan };
    expect((await deliver("whop", { type: "payment.succeeded", data })).status).toBe(200);
    expect(recorded("pay_w4")).toMatchObject({ amount: 5, currency: "USD" });
  });

  test("whop answers 400 for a refund without a status rather than guess whether money went back", async () => {
    const data = { id: "rf_w3", amount: 3.5, currency: "usd" };
    const { status, body } = await deliver("whop", { type: "refund.created", data });
    expect(status).toBe(400);
    expect(body.issues).toEqual([expect.objectContaining({ path: "data.status" })]);
  });

  test.each([["subscription_paused"], ["chargeback"]])(
    "gumroad ignores a %s ping it does not know, though it carries a price",
    async (resource) => {
      const { status, body } = await deliver("gumroad", gumroadPing({ resource_name: resource }));
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: "ignored", reason: expect.stringContaining(resource) });
      expect(dataFast().requests).toHaveLength(0);
    },
  );

  test("gumroad records price as USD cents, whatever the product's currency", async () => {
    // A 10 EUR product: Gumroad charged 10.85 USD and pings the product's currency beside it.
    const ping = gumroadPing({ sale_id: "sale_eur", price: "1085", currency: "eur" });
    expect((await deliver("gumroad", ping)).status).toBe(200);
    expect(recorded("sale_eur")).toMatchObject({ amount: 10.85, currency: "USD" });
  });

  test("gumroad records a JPY product's sale in USD, never as 1085 yen", async () => {
    const ping = gumroadPing({ sale_id: "sale_jpy", price: "1085", currency: "jpy" });
    expect((await deliver("gumroad", ping)).status).toBe(200);
    expect(recorded("sale_jpy")).toMatchObject({ amount: 10.85, currency: "USD" });
  });

  test("gumroad ignores a partial refund, whose ping carries the sale's price, not the amount returned", async () => {
    const { status, body } = await deliver("gumroad", gumroadPing({ resource_name: "refund", refunded: "false" }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ignored", reason: expect.stringContaining("Partial refund") });
    expect(dataFast().requests).toHaveLength(0);
  });

  test("gumroad records partial refunds once, for the sale's price, when the last makes the refund full", async () => {
    await deliver("gumroad", gumroadPing({ resource_name: "refund", refunded: "false" }));
    await deliver("gumroad", gumroadPing({ resource_name: "refund", refunded: "false" }));
    const full = gumroadPing({ resource_name: "refund", refunded: "true" });
    expect((await deliver("gumroad", full)).status).toBe(200);
    expect((await deliver("gumroad", full)).status).toBe(200);
    expect([...dataFast().payments.entries()]).toEqual([
      ["refund_sale_gum_001", expect.objectContaining({ amount: 19.99, currency: "USD", refunded: true })],
    ]);
  });

  test("gumroad records a ping without resource_name as a sale", async () => {
    const ping = new URLSearchParams(gumroadPing());
    ping.delete("resource_name");
    expect((await deliver("gumroad", ping.toString())).status).toBe(200);
    expect(recorded("sale_gum_001")).toMatchObject({ amount: 19.99 });
  });

  // The signature covers the body's bytes (the standardwebhooks library would sign them decoded as
  // text): a body that is not UTF-8 must be refused whichever way the sender signed it, never
  // recorded. Signed over its bytes it is authentic and refused as not UTF-8; signed over the text
  // a decoder makes of it, it is not what was signed.
  test.each([
    ["its bytes", 400, (bytes: Buffer) => bytes],
    ["its decoded text", 401, (bytes: Buffer) => Buffer.from(bytes.toString("utf8"))],
  ])("standard refuses a body that is not UTF-8, signed over %s", async (_, status, signed) => {
    if (!netlify) throw new Error("netlify platform missing");
    const body = Buffer.concat([
      Buffer.from('{"amount":1,"currency":"USD","transaction_id":"'),
      Buffer.from([0xff, 0x22, 0x7d]),
    ]);
    const id = "msg_utf8";
    const timestamp = nowSeconds();
    const mac = createHmac("sha256", whsecKey(secrets.STANDARD_WEBHOOK_SECRET))
      .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), signed(body)]))
      .digest("base64");
    const headers = {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": `v1,${mac}`,
    };
    const request = new Request("https://functions.example/api/webhooks/standard", { method: "POST", headers, body });
    const response = await netlify.invoke("webhooks", request, configuredEnv(dataFast(), deployment));
    expect(response.status).toBe(status);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("shopify tolerates total_price sent as a number", async () => {
    const payload = { admin_graphql_api_id: "gid://shopify/Order/5", total_price: 12.5, currency: "EUR" };
    expect((await deliver("shopify", payload, { "x-shopify-topic": "orders/paid" })).status).toBe(200);
    expect(recorded("5")).toMatchObject({ amount: 12.5, currency: "EUR" });
  });

  test("shopify answers 400 without X-Shopify-Topic", async () => {
    const { status, body } = await deliver("shopify", { admin_graphql_api_id: "gid://shopify/Order/5" });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { message: "Missing X-Shopify-Topic header" } });
  });

  test("paddle records an approved refund from adjustment.created too", async () => {
    const payload = {
      event_type: "adjustment.created",
      data: { id: "adj_9", action: "refund", status: "approved", currency_code: "JPY", totals: { total: "1500" } },
    };
    expect((await deliver("paddle", payload)).status).toBe(200);
    expect(recorded("adj_9")).toMatchObject({ amount: 1500, currency: "JPY", refunded: true });
  });

  test("paddle answers 400 naming the field for an amount that is not in minor units", async () => {
    const payload = {
      event_type: "transaction.completed",
      data: { id: "txn_9", currency_code: "USD", details: { totals: { grand_total: "19.99" } } },
    };
    const { status, body } = await deliver("paddle", payload);
    expect(status).toBe(400);
    expect(body.issues).toEqual([expect.objectContaining({ path: "data.details.totals.grand_total" })]);
  });

  test("whop answers 400 for more decimals than the currency has, never rounding", async () => {
    const payload = { type: "payment.succeeded", data: { id: "pay_9", total: 10.435, currency: "usd" } };
    const { status, body } = await deliver("whop", payload);
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { message: expect.stringContaining("USD has 2 decimal places; 10.435 has 3") },
    });
    expect(dataFast().requests).toHaveLength(0);
  });

  test.each([
    [
      "paddle",
      {
        event_type: "transaction.completed",
        data: { id: "txn_big", currency_code: "USD", details: { totals: { grand_total: "9007199254740993" } } },
      },
    ],
    // Below MAX_SAFE_INTEGER, yet 90071992547409.91 INR would reach DataFast as 90071992547409.9.
    [
      "razorpay",
      {
        event: "payment.captured",
        payload: { payment: { entity: { id: "pay_big", amount: 9007199254740991, currency: "INR" } } },
      },
    ],
  ])("%s answers 400 for an amount a JSON number cannot carry exactly, never rounding it", async (name, payload) => {
    const { status, body } = await deliver(name, payload);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { message: expect.stringContaining("beyond 999999999999999 minor units") } });
    expect(dataFast().requests).toHaveLength(0);
  });

  test("razorpay answers 400 for an integer amount past MAX_SAFE_INTEGER", async () => {
    // JSON.parse already rounds 9007199254740993 to ...992: refused by the schema, never forwarded.
    const body =
      '{"event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_big2","amount":9007199254740993,"currency":"INR"}}}}';
    expect((await deliver("razorpay", body)).status).toBe(400);
    expect(dataFast().requests).toHaveLength(0);
  });

  test.each([
    [19.999, "USD", "amount has 3 decimal places, but USD has 2 decimal places: send e.g. 29.99"],
    [1.5, "JPY", "amount has 1 decimal place, but JPY has 0 decimal places: send e.g. 2999"],
  ])("standard answers 400 for %s %s, as /api/payments does", async (amount, currency, message) => {
    const { status, body } = await deliver("standard", { amount, currency, transaction_id: "pay_dec" });
    expect(status).toBe(400);
    expect(body.issues).toEqual([{ path: "amount", message }]);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("standard answers 400 naming an unknown field, as /api/payments does", async () => {
    const payload = { amount: 1, currency: "USD", transactionId: "typo" };
    const { status, body } = await deliver("standard", payload);
    expect(status).toBe(400);
    const paths = (body.issues as { path: string }[]).map((issue) => issue.path).sort();
    expect(paths).toEqual(["transactionId", "transaction_id"]);
  });

  test("an unknown currency is a 400 with the reason", async () => {
    const payload = { event: "charge.success", data: { reference: "r1", amount: 100, currency: "XYZ" } };
    const { status, body } = await deliver("paystack", payload);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { message: expect.stringContaining("unknown currency") } });
  });

  test("mollie ignores a payment that is open, with its status as the reason", async () => {
    const form = molliePayment({ id: "tr_0pen", status: "open", paidAt: null });
    const { status, body } = await deliver("mollie", form);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ignored", reason: expect.stringContaining("open") });
  });

  test("revenuecat flags a free trial start, recorded at 0", async () => {
    const { event } = JSON.parse(provider("revenuecat").payment.body) as { event: Record<string, unknown> };
    const trial = {
      event: { ...event, transaction_id: "rc_trial", period_type: "TRIAL", price_in_purchased_currency: 0 },
    };
    expect((await deliver("revenuecat", trial)).status).toBe(200);
    expect(recorded("rc_trial")).toMatchObject({ amount: 0, is_free_trial: true, renewal: false });
  });

  test("revenuecat records a trial's conversion to paid as a first payment, not a renewal", async () => {
    const { event } = JSON.parse(provider("revenuecat").payment.body) as { event: Record<string, unknown> };
    const conversion = { event: { ...event, type: "RENEWAL", transaction_id: "rc_conv", is_trial_conversion: true } };
    expect((await deliver("revenuecat", conversion)).status).toBe(200);
    expect(recorded("rc_conv")).toMatchObject({ renewal: false, is_free_trial: false, amount: 2.49 });
  });

  test("revenuecat answers 500 when its setting holds the Bearer scheme, never matching the word", async () => {
    const request = new Request("https://functions.example/api/webhooks/revenuecat", {
      method: "POST",
      headers: { authorization: "Bearer Bearer" },
      body: provider("revenuecat").payment.body,
    });
    const env = configuredEnv(dataFast(), {
      ...deployment,
      REVENUECAT_WEBHOOK_AUTH: "Bearer rc_auth_5e8a1d3c7b9f2046",
    });
    const response = await netlify?.invoke("webhooks", request, env);
    expect(response?.status).toBe(500);
    expect(await response?.text()).toContain("REVENUECAT_WEBHOOK_AUTH");
    expect(dataFast().requests).toHaveLength(0);
  });

  test("chargebee answers 401 for the right password under another username", async () => {
    const basic = `Basic ${Buffer.from(`someone_else:${secrets.CHARGEBEE_WEBHOOK_PASSWORD}`).toString("base64")}`;
    const { status } = await deliver("chargebee", provider("chargebee").payment.body, { authorization: basic });
    expect(status).toBe(401);
    expect(dataFast().requests).toHaveLength(0);
  });

  test.each([
    ["CHARGEBEE_WEBHOOK_USERNAME", "chargebee"],
    ["SQUARE_WEBHOOK_URL", "square"],
  ])("answers 500 naming %s when it is not set, never open", async (setting, name) => {
    const { body, headers } = provider(name).payment;
    const env = configuredEnv(dataFast(), { ...deployment, [setting]: "" });
    const response = await netlify?.invoke("webhooks", provider(name).request(body, headers), env);
    expect(response?.status).toBe(500);
    expect(await response?.text()).toContain(setting);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("fastspring records every payment of a batch: an order and a return", async () => {
    const order = JSON.parse(provider("fastspring").payment.body) as { events: unknown[] };
    const refund = JSON.parse(provider("fastspring").refund.body) as { events: unknown[] };
    const batch = { events: [...order.events, { type: "subscription.activated", data: {} }, ...refund.events] };
    expect((await deliver("fastspring", batch)).status).toBe(200);
    expect([...dataFast().payments.keys()].sort()).toEqual(["nvBQmBmNQ-eBRT4SpwoV5A", "refund_2dTGjlPgSeOt8EaAO_ZZBQ"]);
  });

  test.each([
    [
      "paypal",
      (id: string, value: string) => ({
        id: `WH-${id}`,
        event_type: "PAYMENT.CAPTURE.REFUNDED",
        resource: { id, status: "COMPLETED", amount: { value, currency_code: "USD" } },
      }),
      "refund_",
    ],
    [
      "paypal",
      (id: string, value: string) => ({
        id: `WH-${id}`,
        event_type: "PAYMENT.SALE.REFUNDED",
        resource: {
          id,
          sale_id: "80021663DE681814L",
          state: "completed",
          amount: { total: `-${value}`, currency: "USD" },
        },
      }),
      "refund_",
    ],
    [
      "square",
      (id: string, value: string) =>
        squareRefund({ id, amount_money: { amount: Number(value.replace(".", "")), currency: "USD" } }),
      "",
    ],
  ])("%s records two partial refunds of one payment under two ids", async (name, refund, prefix) => {
    expect((await deliver(name, refund("7RF00001", "1.00"))).status).toBe(200);
    expect((await deliver(name, refund("7RF00002", "2.50"))).status).toBe(200);
    expect(recorded(`${prefix}7RF00001`)).toMatchObject({ amount: 1, refunded: true });
    expect(recorded(`${prefix}7RF00002`)).toMatchObject({ amount: 2.5, refunded: true });
  });

  // Square's own SDK checks what our fixtures sign, so the fixtures and our verifier cannot share
  // a misreading of the scheme.
  test("square's SDK verifier accepts the signature of every square fixture", async () => {
    const { WebhooksHelper } = await import("square");
    const square = provider("square");
    for (const example of [square.payment, square.renewal, square.refund]) {
      const signatureHeader = square.request(example.body).headers.get("x-square-hmacsha256-signature") ?? "";
      const verify = (signatureKey: string) =>
        WebhooksHelper.verifySignature({
          requestBody: example.body,
          signatureHeader,
          signatureKey,
          notificationUrl: settings.SQUARE_WEBHOOK_URL,
        });
      expect(await verify(secrets.SQUARE_WEBHOOK_SIGNATURE_KEY)).toBe(true);
      expect(await verify("another-key")).toBe(false);
    }
  });

  test("square falls back to amount_money and the event's time when a payment lacks total_money and dates", async () => {
    const payload = {
      type: "payment.updated",
      created_at: "2021-01-02T03:04:05Z",
      data: {
        object: { payment: { id: "sq_old", status: "COMPLETED", amount_money: { amount: 1999, currency: "JPY" } } },
      },
    };
    expect((await deliver("square", payload)).status).toBe(200);
    expect(recorded("sq_old")).toEqual({
      amount: 1999,
      currency: "JPY",
      transaction_id: "sq_old",
      timestamp: "2021-01-02T03:04:05.000Z",
    });
  });

  test("fastspring records a rebill whose subscription is sent as a bare id, unattributed", async () => {
    const charge = {
      type: "subscription.charge.completed",
      data: {
        status: "successful",
        total: "5.00",
        currency: "EUR",
        sequence: 3,
        subscription: "sub_1",
        order: { id: "o_3" },
      },
    };
    expect((await deliver("fastspring", { events: [charge] })).status).toBe(200);
    expect(recorded("o_3")).toEqual({ amount: 5, currency: "EUR", transaction_id: "o_3", renewal: true });
  });
});

test("an ignored event's name and reason are masked of emails before they are cut, for every provider", () => {
  const event = `${"a".repeat(95)} jane.doe@example.com`;
  const result = ignored(event, `Event ${event} is not a payment`);
  expect(result).toEqual({
    kind: "ignored",
    event: `${"a".repeat(95)} [ema…`,
    reason: `Event ${"a".repeat(95)} [email] is not a payment`,
  });
});
