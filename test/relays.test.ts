import { describe, expect, test } from "vitest";
import type { DataFastStandIn } from "../dev/datafast-standin.ts";
import {
  API_KEY,
  AUTH_TOKEN,
  configuredEnv,
  errorOf,
  goal,
  goalRequest,
  payment,
  paymentRequest,
  useDataFast,
} from "./support/payments.ts";
import { platforms } from "./support/platforms.ts";

const dataFast = useDataFast({ unknownVisitor: (id) => id.startsWith("unknown-") });

/**
 * `/api/payments` and `/api/goals` are one contract (bearer auth, limits, validation, DataFast's
 * faults, the error envelope): each relay says what is valid and invalid for it, and every case
 * below runs on both, on every platform.
 */
interface Relay {
  route: "payments" | "goals";
  request: (body?: unknown, init?: { headers?: Record<string, string>; method?: string }) => Request;
  valid: Record<string, unknown>;
  /** What DataFast receives for `valid`. */
  sent: Record<string, unknown>;
  /** DataFast's success answer for `valid`, passed through. */
  answer: unknown;
  /** An invalid body and the paths of every issue it has. */
  invalid: [Record<string, unknown>, string[]];
  /** What DataFast now holds, for counting. */
  held: (standIn: DataFastStandIn) => unknown[];
}

const relays: Relay[] = [
  {
    route: "payments",
    request: paymentRequest,
    valid: payment,
    sent: { ...payment, currency: "USD" },
    answer: { message: "Payment recorded and attributed successfully", transaction_id: "pay_001" },
    invalid: [
      { amount: -5, currency: "dollars", transactionId: "typo", timestamp: "yesterday" },
      ["amount", "currency", "timestamp", "transactionId", "transaction_id"],
    ],
    held: (standIn) => [...standIn.payments.values()],
  },
  {
    route: "goals",
    request: goalRequest,
    valid: goal,
    sent: goal,
    answer: {
      status: "success",
      data: [{ message: "Custom event created successfully", eventId: expect.any(String) }],
    },
    invalid: [
      { visitor_id: "v", name: "Sign up!", metadata: { Plan: "pro", seats: 3, note: "x".repeat(256) } },
      ["metadata.Plan", "metadata.note", "metadata.seats", "name", "visitor_id"],
    ],
    held: (standIn) => standIn.goals,
  },
];

const cases = relays.flatMap((relay) => platforms.map((platform) => ({ ...relay, platform, name: platform.name })));

