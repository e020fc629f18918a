import { describe, expect, test } from "vitest";
import { handlePayment } from "../shared/handle-payment.ts";
import type { LogLine } from "../shared/log.ts";
import { parsePayment } from "../shared/payment.ts";
import { envRuntime } from "../shared/runtime.ts";
import { handleWebhook } from "../shared/webhooks/handle-webhook.ts";
import { configuredEnv, errorOf, paymentRequest, useDataFast } from "./support/payments.ts";

const dataFast = useDataFast();

function run(handler: typeof handlePayment, request: Request) {
  const lines: LogLine[] = [];
  const runtime = {
    ...envRuntime("netlify", configuredEnv(dataFast(), { PADDLE_WEBHOOK_SECRET: "pdl_test_secret" })),
    log: (line: LogLine) => lines.push(line),
  };
  return { lines, response: handler(request, runtime) };
}

const messagesOf = (input: unknown) => {
  const parsed = parsePayment(input);
  return parsed.ok ? {} : Object.fromEntries(parsed.issues.map((issue) => [issue.path, issue.message]));
};

describe("validation messages name the field and the fix", () => {
  test("a missing field says it is required and what it holds", () => {
    expect(messagesOf({ amount: 29.99, transaction_id: "pay_1" })).toEqual({
      currency: "currency is required: an ISO 4217 code such as USD",
    });
  });

  test("a number sent as a string says so", () => {
    expect(messagesOf({ amount: "29.99", currency: "USD", transaction_id: "pay_1" })).toEqual({
      amount: "amount must be a number like 29.99, not a string",
    });
  });

  test("a timestamp without a zone asks for one", () => {
    expect(messagesOf({ amount: 1, currency: "USD", transaction_id: "p", timestamp: "2026-01-31T12:00:00" })).toEqual({
      timestamp: "timestamp needs a time zone, e.g. 2026-01-31T12:00:00Z",
    });
    expect(messagesOf({ amount: 1, currency: "USD", transaction_id: "p", timestamp: "yesterday" })).toEqual({
      timestamp: "timestamp must be an ISO 8601 time with a time zone, e.g. 2026-01-31T12:00:00Z",
    });
  });

  test("an unknown field suggests the field it resembles", () => {
    expect(messagesOf({ amount: 1, currency: "USD", transaction_id: "p", transactionId: "p", Renewal: true })).toEqual({
      transactionId: "unknown field transactionId: did you mean transaction_id?",
      Renewal: "unknown field Renewal: did you mean renewal?",
    });
    expect(messagesOf({ amount: 1, currency: "USD", transaction_id: "p", coupon: "x" })).toEqual({
      coupon: "unknown field coupon (remove it)",
    });
  });

  test("bad values of every kind get a sentence, never the value", () => {
    const messages = messagesOf({
      amount: -1,
      currency: "XYZ",
      transaction_id: " ",
      renewal: "yes",
      email: "x".repeat(400),
    });
    expect(messages).toEqual({
      amount: "amount must be 0 or more (send a refund as a positive amount with refunded: true)",
      currency: "currency must be an ISO 4217 code such as USD, EUR or JPY",
      transaction_id: "transaction_id must not be blank",
      renewal: "renewal must be true or false, not a string",
      email: "email must be at most 320 characters",
    });
    expect(messagesOf([1, 2])).toEqual({
      "": `The body must be a JSON object such as {"amount":29.99,"currency":"USD","transaction_id":"pay_123"}, not an array`,
    });
  });
});

describe("the log line of a refused payment", () => {
  test("carries time, platform and the issues (paths and messages, never values)", async () => {
    const { lines, response } = run(
      handlePayment,
      paymentRequest({ amount: "buyer@example.com", currency: "USD", transactionId: "secret-ish-value" }),
    );
    expect((await response).status).toBe(400);
    const [line] = lines;
    expect(line).toMatchObject({
      platform: "netlify",
      status: 400,
      issues:
        "amount: amount must be a number like 29.99, not a string; transaction_id: transaction_id is required: your payment's unique id, such as pay_123; transactionId: unknown field transactionId: did you mean transaction_id?",
    });
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
    expect(JSON.stringify(line)).not.toMatch(/buyer@|secret-ish-value/);
  });

  test("says how many decimals an amount has and its currency allows, never the amount", async () => {
    const { lines, response } = run(
      handlePayment,
      paymentRequest({ amount: 123.4567, currency: "EUR", transaction_id: "pay_1" }),
    );
    const body = await errorOf(await response);
    const message = "amount has 4 decimal places, but EUR has 2 decimal places: send e.g. 29.99";
    expect(body.issues).toEqual([{ path: "amount", message }]);
    expect(lines[0]?.issues).toBe(`amount: ${message}`);
    expect(JSON.stringify(lines)).not.toContain("123.4567");
  });
});

describe("a request the function cannot serve as sent", () => {
  const mountFirst = /mount the function before any body parser/;

  test("an unknown provider lists the known ones", async () => {
    const request = new Request("https://functions.example/api/webhooks/stripe", { method: "POST", body: "{}" });
    const body = await errorOf(await run(handleWebhook, request).response);
    expect(body.error.message).toBe(
      'Unknown webhook provider "stripe"; known: standard, dodo, whop, paddle, creem, shopify, razorpay, paystack, gumroad, revenuecat, paypal, mollie, chargebee, fastspring, square',
    );
  });

  test.each([
    ["payments", handlePayment, () => paymentRequest()],
    [
      "webhooks",
      handleWebhook,
      () => new Request("https://f.example/api/webhooks/paddle", { method: "POST", body: "{}" }),
    ],
  ] as const)("%s: a body a framework already read is a 500 that says where to mount", async (_, handler, make) => {
    const request = make();
    await request.text();
    const response = await run(handler, request).response;
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toMatch(mountFirst);
  });

  test("an adapter that finds the stream drained (express.json() first) gets the same answer", async () => {
    // What the README's Express adapter hands over when a parser has drained the stream: the
    // headers announce a body, and there is none.
    const request = new Request("https://functions.example/api/payments", {
      method: "POST",
      headers: { ...Object.fromEntries(paymentRequest().headers), "content-length": "64" },
    });
    const response = await run(handlePayment, request).response;
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toMatch(mountFirst);
  });
});
