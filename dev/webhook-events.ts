import { randomBytes, randomUUID } from "node:crypto";
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
  /**
   * Mollie only: the payment its API must hold, which the delivery (`id=tr_…`) merely names. The
   * function fetches it with MOLLIE_API_KEY: that fetch is Mollie's verification.
   */
  molliePayment?: Record<string, unknown>;
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
      // Gumroad charges in USD: `price` is USD cents whatever the product's display `currency`.
      price: String(minorUnits(amount, "USD")),
      currency: currency.toLowerCase(),
      is_recurring_charge: String(kind === "renewal"),
      refunded: String(kind === "refund"),
      ...(kind === "refund" && { resource_name: "refund" }),
    }).toString(),
    contentType: "application/x-www-form-urlencoded",
    headers: {},
  }),
  revenuecat: ({ kind, amount, currency }) => {
    const transactionId = freshId("rc_txn");
    // A store refund is a CANCELLATION for CUSTOMER_SUPPORT with a negative price.
    const price = kind === "refund" ? -amount : amount;
    return json({
      api_version: "1.0",
      event: {
        id: freshId("rc_evt"),
        type: { payment: "INITIAL_PURCHASE", renewal: "RENEWAL", refund: "CANCELLATION" }[kind],
        ...(kind === "refund" && { cancel_reason: "CUSTOMER_SUPPORT" }),
        app_id: "app_sample",
        app_user_id: "user_sample",
        environment: "SANDBOX",
        store: "APP_STORE",
        product_id: "monthly_sample",
        period_type: "NORMAL",
        currency,
        price,
        price_in_purchased_currency: price,
        transaction_id: transactionId,
        original_transaction_id: transactionId,
        purchased_at_ms: Date.now(),
        event_timestamp_ms: Date.now(),
        subscriber_attributes: { $email: { value: "buyer@example.com", updated_at_ms: Date.now() } },
      },
    });
  },
  paypal: ({ kind, amount, currency }) => {
    const value = amount.toFixed(currencyExponent(currency));
    const event = (eventType: string, resourceType: string, resource: Record<string, unknown>) =>
      json({
        id: freshId("WH"),
        event_version: "1.0",
        create_time: now(),
        resource_type: resourceType,
        event_type: eventType,
        summary: `Sample ${eventType}`,
        resource: { id: freshId("PP"), create_time: now(), update_time: now(), ...resource },
      });
    if (kind === "refund") {
      return event("PAYMENT.CAPTURE.REFUNDED", "refund", {
        amount: { currency_code: currency, value },
        status: "COMPLETED",
      });
    }
    // A subscription's charge is PAYMENT.SALE.COMPLETED (the older sale shape), a checkout's a capture.
    if (kind === "renewal") {
      return event("PAYMENT.SALE.COMPLETED", "sale", {
        state: "completed",
        amount: { total: value, currency },
        billing_agreement_id: "I-SAMPLE0000000",
      });
    }
    return event("PAYMENT.CAPTURE.COMPLETED", "capture", {
      amount: { currency_code: currency, value },
      final_capture: true,
      status: "COMPLETED",
    });
  },
  mollie: ({ kind, amount, currency }) => {
    const value = amount.toFixed(currencyExponent(currency));
    const money = { value, currency };
    const payment = {
      resource: "payment",
      id: mollieId("tr"),
      mode: "test",
      createdAt: now(),
      amount: money,
      description: "Sample order",
      method: "ideal",
      metadata: {},
      status: "paid",
      paidAt: now(),
      sequenceType: kind === "renewal" ? "recurring" : "oneoff",
      customerId: "cst_sample",
      // Mollie calls the payment's webhook again when a refund of it changes status.
      ...(kind === "refund" && {
        amountRefunded: money,
        _embedded: {
          refunds: [{ resource: "refund", id: mollieId("re"), amount: money, status: "refunded", createdAt: now() }],
        },
      }),
    };
    return { ...form({ id: payment.id }), molliePayment: payment };
  },
  chargebee: ({ kind, amount, currency }) =>
    json({
      id: freshId("ev"),
      occurred_at: nowSeconds(),
      source: "admin_console",
      object: "event",
      api_version: "v2",
      event_type: kind === "refund" ? "payment_refunded" : "payment_succeeded",
      content: {
        transaction: {
          id: freshId("txn"),
          customer_id: "cus_sample",
          subscription_id: "sub_sample",
          type: kind === "refund" ? "refund" : "payment",
          date: nowSeconds(),
          // Chargebee's amounts are in the currency's minor units.
          amount: minorUnits(amount, currency),
          status: "success",
          object: "transaction",
          currency_code: currency,
        },
        ...(kind !== "refund" && {
          invoice: { id: freshId("inv"), recurring: true, status: "paid", first_invoice: kind === "payment" },
        }),
        customer: { id: "cus_sample", first_name: "Sample", last_name: "Buyer", email: "buyer@example.com" },
      },
    }),
  fastspring: ({ kind, amount, currency }) => {
    const order = freshId("fs_order");
    const event = (type: string, data: Record<string, unknown>) =>
      json({ events: [{ id: freshId("fs_evt"), type, live: false, processed: false, created: Date.now(), data }] });
    if (kind === "refund") {
      return event("return.created", {
        return: freshId("fs_return"),
        completed: true,
        changed: Date.now(),
        currency,
        totalReturn: amount,
        original: { id: order, order },
        type: "RETURN",
      });
    }
    if (kind === "renewal") {
      return event("subscription.charge.completed", {
        currency,
        total: amount,
        status: "successful",
        timestamp: Date.now(),
        sequence: 2,
        subscription: { id: "fs_sub_sample" },
        order: { id: order },
      });
    }
    return event("order.completed", {
      order,
      id: order,
      completed: true,
      changed: Date.now(),
      currency,
      total: amount,
      customer: { first: "Sample", last: "Buyer", email: "buyer@example.com" },
      items: [{ product: "sample-product", quantity: 1, subtotal: amount }],
    });
  },
  square: ({ kind, amount, currency }) => {
    const money = { amount: minorUnits(amount, currency), currency };
    const event = (type: string, objectType: string, object: Record<string, unknown>) =>
      json({
        merchant_id: "MERCHANT_SAMPLE",
        type,
        event_id: randomUUID(),
        created_at: now(),
        data: { type: objectType, id: object.id, object: { [objectType]: object } },
      });
    if (kind === "refund") {
      const refund = {
        id: freshId("sq_refund"),
        payment_id: freshId("sq_pay"),
        amount_money: money,
        status: "COMPLETED",
      };
      return event("refund.updated", "refund", { ...refund, created_at: now(), updated_at: now() });
    }
    // Square marks no renewal: a subscription's invoice payment is a payment like any other.
    return event("payment.updated", "payment", {
      id: freshId("sq_pay"),
      amount_money: money,
      total_money: money,
      status: "COMPLETED",
      source_type: "CARD",
      buyer_email_address: "buyer@example.com",
      created_at: now(),
      updated_at: now(),
    });
  },
};

function json(value: unknown, headers: Record<string, string> = {}): SampleEvent {
  return { body: JSON.stringify(value), contentType: "application/json", headers };
}

function form(fields: Record<string, string>): SampleEvent {
  return {
    body: new URLSearchParams(fields).toString(),
    contentType: "application/x-www-form-urlencoded",
    headers: {},
  };
}

const minorUnits = (amount: number, currency: string) => Number(toMinorUnits(amount, currency));
const now = () => new Date().toISOString();
const nowSeconds = () => Math.floor(Date.now() / 1000);
const freshId = (prefix: string) => `${prefix}_sample_${randomBytes(6).toString("hex")}`;
/** Mollie's ids are a prefix and letters or digits only (`tr_7UhSN1zuXS`). */
const mollieId = (prefix: string) => `${prefix}_sample${randomBytes(5).toString("hex")}`;
const freshNumber = () => Number.parseInt(randomBytes(5).toString("hex"), 16);