describe.each(cases)("POST /api/$route on $name", (relay) => {
  const { platform } = relay;
  const invoke = (request: Request, extra: Record<string, string> = {}, options = {}) =>
    platform.invoke(relay.route, request, configuredEnv(dataFast(), extra), options);
  const valid = relay.valid;
  const request = relay.request;

  test("records a valid body and passes DataFast's answer through", async () => {
    const response = await invoke(request());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(relay.answer);
    const [sent] = dataFast().requests;
    expect(sent?.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.contentType).toBe("application/json");
    expect(JSON.parse(sent?.body ?? "")).toEqual(relay.sent);
    expect(dataFast().requests).toHaveLength(1);
    expect(relay.held(dataFast())).toHaveLength(1);
  });

  test("sends websiteId when DATAFAST_WEBSITE_ID is set", async () => {
    const response = await invoke(request(), { DATAFAST_WEBSITE_ID: "site_42" });
    expect(response.status).toBe(200);
    expect(dataFast().requests[0]?.url).toBe(`/api/v1/${relay.route}?websiteId=site_42`);
  });

  test.each([
    ["not JSON", "{amount:", "Body is not valid JSON"],
    ["not an object", "[1,2]", relay.route === "payments" ? "Invalid payment" : "Invalid goal"],
    ["empty", "", "Body is not valid JSON"],
  ])("answers 400 for a body that is %s", async (_, body, message) => {
    const response = await invoke(request(body));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.message).toBe(message);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("answers 400 listing every issue of an invalid body, naming unknown fields", async () => {
    const [body, expected] = relay.invalid;
    const response = await invoke(request(body));
    expect(response.status).toBe(400);
    const answer = await errorOf(response);
    const paths = (answer.issues as { path: string }[]).map((issue) => issue.path).sort();
    expect(paths).toEqual(expected);
    expect(dataFast().requests).toHaveLength(0);
  });

  test.each([
    ["no Authorization header", {}],
    ["a wrong token", { authorization: "Bearer nope" }],
    ["another scheme", { authorization: `Basic ${AUTH_TOKEN}` }],
  ])("answers 401 with WWW-Authenticate for %s, forwarding nothing", async (_, headers) => {
    const response = await invoke(request(valid, { headers: { authorization: "", ...headers } }));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await errorOf(response);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("accepts the bearer scheme in any case", async () => {
    expect((await invoke(request(valid, { headers: { authorization: `bearer ${AUTH_TOKEN}` } }))).status).toBe(200);
  });

  test("answers 405 with Allow: POST for other methods", async () => {
    const response = await invoke(request(undefined, { method: "GET" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    await errorOf(response);
  });

  test("answers 413 for a body over 64 KiB", async () => {
    const response = await invoke(request({ ...valid, name: "x".repeat(70 * 1024) }));
    expect(response.status).toBe(413);
    await errorOf(response);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("answers 415 for a content type that is not JSON", async () => {
    const response = await invoke(request(valid, { headers: { "content-type": "text/plain" } }));
    expect(response.status).toBe(415);
    await errorOf(response);
  });

  test("answers 500 naming DATAFAST_API_URL when it redirects, without following", async () => {
    dataFast().fault = () => ({ status: 301, headers: { location: `https://datafa.st/api/v1/${relay.route}` } });
    const response = await invoke(request());
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toContain("DATAFAST_API_URL");
    expect(dataFast().requests).toHaveLength(1);
  });

  test("answers 500 naming DATAFAST_API_KEY when it could not travel in a header", async () => {
    const response = await invoke(request(), { DATAFAST_API_KEY: "df_pasted with a space" });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain("DATAFAST_API_KEY");
    expect(text).not.toContain("pasted with a space");
    expect(dataFast().requests).toHaveLength(0);
  });

  test.each(["PAYMENTS_AUTH_TOKEN", "DATAFAST_API_KEY"])("answers 500 naming %s when it is not set", async (name) => {
    const response = await invoke(request(), { [name]: "" });
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toContain(name);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("answers 500 naming DATAFAST_API_KEY, never its value, when DataFast rejects the key", async () => {
    const response = await invoke(request(), { DATAFAST_API_KEY: "df_revoked_key_91" });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain("DATAFAST_API_KEY");
    expect(text).not.toContain("df_revoked_key_91");
  });

  test("answers concurrent calls with different settings, each with its own", async () => {
    // Each call's token and website id differ: a call that ran with the other's settings would be
    // refused (401) or recorded under the other website.
    const calls = ["a", "b"].map((site) =>
      invoke(request(valid, { headers: { authorization: `Bearer token_${site}` } }), {
        PAYMENTS_AUTH_TOKEN: `token_${site}`,
        DATAFAST_WEBSITE_ID: `site_${site}`,
      }),
    );
    expect((await Promise.all(calls)).map(({ status }) => status)).toEqual([200, 200]);
    const received = dataFast().requests.map(({ url }) => url);
    expect(received.sort()).toEqual([
      `/api/v1/${relay.route}?websiteId=site_a`,
      `/api/v1/${relay.route}?websiteId=site_b`,
    ]);
  });

  test("retries a DataFast 5xx and answers 200 once it records", async () => {
    dataFast().fault = (_, count) => (count === 1 ? { status: 503 } : undefined);
    const response = await invoke(request());
    expect(response.status).toBe(200);
    expect(dataFast().requests).toHaveLength(2);
    expect(relay.held(dataFast())).toHaveLength(1);
  });

  test("answers 502 when DataFast keeps failing, after the retries its time budget allows", async () => {
    dataFast().fault = () => ({ status: 500 });
    const response = await invoke(request(), { DATAFAST_TIMEOUT_MS: "3000" });
    expect(response.status).toBe(502);
    // That the waits between them fit the budget is checked on a logical clock (datafast.test.ts).
    const attempts = dataFast().requests.length;
    expect(attempts).toBeGreaterThan(1);
    expect((await errorOf(response)).error.message).toMatch(
      new RegExp(`^DataFast answered 500: .* \\(after ${attempts} attempts\\)$`),
    );
  });

  test("answers 503 with Retry-After when DataFast rate-limits past the budget", async () => {
    dataFast().fault = () => ({ status: 429, headers: { "retry-after": "30" } });
    const response = await invoke(request());
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("30");
    expect(dataFast().requests).toHaveLength(1);
  });

  test("answers 5xx when DataFast does not answer within DATAFAST_TIMEOUT_MS", async () => {
    dataFast().fault = () => ({ hang: true });
    const response = await invoke(request(), { DATAFAST_TIMEOUT_MS: "1000" });
    expect(response.status).toBeGreaterThanOrEqual(502);
    expect(response.status).toBeLessThanOrEqual(503);
    expect((await errorOf(response)).error.message).toMatch(/did not answer/);
  });

  test("answers 502 for a 2xx that is not DataFast's success answer, never claiming it recorded", async () => {
    dataFast().fault = () => ({ status: 200, body: "<html>ok</html>", headers: { "content-type": "text/html" } });
    const response = await invoke(request(), { DATAFAST_TIMEOUT_MS: "1500" });
    expect(response.status).toBe(502);
    expect((await errorOf(response)).error.message).toContain(`without confirming the ${relay.route.slice(0, -1)}`);
  });
});

describe.each(platforms)("POST /api/payments on $name", (platform) => {
  const invoke = (request: Request, extra: Record<string, string> = {}) =>
    platform.invoke("payments", request, configuredEnv(dataFast(), extra));

  test("folds customer_email and customer_name into email and name", async () => {
    const body = { ...payment, customer_email: "buyer@example.com", customer_name: "Ada" };
    expect((await invoke(paymentRequest(body))).status).toBe(200);
    const sent = JSON.parse(dataFast().requests[0]?.body ?? "");
    expect(sent).toMatchObject({ email: "buyer@example.com", name: "Ada" });
    expect(sent).not.toHaveProperty("customer_email");
  });

  test("answers 422 with DataFast's message when DataFast rejects the payment", async () => {
    dataFast().fault = () => ({
      status: 400,
      body: JSON.stringify({ status: "error", error: { code: 400, message: "Currency not supported" } }),
    });
    const response = await invoke(paymentRequest({ ...payment, datafast_visitor_id: undefined }));
    expect(response.status).toBe(422);
    expect((await errorOf(response)).error.message).toContain("Currency not supported");
    expect(dataFast().requests).toHaveLength(1);
  });

  test("records an unknown visitor's payment unattributed rather than losing it", async () => {
    const response = await invoke(paymentRequest({ ...payment, datafast_visitor_id: "unknown-visitor" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-datafast-attribution")).toBe("dropped");
    const recorded = dataFast().payments.get("pay_001");
    expect(recorded).toBeDefined();
    expect(recorded).not.toHaveProperty("datafast_visitor_id");
    expect(dataFast().requests).toHaveLength(2);
  });

  test("answers 422 when the payment is rejected even without the visitor id", async () => {
    dataFast().fault = () => ({ status: 400, body: JSON.stringify({ error: { message: "Amount too large" } }) });
    const response = await invoke(paymentRequest());
    expect(response.status).toBe(422);
    expect((await errorOf(response)).error.message).toContain("Amount too large");
    expect(dataFast().requests).toHaveLength(2);
  });

  test("answers 200 marked X-DataFast-Duplicate when DataFast already holds the transaction_id", async () => {
    expect((await invoke(paymentRequest())).headers.get("x-datafast-duplicate")).toBeNull();
    const response = await invoke(paymentRequest({ ...payment, amount: 5 }));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-datafast-duplicate")).toBe("true");
    expect(await response.json()).toEqual({
      message: "DataFast already holds this transaction_id",
      transaction_id: "pay_001",
    });
    expect(dataFast().payments.get("pay_001")).toMatchObject({ amount: 29.99 });
    expect(dataFast().duplicates).toMatchObject([{ transaction_id: "pay_001", differs: true }]);
  });
});

describe.each(platforms)("POST /api/goals on $name", (platform) => {
  const invoke = (request: Request, extra: Record<string, string> = {}) =>
    platform.invoke("goals", request, configuredEnv(dataFast(), extra));

  test("sends the name as DataFast stores it (lowercase, spaces as underscores) and folds visitorId", async () => {
    const { datafast_visitor_id: visitorId, ...rest } = goal;
    const response = await invoke(goalRequest({ ...rest, visitorId, name: " Newsletter Signup " }));
    expect(response.status).toBe(200);
    expect(dataFast().goals).toEqual([{ ...rest, datafast_visitor_id: visitorId, name: "newsletter_signup" }]);
  });

  test.each([
    ["a name over 64 characters", { name: "a".repeat(65) }, "name"],
    ["the reserved name identify", { name: "identify" }, "name"],
    [
      "11 metadata keys",
      { metadata: Object.fromEntries([...Array(11).keys()].map((i) => [`k${i}`, "v"])) },
      "metadata",
    ],
    ["no visitor id", { datafast_visitor_id: undefined }, "datafast_visitor_id"],
  ])("answers 400 for %s", async (_, change, path) => {
    const response = await invoke(goalRequest({ ...goal, ...change }));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues).toEqual([expect.objectContaining({ path })]);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("answers 422 with DataFast's message for a visitor without a pageview, sending it once", async () => {
    const response = await invoke(goalRequest({ ...goal, datafast_visitor_id: "unknown-visitor" }));
    expect(response.status).toBe(422);
    expect((await errorOf(response)).error.message).toContain("no pageviews");
    expect(dataFast().requests).toHaveLength(1);
    expect(dataFast().goals).toHaveLength(0);
  });

  // A 409 confirms a payment DataFast already holds (by transaction_id); a goal has no id to match.
  test("answers 422, not 200, when DataFast answers a goal 409", async () => {
    dataFast().fault = () => ({ status: 409, body: JSON.stringify({ error: { message: "Conflict" } }) });
    const response = await invoke(goalRequest(goal));
    expect(response.status).toBe(422);
    expect(response.headers.get("x-datafast-duplicate")).toBeNull();
    expect(dataFast().requests).toHaveLength(1);
  });
});
