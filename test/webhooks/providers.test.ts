import { afterEach, describe, expect, test, vi } from "vitest";
import { nowSeconds } from "../../dev/webhook-signing.ts";
import { captureConsoleLines } from "../support/console-lines.ts";
import { configuredEnv, errorOf, useDataFast } from "../support/payments.ts";
import { platforms } from "../support/platforms.ts";
import {
  deployment,
  type Example,
  type ProviderCase,
  providerCases,
  rotated,
  secrets,
  staleTimestamp,
  VISITOR as VISITOR_ID,
} from "./cases.ts";

/**
 * The full matrix per provider runs on Netlify's handler: in-process and the thinnest adapter,
 * so it exercises the webhook core itself quickly. platforms.test.ts runs the recorded and the
 * bad-signature cases on every platform.
 */
const netlify = platforms.find((platform) => platform.name === "netlify");
if (!netlify) throw new Error("netlify platform missing");

const dataFast = useDataFast();

const logLines = captureConsoleLines();
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Stops `Date` (timers keep running) 1 ms before a second ticks over: the signer and the verifier
 * then read the same second, where a running clock would let a window test flip under load. It
 * stops at today's time, inside the validity of the PayPal test certificate made at start-up.
 */
const freezeClock = () => vi.useFakeTimers({ toFake: ["Date"], now: Math.floor(Date.now() / 1000) * 1000 + 999 });

const invoke = (request: Request, extra: Record<string, string> = {}) =>
  netlify.invoke("webhooks", request, configuredEnv(dataFast(), { ...deployment, ...extra }));

/** Changes the first digit of the body: the amount, an id or a timestamp, as an attacker would. */
const tamper = (body: string) => body.replace(/\d/, (digit) => String((Number(digit) + 1) % 10));

/** A test that applies to this provider's scheme only; the others do not get it (rather than a skip). */
const when = (applies: boolean) => (applies ? test : () => {});

