import { describe, expect, test } from "vitest";
import { parsePayment } from "../shared/payment.ts";

const valid = { amount: 29.99, currency: "usd", transaction_id: "pay_1" };

function issuesOf(input: unknown) {
  const result = parsePayment(input);
  if (result.ok) throw new Error("expected the payment to be invalid");
  return result.issues;
}

describe("parsePayment", () => {
  test("accepts every documented field and upper-cases the currency", () => {
    const input = {
      ...valid,
      datafast_visitor_id: "3f1c2b9e-5d7a-4c1e-9f00-1a2b3c4d5e6f",
      email: "a@example.com",
      name: "Ada",
      customer_id: "cus_1",
      renewal: true,
      refunded: false,
      is_free_trial: false,
      timestamp: "2026-11-26T10:00:00.000+02:00",
    };
    expect(parsePayment(input)).toEqual({ ok: true, payment: { ...input, currency: "USD" } });
  });

  test("accepts a zero amount (free trial)", () => {
    expect(parsePayment({ ...valid, amount: 0 }).ok).toBe(true);
  });

  test.each([
    ["a negative amount", { ...valid, amount: -1 }, "amount"],
    ["an amount as a string", { ...valid, amount: "29.99" }, "amount"],
    ["an unknown currency", { ...valid, currency: "XYZ" }, "currency"],
    ["a blank transaction_id", { ...valid, transaction_id: "  " }, "transaction_id"],
    ["a numeric transaction_id", { ...valid, transaction_id: 42 }, "transaction_id"],
    ["a timestamp without a zone", { ...valid, timestamp: "2026-11-26T10:00:00" }, "timestamp"],
    ["a date-only timestamp", { ...valid, timestamp: "2026-11-26" }, "timestamp"],
    ["renewal as a string", { ...valid, renewal: "true" }, "renewal"],
    ["an over-long transaction_id", { ...valid, transaction_id: "x".repeat(256) }, "transaction_id"],
  ])("rejects %s", (_, input, path) => {
    expect(issuesOf(input).map((issue) => issue.path)).toEqual([path]);
  });

  test.each([
    [19.999, "USD", "amount has 3 decimal places, but USD has 2 decimal places: send e.g. 29.99"],
    [1.5, "jpy", "amount has 1 decimal place, but JPY has 0 decimal places: send e.g. 2999"],
    [0.1 + 0.2, "USD", "amount has 17 decimal places, but USD has 2 decimal places: send e.g. 29.99"],
    [1.2345, "KWD", "amount has 4 decimal places, but KWD has 3 decimal places: send e.g. 2.999"],
    [1e-7, "EUR", "amount has 7 decimal places, but EUR has 2 decimal places: send e.g. 29.99"],
  ])("refuses %s %s: more decimals than the currency has, in words without the amount", (amount, currency, message) => {
    expect(issuesOf({ ...valid, amount, currency })).toEqual([{ path: "amount", message }]);
  });

  test.each([
    [90071992547409.91, "USD"],
    [Number.MAX_SAFE_INTEGER, "JPY"],
    [1e21, "USD"],
  ])("refuses %s %s: more digits than a JSON number carries exactly", (amount, currency) => {
    expect(issuesOf({ ...valid, amount, currency })).toEqual([
      {
        path: "amount",
        message: expect.stringMatching(/^amount is too large: at most 999999999999999 minor units of [A-Z]{3}/),
      },
    ]);
  });

  test.each([
    [19.9, "USD"],
    [1999, "JPY"],
    [1.999, "KWD"],
    [9999999999999.99, "USD"],
  ])("accepts %s %s, within the currency's decimals", (amount, currency) => {
    expect(parsePayment({ ...valid, amount, currency }).ok).toBe(true);
  });

  test("lists an inexact amount along with every other issue", () => {
    const issues = issuesOf({ ...valid, amount: 19.999, transaction_id: " ", transactionId: "t" });
    expect(issues.map((issue) => issue.path).sort()).toEqual(["amount", "transactionId", "transaction_id"]);
  });

  test("names each unknown field, including __proto__", () => {
    const input = JSON.parse('{"amount":1,"currency":"EUR","transaction_id":"t","transactionId":"t","__proto__":{}}');
    expect(
      issuesOf(input)
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(["__proto__", "transactionId"]);
  });

  test.each([null, [], "pay", 42])("answers issues, never throws, for a body that is %j", (input) => {
    expect(issuesOf(input)).toEqual([{ path: "", message: expect.stringContaining("The body must be a JSON object") }]);
  });

  test("lists every missing required field", () => {
    expect(issuesOf({}).map((issue) => issue.path)).toEqual(["amount", "currency", "transaction_id"]);
  });

  test("takes customer_email / customer_name as aliases, and refuses two different values", () => {
    expect(parsePayment({ ...valid, customer_email: "a@example.com", customer_name: "Ada" })).toEqual({
      ok: true,
      payment: { ...valid, currency: "USD", email: "a@example.com", name: "Ada" },
    });
    expect(issuesOf({ ...valid, email: "a@example.com", customer_email: "b@example.com" })).toEqual([
      { path: "customer_email", message: 'Conflicts with "email"; send one of the two' },
    ]);
  });
});
