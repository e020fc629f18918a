import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { API_KEY, AUTH_TOKEN, acceptOnlyKeys, payment, paymentRequest, useDataFast } from "./support/payments.ts";
import { lambdaPlatform } from "./support/platforms.ts";
import { type SecretsManagerStandIn, sdkEnv, startSecretsManagerStandIn } from "./support/secrets-manager-standin.ts";

const dataFast = useDataFast();
const lambda = lambdaPlatform("http-v2");

let secretsManager: SecretsManagerStandIn;
beforeAll(async () => {
  secretsManager = await startSecretsManagerStandIn();
});
afterAll(() => secretsManager.close());
beforeEach(() => {
  secretsManager.fault = undefined;
});
afterEach(() => {
  vi.useRealTimers();
});

/** Stops the clock the cache reads (Date only: sockets and the SDK's timers keep real time). */
function freezeClock(): { advanceSeconds(seconds: number): void } {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  return { advanceSeconds: (seconds) => vi.setSystemTime(Date.now() + seconds * 1000) };
}

// Each test names its own secret: the per-container cache is keyed by secret id, so each starts cold.
let secretCount = 0;
function newSecret(value: string | Record<string, string>): string {
  const id = `datafast/test-${++secretCount}`;
  secretsManager.secrets.set(id, typeof value === "string" ? value : JSON.stringify(value));
  return id;
}

const settings = { DATAFAST_API_KEY: API_KEY, PAYMENTS_AUTH_TOKEN: AUTH_TOKEN };

function invoke(secretId: string, request = paymentRequest(), extra: Record<string, string> = {}) {
  return lambda.invoke("payments", request, {
    ...sdkEnv(secretsManager),
    DATAFAST_SECRET_ID: secretId,
    DATAFAST_API_URL: dataFast().url,
    ...extra,
  });
}