describe.each(providerCases)("POST /api/webhooks/$provider", (provider: ProviderCase) => {
  const send = (example: Example, extra: Record<string, string> = {}) =>
    invoke(provider.request(example.body, example.headers), extra);

  async function expectRecorded(
    response: Response,
    expected: Record<string, unknown>,
    exact = false,
    alsoRecords: string[] = [],
    goal?: "subscription_renewed" | "payment_refunded",
  ) {
    expect(response.status).toBe(200);
    const id = String(expected.transaction_id ?? [...dataFast().payments.keys()][0]);
    const sent = dataFast().payments.get(id);
    if (exact) expect(sent).toEqual(expected);
    else expect(sent).toMatchObject(expected);
    expect([...dataFast().payments.keys()].sort()).toEqual([id, ...alsoRecords].sort());
    expect(paymentRequests()).toHaveLength(1 + alsoRecords.length);
    expectGoalsOfPayments(goal);
  }

  /**
   * The goals of the payments just recorded: `name` (a renewal's or a refund's) for each payment
   * with that flag and a visitor id, and none of those three for any other payment.
   */
  function expectGoalsOfPayments(name?: "subscription_renewed" | "payment_refunded") {
    const flag = name === "subscription_renewed" ? "renewal" : "refunded";
    const expected = name
      ? [...dataFast().payments.values()]
          .filter((payment) => payment[flag] === true && payment.datafast_visitor_id)
          .map((payment) => ({ name, visitor: payment.datafast_visitor_id }))
      : [];
    const ofPayments = new Set(["payment_refunded", "subscription_renewed", "trial_started"]);
    const sent = dataFast().goals.filter((goal) => ofPayments.has(String(goal.name)));
    expect(sent.map((goal) => ({ name: goal.name, visitor: goal.datafast_visitor_id }))).toEqual(expected);
  }

  const paymentRequests = () => dataFast().requests.filter(({ url }) => url.startsWith("/api/v1/payments"));

  async function expectRejected(response: Response, status: number) {
    expect(response.status).toBe(status);
    await errorOf(response);
    expect(dataFast().requests).toHaveLength(0);
  }

  test("records a payment with every field mapped exactly", async () => {
    await expectRecorded(await send(provider.payment), provider.payment.expected, true);
  });

  test("records a renewal", async () => {
    await expectRecorded(await send(provider.renewal), provider.renewal.expected, false, [], "subscription_renewed");
  });

  test("records a refund under its own id with refunded: true", async () => {
    const { expected, alsoRecords } = provider.refund;
    await expectRecorded(await send(provider.refund), expected, false, alsoRecords, "payment_refunded");
  });

  when(provider.ignored !== undefined)("answers 200 ignored for an event that is not a payment", async () => {
    const ignored = provider.ignored ?? { body: "" };
    const response = await invoke(provider.request(ignored.body, ignored.headers));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; reason: string };
    expect(body.status).toBe("ignored");
    expect(body.reason).toMatch(/\w/);
    expect(paymentRequests()).toHaveLength(0);
  });

  for (const lifecycle of provider.lifecycle ?? []) {
    test(`sends the goals of ${lifecycle.label}, once each`, async () => {
      const response = await invoke(provider.request(lifecycle.body, lifecycle.headers));
      expect(response.status).toBe(200);
      expect(dataFast().goals).toEqual(
        lifecycle.goals.map(({ name, metadata }) => ({
          datafast_visitor_id: VISITOR_ID,
          name,
          metadata: { provider: provider.provider, ...metadata },
        })),
      );
      expect(JSON.stringify(dataFast().goals)).not.toContain("@");
      const [line] = logLines().map((text) => JSON.parse(text));
      expect(line.goals).toBe(lifecycle.goals.map(({ name }) => `${name} recorded 200`).join(", "));
    });

    test(`logs a goal DataFast refuses for ${lifecycle.label} and still answers 200`, async () => {
      dataFast().fault = (request) =>
        request.url.startsWith("/api/v1/goals")
          ? { status: 404, body: JSON.stringify({ status: "error", error: { code: 404, message: "No pageviews" } }) }
          : undefined;
      const response = await invoke(provider.request(lifecycle.body, lifecycle.headers));
      expect(response.status).toBe(200);
      const [line] = logLines().map((text) => JSON.parse(text));
      expect(line.goals).toBe(lifecycle.goals.map(({ name }) => `${name} rejected 404`).join(", "));
      expect(line.status).toBe(200);
    });

    test(`answers ${lifecycle.label} as before when DataFast fails or refuses its goals`, async () => {
      const expected = await invoke(provider.request(lifecycle.body, lifecycle.headers));
      const answer = { status: expected.status, body: await expected.json() };
      for (const fault of [{ status: 500 }, { status: 404 }, { hang: true }] as const) {
        dataFast().payments.clear();
        dataFast().fault = (request) => (request.url.startsWith("/api/v1/goals") ? fault : undefined);
        const response = await invoke(provider.request(lifecycle.body, lifecycle.headers), {
          DATAFAST_TIMEOUT_MS: "1500",
        });
        expect({ status: response.status, body: await response.json() }).toEqual(answer);
      }
    });

    test(`sends no goal for ${lifecycle.label} with DATAFAST_GOALS=off`, async () => {
      const response = await invoke(provider.request(lifecycle.body, lifecycle.headers), { DATAFAST_GOALS: "off" });
      expect(response.status).toBe(200);
      expect(dataFast().goals).toEqual([]);
    });
  }

  test("answers 500 naming a malformed DATAFAST_GOALS, sending nothing", async () => {
    const response = await send(provider.renewal, { DATAFAST_GOALS: "sometimes" });
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toContain("DATAFAST_GOALS");
    expect(dataFast().requests).toHaveLength(0);
  });

  test("sends a renewal's goal once, not again when the provider redelivers it", async () => {
    expect((await send(provider.renewal)).status).toBe(200);
    const goals = dataFast().goals.length;
    expect((await send(provider.renewal)).status).toBe(200);
    expect(dataFast().goals).toHaveLength(goals);
  });

  const { inCurrency } = provider;
  if (inCurrency) {
    test.each([
      [0, "JPY", 1999, 1999],
      [3, "KWD", 1999, 1.999],
    ])("converts a %i-decimal currency exactly (%s)", async (_, currency, minor, amount) => {
      const example = inCurrency(minor, currency);
      await expectRecorded(await send(example), { ...example.expected, amount, currency });
    });
  }

  test("records a payment without checkout metadata, unattributed", async () => {
    await expectRecorded(await send(provider.withoutMetadata), provider.withoutMetadata.expected, true);
  });

  when(provider.signsBody)("answers 401 for a tampered body, forwarding nothing", async () => {
    const signed = provider.request(provider.payment.body, provider.payment.headers);
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: tamper(provider.payment.body),
    });
    await expectRejected(await invoke(tampered), 401);
  });

  // Gumroad, RevenueCat and Chargebee sign no body: what an attacker can tamper with there is the
  // token in the URL (Gumroad) or the Authorization header.
  when(!provider.signsBody)("answers 401 for a tampered token, forwarding nothing", async () => {
    const signed = provider.request(provider.payment.body, provider.payment.headers);
    const url = new URL(signed.url);
    const headers = new Headers(signed.headers);
    if (url.searchParams.has("token")) url.searchParams.set("token", tamper(url.searchParams.get("token") ?? ""));
    else headers.set("authorization", tamper(headers.get("authorization") ?? ""));
    await expectRejected(await invoke(new Request(url, { method: "POST", headers, body: provider.payment.body })), 401);
  });

  test("answers 401 for a delivery signed with another secret", async () => {
    const request = provider.request(provider.payment.body, provider.payment.headers, {
      secret: rotated[provider.secretName],
    });
    await expectRejected(await invoke(request), 401);
  });

  when(!provider.verifiedByApi)("answers 401 without any signature", async () => {
    const signed = provider.request(provider.payment.body, provider.payment.headers);
    const url = new URL(signed.url);
    url.search = "";
    const headers = new Headers({
      "content-type": signed.headers.get("content-type") ?? "",
      ...provider.payment.headers,
    });
    await expectRejected(await invoke(new Request(url, { method: "POST", headers, body: provider.payment.body })), 401);
  });

  when(provider.signsTimestamp)("answers 401 for a replay outside the 5-minute window", async () => {
    freezeClock();
    const request = provider.request(provider.payment.body, provider.payment.headers, { timestamp: staleTimestamp() });
    const response = await invoke(request);
    await expectRejected(response.clone(), 401);
    expect((await errorOf(response)).error.message).toMatch(/window/);
  });

  when(provider.signsTimestamp)("answers 401 for a timestamp too far in the future", async () => {
    freezeClock();
    const request = provider.request(provider.payment.body, provider.payment.headers, {
      timestamp: nowSeconds() + 301,
    });
    await expectRejected(await invoke(request), 401);
  });

  when(provider.signsTimestamp)("accepts a timestamp on the window's edge, either way", async () => {
    freezeClock();
    for (const timestamp of [nowSeconds() - 300, nowSeconds() + 300]) {
      const request = provider.request(provider.payment.body, provider.payment.headers, { timestamp });
      expect((await invoke(request)).status).toBe(200);
    }
    expect(dataFast().payments.size).toBe(1);
  });

  when(provider.signsTimestamp)("widens the window with WEBHOOK_TOLERANCE_SECONDS", async () => {
    freezeClock();
    const request = provider.request(provider.payment.body, provider.payment.headers, {
      timestamp: nowSeconds() - 600,
    });
    const response = await invoke(request, { WEBHOOK_TOLERANCE_SECONDS: "600" });
    expect(response.status).toBe(200);
  });

  test("accepts the new secret while the setting holds the old and the new one", async () => {
    const request = provider.request(provider.payment.body, provider.payment.headers, {
      secret: rotated[provider.secretName],
    });
    const both = `${secrets[provider.secretName]} ${rotated[provider.secretName]}`;
    await expectRecorded(await invoke(request, { [provider.secretName]: both }), provider.payment.expected);
  });

  when(provider.multipleSignatures)("accepts a delivery signed for rotation with several secrets", async () => {
    const request = provider.request(provider.payment.body, provider.payment.headers, {
      secret: rotated[provider.secretName],
      alsoSignWith: [secrets[provider.secretName]],
    });
    await expectRecorded(await invoke(request), provider.payment.expected);
  });

  test(`answers 500 naming ${provider.secretName} when it is not set, never open`, async () => {
    const response = await send(provider.payment, { [provider.secretName]: "" });
    await expectRejected(response.clone(), 500);
    expect((await errorOf(response)).error.message).toContain(provider.secretName);
  });

  test("answers 400 with the reason for a verified payload it cannot map", async () => {
    const response = await invoke(provider.request("{}", provider.payment.headers));
    await expectRejected(response.clone(), 400);
    const body = await errorOf(response);
    expect(body.error.message).toMatch(/payment/i);
    expect(body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.any(String) })]));
  });

  test("records a redelivery once (same transaction_id) and answers 200 both times", async () => {
    expect((await send(provider.payment)).status).toBe(200);
    expect((await send(provider.payment)).status).toBe(200);
    expect(dataFast().payments.size).toBe(1);
  });

  test("logs one line per request with no secret and no email", async () => {
    await send(provider.payment);
    await invoke(provider.request(provider.payment.body, provider.payment.headers, { secret: "wrong-secret" }));
    const lines = logLines();
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain("@example.com");
      for (const secret of [...Object.values(secrets), ...Object.values(rotated)]) expect(line).not.toContain(secret);
    }
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ route: `webhooks/${provider.provider}`, status: 200 });
  });
});

