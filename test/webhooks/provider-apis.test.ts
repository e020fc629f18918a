import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { paypalSigningIdentity } from "../../dev/paypal-certificate.ts";
import { nowSeconds, signers } from "../../dev/webhook-signing.ts";
import { callOut } from "../../shared/webhooks/call-out.ts";
import { freePort } from "../support/net.ts";
import { configuredEnv, errorOf, useDataFast } from "../support/payments.ts";
import { platforms } from "../support/platforms.ts";
import {
  deployment,
  molliePayment,
  mollieRefund,
  type ProviderCase,
  paypalCertUrl,
  paypalSigning,
  providerApis,
  providerCases,
  secrets,
} from "./cases.ts";

/**
 * The providers that call out while verifying (PayPal's certificate) or reading (Mollie's
 * payment): where they may call, how often, and what a slow, failing or lying API is answered.
 */
const netlify = platforms.find((platform) => platform.name === "netlify");
if (!netlify) throw new Error("netlify platform missing");
const dataFast = useDataFast();

const caseOf = (name: string): ProviderCase => {
  const found = providerCases.find((each) => each.provider === name);
  if (!found) throw new Error(`no case for ${name}`);
  return found;
};
const paypal = caseOf("paypal");
const mollie = caseOf("mollie");

const invoke = (request: Request, extra: Record<string, string> = {}) =>
  netlify.invoke("webhooks", request, configuredEnv(dataFast(), { ...deployment, ...extra }));

