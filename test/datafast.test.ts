import { describe, expect, test } from "vitest";
import { sendPayment } from "../shared/datafast.ts";
import { handlePayment } from "../shared/handle-payment.ts";
import type { LogLine } from "../shared/log.ts";
import { envRuntime } from "../shared/runtime.ts";
import { freePort } from "./support/net.ts";
import { API_KEY, configuredEnv, paymentRequest, useDataFast } from "./support/payments.ts";

const dataFast = useDataFast();
const payment = { amount: 10, currency: "EUR", transaction_id: "pay_send" };
const send = (timeoutMs = 5000) =>
  sendPayment(payment, { apiUrl: dataFast().url, apiKey: API_KEY, deadline: Date.now() + timeoutMs });

describe("sendPayment", () => {
  test("honours Retry-After before retrying a 429", async () => {
    dataFast().fault = (_, count) => (count === 1 ? { status: 429, headers: { "retry-after": "1" } } : undefined);
    const started = Date.now();
    const outcome = await send();
    expect(outcome).toMatchObject({ kind: "recorded", attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("reads X-RateLimit-Reset when there is no Retry-After", async () => {
    const reset = String(Date.now() + 600);
    dataFast().fault = (_, count) =>
      count === 1 ? { status: 429, headers: { "x-ratelimit-reset": reset } } : undefined;
    const started = Date.now();
    expect(await send()).toMatchObject({ kind: "recorded", attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  test.each([
    ["an HTTP date", () => ({ "retry-after": new Date(Date.now() + 1500).toUTCString() })],
    ["a reset in epoch seconds", () => ({ "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 1) })],
    ["a reset as a duration in ms", () => ({ "x-ratelimit-reset": "700" })],
  ])("waits for a 429's %s", async (_, headers) => {
    dataFast().fault = (__, count) => (count === 1 ? { status: 429, headers: headers() } : undefined);
    const started = Date.now();
    expect(await send()).toMatchObject({ kind: "recorded", attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  test.each([
    ['{"message":"Top-level message"}', "Top-level message"],
    ['{"error":"Flat error"}', "Flat error"],
    ["", "(empty body)"],
  ])("reads DataFast's reason from %j", async (body, reason) => {
    dataFast().fault = () => ({ status: 404, body });
    expect(await send()).toMatchObject({ kind: "rejected", message: `DataFast answered 404: ${reason}` });
  });

  test("names the network error when DataFast cannot be reached", async () => {
    const port = await freePort();
    const outcome = await sendPayment(payment, {
      apiUrl: `http://127.0.0.1:${port}/api/v1`,
      apiKey: API_KEY,
      deadline: Date.now() + 800,
    });
    expect(outcome).toMatchObject({ kind: "unavailable", message: "DataFast could not be reached (ECONNREFUSED)" });
  });

  test("retries a reset connection and a 408", async () => {
    dataFast().fault = (_, count) => (count === 1 ? { reset: true } : count === 2 ? { status: 408 } : undefined);
    expect(await send()).toMatchObject({ kind: "recorded", attempts: 3 });
  });

  test("gives up after four attempts", async () => {
    dataFast().fault = () => ({ status: 502 });
    expect(await send()).toMatchObject({ kind: "unavailable", status: 502, attempts: 4 });
    expect(dataFast().requests).toHaveLength(4);
  });

  test("does not retry a payment DataFast refused", async () => {
    dataFast().fault = () => ({ status: 400, body: "plain text reason" });
    expect(await send()).toMatchObject({
      kind: "rejected",
      status: 400,
      message: "DataFast answered 400: plain text reason",
    });
  });

  test("leaves a hung attempt room for a retry within the budget", async () => {
    dataFast().fault = (_, count) => (count === 1 ? { hang: true } : undefined);
    expect(await send(6000)).toMatchObject({ kind: "recorded", attempts: 2 });
  });
});

describe("answers and logs", () => {
  test("a 200 with a body that is not JSON still counts as recorded", async () => {
    dataFast().fault = () => ({ status: 200, body: "<html>ok</html>" });
    const lines: LogLine[] = [];
    const runtime = { ...envRuntime("test", configuredEnv(dataFast())), log: (line: LogLine) => lines.push(line) };
    const response = await handlePayment(paymentRequest(), runtime);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: "Payment recorded", transaction_id: "pay_001" });
    expect(lines).toEqual([
      expect.objectContaining({ level: "info", route: "payments", status: 200, outcome: "recorded", attempts: 1 }),
    ]);
  });

  test("one log line per request, without the email, key or token", async () => {
    const lines: LogLine[] = [];
    const env = configuredEnv(dataFast());
    const runtime = { ...envRuntime("test", env), log: (line: LogLine) => lines.push(line) };
    // DataFast quoting the email back, in quotes that JSON escapes: masking must keep the JSON valid.
    dataFast().fault = () => ({
      status: 400,
      body: JSON.stringify({ error: { message: 'Bad email "buyer@example.com"' } }),
    });
    const response = await handlePayment(
      paymentRequest({ ...payment, email: "buyer@example.com", datafast_visitor_id: undefined }),
      runtime,
    );
    expect(response.status).toBe(422);
    const answer = await response.text();
    expect(JSON.parse(answer)).toMatchObject({ error: { message: 'DataFast answered 400: Bad email "[email]"' } });
    const text = JSON.stringify(lines) + answer;
    expect(lines).toHaveLength(1);
    expect(text).toContain("[email]");
    for (const secret of ["buyer@example.com", env.DATAFAST_API_KEY, env.PAYMENTS_AUTH_TOKEN]) {
      expect(text).not.toContain(secret);
    }
  });
});