describe("POST /api/webhooks/{provider} routing and failures", () => {
  const [dodo] = providerCases.filter((provider) => provider.provider === "dodo");
  if (!dodo) throw new Error("dodo case missing");

  test("answers 404 for an unknown provider", async () => {
    const response = await invoke(new Request("https://functions.example/api/webhooks/stripe", { method: "POST" }));
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error.message).toContain("stripe");
  });

  test("answers 405 with Allow: POST for GET", async () => {
    const response = await invoke(new Request("https://functions.example/api/webhooks/dodo"));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  test("answers 500 naming a Standard Webhooks secret that is not whsec_ base64", async () => {
    const response = await invoke(dodo.request(dodo.payment.body), { DODO_WEBHOOK_SECRET: "whsec_%%%" });
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toContain("DODO_WEBHOOK_SECRET");
  });

  test("answers 500 for a WEBHOOK_TOLERANCE_SECONDS that is not a positive integer", async () => {
    const response = await invoke(dodo.request(dodo.payment.body), { WEBHOOK_TOLERANCE_SECONDS: "5m" });
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toContain("WEBHOOK_TOLERANCE_SECONDS");
  });

  test("answers 5xx when DataFast does not record the payment, so the provider retries", async () => {
    dataFast().fault = () => ({ status: 503 });
    const response = await invoke(dodo.request(dodo.payment.body), { DATAFAST_TIMEOUT_MS: "1500" });
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(dataFast().payments.size).toBe(0);
  });

  test("answers 422 when DataFast rejects the payment", async () => {
    dataFast().fault = () => ({
      status: 400,
      body: JSON.stringify({ status: "error", error: { code: 400, message: "bad" } }),
    });
    const response = await invoke(dodo.request(dodo.withoutMetadata.body));
    expect(response.status).toBe(422);
  });
});

describe("goals on a webhook", () => {
  const standard = providerCases.find((provider) => provider.provider === "standard");
  if (!standard) throw new Error("standard provider case missing");

  test("hold the answer for one short attempt when DataFast hangs on them, not the request's whole budget", async () => {
    dataFast().fault = (request) => (request.url.startsWith("/api/v1/goals") ? { hang: true } : undefined);
    const { renewal } = standard;
    const response = await invoke(standard.request(renewal.body, renewal.headers), { DATAFAST_TIMEOUT_MS: "8000" });
    expect(response.status).toBe(200);
    // The 8 s budget would allow a second attempt; goals get 2 s, which is one.
    expect(dataFast().requests.filter(({ url }) => url.startsWith("/api/v1/goals"))).toHaveLength(1);
    const [line] = logLines().map((text) => JSON.parse(text));
    expect(line.goals).toMatch(/^subscription_renewed unavailable/);
  });
});
