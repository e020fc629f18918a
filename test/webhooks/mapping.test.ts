import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { nowSeconds, whsecKey } from "../../dev/webhook-signing.ts";
import { configuredEnv, useDataFast } from "../support/payments.ts";
import { platforms } from "../support/platforms.ts";
import { creemSubscription, gumroadPing, type ProviderCase, providerCases, secrets } from "./cases.ts";

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
    configuredEnv(dataFast(), secrets),
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

  test("paystack derives a refund id from the charge when the refund has none", async () => {
    const payload = {
      event: "refund.processed",
      data: { transaction_reference: "ref_9", amount: 700, currency: "GHS", status: "processed" },
    };
    expect((await deliver("paystack", payload)).status).toBe(200);
    expect(recorded("refund_ref_9")).toMatchObject({ refunded: true, amount: 7, currency: "GHS" });
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

  test("gumroad records a ping without resource_name as a sale", async () => {
    const ping = new URLSearchParams(gumroadPing());
    ping.delete("resource_name");
    expect((await deliver("gumroad", ping.toString())).status).toBe(200);
    expect(recorded("sale_gum_001")).toMatchObject({ amount: 19.99 });
  });

  // The standardwebhooks library signs the body decoded as text, so it is not byte-exact: a body
  // that is not UTF-8 must be refused whichever way the sender signed it, never recorded.
  test.each([
    ["its bytes", 401, (bytes: Buffer) => bytes],
    ["its decoded text", 400, (bytes: Buffer) => Buffer.from(bytes.toString("utf8"))],
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
    const response = await netlify.invoke("webhooks", request, configuredEnv(dataFast(), secrets));
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
    expect(body).toMatchObject({ error: { message: expect.stringContaining("more than 2 decimals") } });
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
});
