import { randomBytes } from "node:crypto";
import { currencyExponent, toMinorUnits } from "../shared/currency.ts";

/** Which money movement a sample event stands for. */
export type EventKind = "payment" | "refund" | "renewal";

export interface SampleOptions {
  kind: EventKind;
  /** Major units, as a person writes it: 29.99. */
  amount: number;
  /** ISO 4217, any case. */
  currency: string;
}

/** A delivery's body and the headers it needs besides the signature (Shopify's topic). */
export interface SampleEvent {
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

/**
 * Realistic events per provider, shaped like each provider's documented payload (the same shapes
 * as test/webhooks/cases.ts), with fresh ids so every send is a new payment.
 */
export const sampleEvents: Record<string, (options: SampleOptions) => SampleEvent> = {
  standard: ({ kind, amount, currency }) =>
    json({
      amount,
      currency,
      transaction_id: freshId(kind === "refund" ? "re" : "pay"),
      ...(kind === "renewal" && { renewal: true }),
      ...(kind === "refund" && { refunded: true }),
    }),
  dodo: ({ kind, amount, currency }) => {
    const minor = minorUnits(amount, currency);
    if (kind === "refund") {
      return json({
        business_id: "bus_sample",
        type: "refund.succeeded",
        timestamp: now(),
        data: {
          payload_type: "Refund",
          refund_id: freshId("ref"),
          payment_id: freshId("pay"),
          amount: minor,
          currency,
          status: "succeeded",
          is_partial: false,
          created_at: now(),
        },
      });
    }
    return json({
      business_id: "bus_sample",
      type: "payment.succeeded",
      timestamp: now(),
      data: {
        payload_type: "Payment",
        payment_id: freshId("pay"),
        business_id: "bus_sample",
        status: "succeeded",
        total_amount: minor,
        currency,
        subscription_id: kind === "renewal" ? "sub_sample" : null,
        customer: { customer_id: "cus_sample", email: "buyer@example.com", name: "Sample Buyer" },
        metadata: {},
        created_at: now(),
      },
    });
  },
  whop: ({ kind, amount, currency }) => {
    if (kind === "refund") {
      return json({
        type: "refund.created",
        data: { id: freshId("rfnd"), amount, currency: currency.toLowerCase(), status: "succeeded", created_at: now() },
      });
    }
    return json({
      id: freshId("msg"),
      api_version: "v1",
      type: "payment.succeeded",
      timestamp: now(),
      data: {
        id: freshId("pay"),
        status: "paid",
        total: amount,
        currency: currency.toLowerCase(),
        billing_reason: kind === "renewal" ? "subscription_cycle" : "one_time",
        paid_at: now(),
        created_at: now(),
        user: { id: "user_sample", name: "Sample Buyer", username: "sample", email: "buyer@example.com" },
        metadata: {},
      },
    });
  },
  paddle: ({ kind, amount, currency }) => {
    const minor = String(minorUnits(amount, currency));
    if (kind === "refund") {
      return json({
        event_id: freshId("evt"),
        event_type: "adjustment.updated",
        occurred_at: now(),
        notification_id: freshId("ntf"),
        data: {
          id: freshId("adj"),
          action: "refund",
          type: "full",
          status: "approved",
          transaction_id: freshId("txn"),
          customer_id: "ctm_sample",
          currency_code: currency,
          items: [],
          totals: { subtotal: minor, tax: "0", total: minor, fee: "0", earnings: minor, currency_code: currency },
          created_at: now(),
          updated_at: now(),
        },
      });
    }
    return json({
      event_id: freshId("evt"),
      event_type: "transaction.completed",
      occurred_at: now(),
      notification_id: freshId("ntf"),
      data: {
        id: freshId("txn"),
        status: "completed",
        customer_id: "ctm_sample",
        origin: kind === "renewal" ? "subscription_recurring" : "web",
        subscription_id: kind === "renewal" ? "sub_sample" : null,
        currency_code: currency,
        custom_data: null,
        billed_at: now(),
        items: [],
        payments: [],
        details: {
          tax_rates_used: [],
          totals: {
            subtotal: minor,
            tax: "0",
            discount: "0",
            total: minor,
            grand_total: minor,
            currency_code: currency,
          },
          line_items: [],
        },
      },
    });
  },
  creem: ({ kind, amount, currency }) => {
    const minor = minorUnits(amount, currency);
    const customer = { id: "cust_sample", object: "customer", email: "buyer@example.com", name: "Sample Buyer" };
    if (kind === "refund") {
      return json({
        id: freshId("evt"),
        eventType: "refund.created",
        created_at: Date.now(),
        object: {
          id: freshId("ref"),
          object: "refund",
          status: "succeeded",
          refund_amount: minor,
          refund_currency: currency,
          transaction: { id: freshId("tran"), amount: minor },
          customer,
        },
      });
    }
    if (kind === "renewal") {
      // A later period than the subscription's creation: Creem's first period is its checkout.
      const month = 31 * 24 * 3600 * 1000;
      return json({
        id: freshId("evt"),
        eventType: "subscription.paid",
        created_at: Date.now(),
        object: {
          id: "sub_sample",
          object: "subscription",
          product: { id: "prod_sample", name: "Monthly", price: minor, currency, billing_type: "recurring" },
          customer,
          status: "active",
          last_transaction_id: freshId("tran"),
          last_transaction_date: now(),
          current_period_start_date: now(),
          created_at: new Date(Date.now() - month).toISOString(),
          metadata: {},
        },
      });
    }
    return json({
      id: freshId("evt"),
      eventType: "checkout.completed",
      created_at: Date.now(),
      object: {
        id: freshId("ch"),
        object: "checkout",
        order: {
          id: freshId("ord"),
          customer: "cust_sample",
          amount: minor,
          currency,
          status: "paid",
          type: "onetime",
        },
        customer,
        status: "completed",
        metadata: {},
      },
    });
  },
  shopify: ({ kind, amount, currency }) => {
    const price = amount.toFixed(currencyExponent(currency));
    // Shopify's ids outgrow 2^53; the GraphQL id carries the exact one.
    const id = freshNumber();
    const customerId = freshNumber();
    if (kind === "refund") {
      return json(
        {
          id,
          admin_graphql_api_id: `gid://shopify/Refund/${id}`,
          order_id: freshNumber(),
          created_at: now(),
          processed_at: now(),
          transactions: [{ id: freshNumber(), kind: "refund", status: "success", amount: price, currency }],
        },
        { "x-shopify-topic": "refunds/create" },
      );
    }
    return json(
      {
        id,
        admin_graphql_api_id: `gid://shopify/Order/${id}`,
        email: "buyer@example.com",
        created_at: now(),
        processed_at: now(),
        currency,
        total_price: price,
        financial_status: "paid",
        source_name: kind === "renewal" ? "subscription_contract" : "web",
        note_attributes: [],
        customer: {
          id: customerId,
          admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
          email: "buyer@example.com",
          first_name: "Sample",
          last_name: "Buyer",
        },
      },
      { "x-shopify-topic": "orders/paid", "x-shopify-webhook-id": freshId("wh") },
    );
  },
  razorpay: ({ kind, amount, currency }) => {
    const minor = minorUnits(amount, currency);
    const payment = {
      id: freshId("pay"),
      entity: "payment",
      amount: minor,
      currency,
      status: "captured",
      invoice_id: kind === "renewal" ? freshId("inv") : null,
      captured: true,
      email: "buyer@example.com",
      customer_id: "cust_sample",
      notes: [],
      created_at: nowSeconds(),
    };
    const event = (name: string, payload: Record<string, unknown>) =>
      json({ entity: "event", event: name, contains: Object.keys(payload), payload, created_at: nowSeconds() });
    if (kind === "refund") {
      const refund = { id: freshId("rfnd"), entity: "refund", amount: minor, currency, status: "processed" };
      return event("refund.processed", { refund: { entity: { ...refund, created_at: nowSeconds() } } });
    }
    if (kind === "renewal") {
      return event("subscription.charged", {
        subscription: { entity: { id: "sub_sample", paid_count: 2, notes: [] } },
        payment: { entity: payment },
      });
    }
    return event("payment.captured", { payment: { entity: payment } });
  },
  paystack: ({ kind, amount, currency }) => {
    const minor = minorUnits(amount, currency);
    if (kind === "refund") {
      return json({
        event: "refund.processed",
        data: {
          status: "processed",
          transaction_reference: freshId("ref"),
          refund_reference: freshId("rfd"),
          amount: String(minor),
          currency,
        },
      });
    }
    return json({
      event: "charge.success",
      data: {
        id: freshNumber(),
        status: "success",
        reference: freshId("ref"),
        amount: minor,
        currency,
        paid_at: now(),
        metadata: {},
        customer: { first_name: "Sample", last_name: "Buyer", email: "buyer@example.com", customer_code: "CUS_sample" },
        plan: kind === "renewal" ? { plan_code: "PLN_sample" } : {},
      },
    });
  },
  gumroad: ({ kind, amount, currency }) => ({
    body: new URLSearchParams({
      sale_id: freshId("sale"),
      sale_timestamp: now(),
      email: "buyer@example.com",
      full_name: "Sample Buyer",
      // Gumroad's price is in the currency's minor units.
      price: String(minorUnits(amount, currency)),
      currency: currency.toLowerCase(),
      is_recurring_charge: String(kind === "renewal"),
      refunded: String(kind === "refund"),
      ...(kind === "refund" && { resource_name: "refund" }),
    }).toString(),
    contentType: "application/x-www-form-urlencoded",
    headers: {},
  }),
};

function json(value: unknown, headers: Record<string, string> = {}): SampleEvent {
  return { body: JSON.stringify(value), contentType: "application/json", headers };
}

const minorUnits = (amount: number, currency: string) => Number(toMinorUnits(amount, currencyExponent(currency)));
const now = () => new Date().toISOString();
const nowSeconds = () => Math.floor(Date.now() / 1000);
const freshId = (prefix: string) => `${prefix}_sample_${randomBytes(6).toString("hex")}`;
const freshNumber = () => Number.parseInt(randomBytes(5).toString("hex"), 16);