describe("Lambda secrets from Secrets Manager (real AWS SDK, local stand-in)", () => {
  test("reads a JSON secret once and serves warm invocations from the cache", async () => {
    const id = newSecret(settings);
    for (let i = 0; i < 5; i++) {
      const response = await invoke(id, paymentRequest({ ...payment, transaction_id: `pay_${i}` }));
      expect(response.status).toBe(200);
    }
    expect(secretsManager.calls.get(id)).toBe(1);
    expect(dataFast().payments.size).toBe(5);
    expect(dataFast().requests[0]?.authorization).toBe(`Bearer ${API_KEY}`);
  });

  test("makes one GetSecretValue call for 50 concurrent cold invocations", async () => {
    const id = newSecret(settings);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => invoke(id, paymentRequest({ ...payment, transaction_id: `cold_${i}` }))),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    expect(secretsManager.calls.get(id)).toBe(1);
  });

  test("fetches again once SECRETS_CACHE_TTL_SECONDS has passed", async () => {
    const clock = freezeClock();
    const id = newSecret(settings);
    const ttl = { SECRETS_CACHE_TTL_SECONDS: "60" };
    expect((await invoke(id, paymentRequest(), ttl)).status).toBe(200);
    clock.advanceSeconds(59);
    expect((await invoke(id, paymentRequest(), ttl)).status).toBe(200);
    expect(secretsManager.calls.get(id)).toBe(1);
    clock.advanceSeconds(1);
    expect((await invoke(id, paymentRequest(), ttl)).status).toBe(200);
    expect(secretsManager.calls.get(id)).toBe(2);
  });

  test("takes a plain-string secret as the DataFast key, and the other settings from env vars", async () => {
    const id = newSecret(API_KEY);
    const response = await invoke(id, paymentRequest(), { PAYMENTS_AUTH_TOKEN: AUTH_TOKEN });
    expect(response.status).toBe(200);
    expect(dataFast().requests.map((request) => request.authorization)).toEqual([`Bearer ${API_KEY}`]);
    expect(secretsManager.calls.get(id)).toBe(1);
  });

  test("a plain-string secret without PAYMENTS_AUTH_TOKEN in env vars answers 500 naming it", async () => {
    const response = await invoke(newSecret(API_KEY));
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("PAYMENTS_AUTH_TOKEN");
    expect(dataFast().requests).toHaveLength(0);
  });

  test("a setting the secret holds wins over the same-named environment variable", async () => {
    const id = newSecret({ ...settings, PAYMENTS_AUTH_TOKEN: "token-from-secret" });
    const response = await invoke(id, paymentRequest(), { PAYMENTS_AUTH_TOKEN: AUTH_TOKEN });
    expect(response.status).toBe(401);
  });

  test("picks up a rotated DataFast key after one 401, without a redeploy", async () => {
    const id = newSecret(settings);
    expect((await invoke(id)).status).toBe(200);
    // Rotate: DataFast now accepts only the new key, and the secret holds it.
    const rotated = "df_rotated_key_5e1d";
    secretsManager.secrets.set(id, JSON.stringify({ ...settings, DATAFAST_API_KEY: rotated }));
    acceptOnlyKeys(rotated);
    const response = await invoke(id, paymentRequest({ ...payment, transaction_id: "after_rotation" }));
    expect(response.status).toBe(200);
    expect(secretsManager.calls.get(id)).toBe(2);
    expect(dataFast().requests.map((request) => request.authorization)).toEqual([
      `Bearer ${API_KEY}`,
      `Bearer ${API_KEY}`,
      `Bearer ${rotated}`,
    ]);
  });

  test("answers 500 naming DATAFAST_API_KEY when the re-read key is the same rejected one", async () => {
    const id = newSecret(settings);
    acceptOnlyKeys("df_some_other_key");
    const response = await invoke(id);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain("DATAFAST_API_KEY");
    expect(text).not.toContain(API_KEY);
    expect(secretsManager.calls.get(id)).toBe(2);
    expect(dataFast().requests).toHaveLength(1);
  });

  test("a revoked key re-reads the secret once a second, not once per payment", async () => {
    freezeClock();
    const id = newSecret(settings);
    acceptOnlyKeys("df_some_other_key");
    for (let i = 0; i < 20; i++) {
      const response = await invoke(id, paymentRequest({ ...payment, transaction_id: `revoked_${i}` }));
      expect(response.status).toBe(500);
      expect(await response.text()).toContain("DATAFAST_API_KEY");
    }
    // The cold read, then one re-read after the first 401; the other 19 use the cache.
    expect(secretsManager.calls.get(id)).toBe(2);
    expect(dataFast().requests).toHaveLength(20);
  });

  test("a key revoked, then rotated a second later, is picked up on the next 401", async () => {
    const clock = freezeClock();
    const id = newSecret(settings);
    acceptOnlyKeys("df_rotated_later");
    expect((await invoke(id)).status).toBe(500);
    secretsManager.secrets.set(id, JSON.stringify({ ...settings, DATAFAST_API_KEY: "df_rotated_later" }));
    expect((await invoke(id)).status).toBe(500);
    clock.advanceSeconds(1);
    expect((await invoke(id)).status).toBe(200);
    expect(secretsManager.calls.get(id)).toBe(3);
  });

  test("answers 503 while Secrets Manager is down, then recovers without a poisoned cache", async () => {
    const id = newSecret(settings);
    secretsManager.fault = () => ({ status: 500, type: "InternalServiceError" });
    const down = await invoke(id);
    expect(down.status).toBe(503);
    expect(await down.text()).toContain("Secrets Manager is unavailable");
    secretsManager.fault = undefined;
    expect((await invoke(id)).status).toBe(200);
  });

  test("a webhook answers 503 within its budget while Secrets Manager hangs", async () => {
    const id = newSecret({ ...settings, PADDLE_WEBHOOK_SECRET: "pdl_ntfset_secret" });
    secretsManager.fault = () => ({ hang: true });
    const request = new Request("https://functions.example/api/webhooks/paddle", { method: "POST", body: "{}" });
    const started = Date.now();
    const response = await lambda.invoke("webhooks", request, {
      ...sdkEnv(secretsManager),
      DATAFAST_SECRET_ID: id,
      DATAFAST_API_URL: dataFast().url,
      DATAFAST_TIMEOUT_MS: "1500",
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    // Unbounded, the SDK's three 2 s attempts would take 6 s.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("requests to an unconfigured provider do not make every call a Secrets Manager read", async () => {
    freezeClock();
    const id = newSecret(settings);
    const request = () => new Request("https://functions.example/api/webhooks/shopify", { method: "POST", body: "{}" });
    for (let i = 0; i < 20; i++) {
      const response = await lambda.invoke("webhooks", request(), {
        ...sdkEnv(secretsManager),
        DATAFAST_SECRET_ID: id,
        DATAFAST_API_URL: dataFast().url,
      });
      expect(response.status).toBe(500);
      expect(await response.text()).toContain("SHOPIFY_WEBHOOK_SECRET");
    }
    // The cold read, then one re-read in case the secret had just been fixed.
    expect(secretsManager.calls.get(id)).toBe(2);
  });

  test("answers a malformed SECRETS_CACHE_TTL_SECONDS in the envelope, naming it", async () => {
    const response = await invoke(newSecret(settings), paymentRequest(), { SECRETS_CACHE_TTL_SECONDS: "soon" });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: { code: 500, message: "Server misconfigured: SECRETS_CACHE_TTL_SECONDS must be a positive integer" },
    });
  });

  test("answers 500 naming DATAFAST_SECRET_ID when the secret does not exist", async () => {
    const response = await invoke("datafast/missing");
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("DATAFAST_SECRET_ID");
  });
});