/** The stand-in's requests made during `run`. */
async function callsDuring<T>(run: () => Promise<T>): Promise<{ result: T; paths: string[] }> {
  const before = providerApis.requests.length;
  const result = await run();
  return { result, paths: providerApis.requests.slice(before).map((request) => request.path) };
}

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  providerApis.fault = undefined;
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("PayPal's certificate", () => {
  const { body } = paypal.payment;
  const withCertUrl = (certUrl: string) =>
    paypal.request(body, { "paypal-cert-url": certUrl }, { secret: secrets.PAYPAL_WEBHOOK_ID });

  test.each([
    ["another host", "https://evil.example/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77"],
    ["PayPal's host over http", "http://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77"],
    ["a look-alike host", "https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1"],
    ["credentials before another host", "https://api.paypal.com@evil.example/v1/notifications/certs/CERT-1"],
    ["a trusted host off the certificate path", `${providerApis.url}/v2/payments/tr_7UhSN1zuXS`],
    ["a path that climbs out of it", `${providerApis.url}/v1/notifications/certs/../../../v2/payments/x`],
    ["not a URL", "CERT-360caa42"],
  ])("refuses a certificate URL on %s with 401, fetching nothing", async (_, certUrl) => {
    const { result, paths } = await callsDuring(() => invoke(withCertUrl(certUrl)));
    expect(result.status).toBe(401);
    expect((await errorOf(result)).error.message).toContain("PAYPAL-CERT-URL");
    expect(paths).toEqual([]);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("refuses a signature that is not base64 with 401, fetching no certificate for it", async () => {
    const signed = withCertUrl(`${providerApis.url}/v1/notifications/certs/CERT-not-base64`);
    signed.headers.set("paypal-transmission-sig", "not base64!");
    const { result, paths } = await callsDuring(() => invoke(signed));
    expect(result.status).toBe(401);
    expect((await errorOf(result)).error.message).toContain("PAYPAL-TRANSMISSION-SIG");
    expect(paths).toEqual([]);
  });

  test("fetches a certificate once per container, then verifies from the cache", async () => {
    const name = "CERT-cache-0001";
    providerApis.paypalCertificates.set(name, paypalSigningIdentity().certificate);
    const url = paypalCertUrl.replace(/CERT-[^/]+$/, name);
    const signing = { ...paypalSigning, certUrl: url };
    // Signed by another key than the certificate's: refused, but the certificate is now cached.
    const { paths } = await callsDuring(async () => {
      for (let i = 0; i < 3; i += 1) {
        const { headers } = signers.paypal?.(body, [secrets.PAYPAL_WEBHOOK_ID], { paypal: signing }) ?? {};
        expect((await invoke(paypal.request(body, headers))).status).toBe(401);
      }
    });
    expect(paths).toEqual([`/v1/notifications/certs/${name}`]);
  });

  test.each([
    ["answers 500", { status: 500, body: "upstream down" }, 503],
    ["answers 429", { status: 429, body: "" }, 503],
    ["answers with something that is not a certificate", { status: 200, body: "<html>maintenance</html>" }, 503],
    ["knows no such certificate", { status: 404, body: "{}" }, 401],
  ])("answers %s from the certificate endpoint with %i, forwarding nothing", async (_, fault, status) => {
    providerApis.fault = (request) => (request.path.includes("CERT-fault") ? fault : undefined);
    const url = paypalCertUrl.replace(/CERT-[^/]+$/, `CERT-fault-${status}-${fault.status}`);
    const response = await invoke(paypal.request(body, { "paypal-cert-url": url }));
    expect(response.status).toBe(status);
    if (status === 503) expect(response.headers.get("retry-after")).toBeTruthy();
    expect(dataFast().requests).toHaveLength(0);
  });

  test("answers 503 within the deadline when the certificate endpoint hangs", async () => {
    providerApis.fault = (request) => (request.path.includes("CERT-hang") ? { hang: true } : undefined);
    const url = paypalCertUrl.replace(/CERT-[^/]+$/, "CERT-hang");
    const response = await invoke(paypal.request(body, { "paypal-cert-url": url }), { DATAFAST_TIMEOUT_MS: "600" });
    expect(response.status).toBe(503);
    expect((await errorOf(response)).error.message).toMatch(/did not answer in time/);
  });

  test("refuses a delivery once its certificate has expired", async () => {
    expect((await invoke(paypal.request(body))).status).toBe(200);
    // Three days on (the test certificate is valid for two), with a fresh signature.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 3 * 24 * 3600 * 1000);
    const response = await invoke(paypal.request(body, {}, { timestamp: nowSeconds() }));
    expect(response.status).toBe(401);
    expect((await errorOf(response)).error.message).toMatch(/certificate is not valid/);
  });

  test("refuses an algorithm other than SHA256withRSA", async () => {
    const response = await invoke(paypal.request(body, { "paypal-auth-algo": "SHA1withRSA" }));
    expect(response.status).toBe(401);
  });

  test("answers 500 naming a PAYPAL_API_URL that is not a URL", async () => {
    const response = await invoke(paypal.request(body), { PAYPAL_API_URL: "api-m.paypal.com" });
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toContain("PAYPAL_API_URL");
  });
});

describe("Mollie's payments API", () => {
  const body = molliePayment({ id: "tr_apiCa11s1" });
  const send = (extra: Record<string, string> = {}) => invoke(mollie.request(body), extra);

  test("fetches the payment with the key as a bearer token, the id in the path", async () => {
    const { result, paths } = await callsDuring(() => send());
    expect(result.status).toBe(200);
    expect(paths).toEqual(["/v2/payments/tr_apiCa11s1?embed=refunds"]);
    expect(providerApis.requests.at(-1)?.authorization).toBe(`Bearer ${secrets.MOLLIE_API_KEY}`);
  });

  test.each([
    ["a path", "id=tr_..%2F..%2Fcustomers"],
    ["a query", "id=tr_abc%3Ftesting%3Dtrue"],
    ["another resource", "id=cst_8wmqcHMN4U"],
    ["no id", "foo=bar"],
  ])("answers 400 for an id with %s, asking Mollie nothing", async (_, form) => {
    const { result, paths } = await callsDuring(() => invoke(mollie.request(form)));
    expect(result.status).toBe(400);
    expect((await errorOf(result)).issues).toEqual([expect.objectContaining({ path: "id" })]);
    expect(paths).toEqual([]);
  });

  test("answers 5xx when Mollie fails, masking the key it quotes back, so Mollie retries", async () => {
    const detail = `Internal error for key ${secrets.MOLLIE_API_KEY}`;
    providerApis.fault = () => ({ status: 500, body: JSON.stringify({ status: 500, detail }) });
    const response = await send();
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toContain("Mollie answered 500");
    expect(text).not.toContain(secrets.MOLLIE_API_KEY);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("answers 503 within the deadline when Mollie hangs", async () => {
    providerApis.fault = () => ({ hang: true });
    const response = await send({ DATAFAST_TIMEOUT_MS: "600" });
    expect(response.status).toBe(503);
    expect((await errorOf(response)).error.message).toMatch(/Mollie did not answer in time/);
  });

  test("answers 503 when Mollie cannot be reached", async () => {
    const closed = `http://127.0.0.1:${await freePort()}/v2`;
    const response = await send({ MOLLIE_API_URL: closed });
    expect(response.status).toBe(503);
    expect((await errorOf(response)).error.message).toMatch(/Mollie could not be reached ECONNREFUSED/);
  });

  test("answers 503 when Mollie's 200 is not JSON", async () => {
    providerApis.fault = () => ({ status: 200, body: "<html>" });
    expect((await send()).status).toBe(503);
  });

  test("answers 500 naming MOLLIE_API_KEY when Mollie rejects it", async () => {
    providerApis.fault = () => ({ status: 401, body: JSON.stringify({ detail: "Invalid API key" }) });
    const response = await send();
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toContain("MOLLIE_API_KEY");
  });

  test("answers 500 naming a MOLLIE_API_URL that is not a URL", async () => {
    const response = await send({ MOLLIE_API_URL: "api.mollie.com" });
    expect(response.status).toBe(500);
    expect((await errorOf(response)).error.message).toContain("MOLLIE_API_URL");
  });

  test("records two partial refunds under their own ids, and not one still pending", async () => {
    const refunds = [
      mollieRefund({ id: "re_partial01", amount: { value: "2.50", currency: "EUR" } }),
      mollieRefund({ id: "re_partial02", amount: { value: "1.25", currency: "EUR" } }),
      mollieRefund({ id: "re_pending03", status: "pending" }),
    ];
    const form = molliePayment({ id: "tr_tw0refunds", _embedded: { refunds } });
    expect((await invoke(mollie.request(form))).status).toBe(200);
    expect([...dataFast().payments.keys()].sort()).toEqual(["re_partial01", "re_partial02", "tr_tw0refunds"]);
    expect(dataFast().payments.get("re_partial01")).toMatchObject({ amount: 2.5, refunded: true });
    expect(dataFast().payments.get("re_partial02")).toMatchObject({ amount: 1.25, refunded: true });
  });

  test("answers 5xx when DataFast fails on a refund after recording the payment, so all are resent", async () => {
    const form = molliePayment({ id: "tr_ha1fdone", _embedded: { refunds: [mollieRefund({ id: "re_lat3r" })] } });
    dataFast().fault = (request) => (request.body.includes("re_lat3r") ? { status: 503 } : undefined);
    const response = await invoke(mollie.request(form), { DATAFAST_TIMEOUT_MS: "1000" });
    expect(response.status).toBeGreaterThanOrEqual(500);
    dataFast().fault = undefined;
    expect((await invoke(mollie.request(form))).status).toBe(200);
    expect([...dataFast().payments.keys()].sort()).toEqual(["re_lat3r", "tr_ha1fdone"]);
  });
});

test("a call out with no time left is answered 503 without being made", async () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  const context = { env: {}, secrets: {}, webhookSecrets: [], fetch, deadline: Date.now() - 1 };
  await expect(callOut(context, "Mollie", "http://127.0.0.1:1/")).rejects.toMatchObject({ status: 503 });
  expect(fetch).not.toHaveBeenCalled();
});

test("a call out calls fetch detached, as a Worker's fetch requires (it throws when called as a method)", async () => {
  // A fetch as strict about `this` as a Worker's: anything but a detached call is an Illegal invocation.
  const strictFetch = function (this: unknown, input: string | URL | Request, init?: RequestInit) {
    if (this !== undefined) throw new TypeError("Illegal invocation");
    return fetch(input, init);
  } as typeof globalThis.fetch;
  const context = { env: {}, secrets: {}, webhookSecrets: [], fetch: strictFetch, deadline: Date.now() + 5000 };
  const answer = await callOut(context, "PayPal's certificate endpoint", paypalCertUrl);
  expect(answer.status).toBe(200);
});
