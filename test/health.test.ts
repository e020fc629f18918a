import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { VERSION } from "../shared/version.ts";
import { API_KEY, AUTH_TOKEN, configuredEnv, useDataFast } from "./support/payments.ts";
import { lambdaPlatform, platforms } from "./support/platforms.ts";
import { type SecretsManagerStandIn, sdkEnv, startSecretsManagerStandIn } from "./support/secrets-manager-standin.ts";
import { secrets as webhookSecrets } from "./webhooks/cases.ts";

const dataFast = useDataFast();

const health = (auth?: string, method = "GET") =>
  new Request("https://functions.example/api/health", {
    method,
    headers: auth ? { authorization: `Bearer ${auth}` } : {},
  });

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.each(platforms)("GET /api/health on $name", (platform) => {
  const invoke = (request: Request, env: Record<string, string>) => platform.invoke("health", request, env);
  // One environment for most tests: Vercel starts a dev server per environment.
  const configured = () => configuredEnv(dataFast(), { PADDLE_WEBHOOK_SECRET: webhookSecrets.PADDLE_WEBHOOK_SECRET });
  const platformName = platform.name.split(" ")[0];

  test("answers 200 and only the status to an anonymous caller when configured", async () => {
    expect(await answer(await invoke(health(), configured()))).toEqual({
      status: 200,
      body: { status: "ok" },
    });
  });

  test("answers 503 and only the status when DATAFAST_API_KEY is missing", async () => {
    const env = { ...configured(), DATAFAST_API_KEY: "" };
    expect(await answer(await invoke(health(), env))).toEqual({ status: 503, body: { status: "error" } });
  });

  test("tells the token holder what is present, missing and configured, never a value", async () => {
    const response = await invoke(health(AUTH_TOKEN), configured());
    const text = await response.clone().text();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      platform: platformName,
      version: VERSION,
      settings: { DATAFAST_API_KEY: "present", PAYMENTS_AUTH_TOKEN: "present", DATAFAST_WEBSITE_ID: "missing" },
      providers: { paddle: "configured", dodo: "not configured (DODO_WEBHOOK_SECRET)" },
    });
    for (const value of [API_KEY, AUTH_TOKEN, dataFast().url, webhookSecrets.PADDLE_WEBHOOK_SECRET]) {
      expect(text).not.toContain(value);
    }
  });

  test("answers a wrong token like an anonymous caller", async () => {
    expect(await answer(await invoke(health("not-the-token"), configured()))).toEqual({
      status: 200,
      body: { status: "ok" },
    });
  });

  test("answers 405 to a POST", async () => {
    const response = await invoke(health(undefined, "POST"), configured());
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("GET /api/health's providers", () => {
  const netlify = platforms.find((platform) => platform.name === "netlify");
  if (!netlify) throw new Error("netlify platform missing");

  test("counts a provider configured only with every setting it needs, and names the missing ones", async () => {
    const env = configuredEnv(dataFast(), {
      CHARGEBEE_WEBHOOK_PASSWORD: webhookSecrets.CHARGEBEE_WEBHOOK_PASSWORD,
      SQUARE_WEBHOOK_SIGNATURE_KEY: webhookSecrets.SQUARE_WEBHOOK_SIGNATURE_KEY,
      MOLLIE_API_KEY: webhookSecrets.MOLLIE_API_KEY,
      PAYPAL_WEBHOOK_ID: webhookSecrets.PAYPAL_WEBHOOK_ID,
    });
    const response = await netlify.invoke("health", health(AUTH_TOKEN), env);
    expect(((await response.json()) as { providers: unknown }).providers).toMatchObject({
      chargebee: "not configured (CHARGEBEE_WEBHOOK_USERNAME)",
      square: "not configured (SQUARE_WEBHOOK_URL)",
      mollie: "configured",
      paypal: "configured",
      revenuecat: "not configured (REVENUECAT_WEBHOOK_AUTH)",
      fastspring: "not configured (FASTSPRING_WEBHOOK_SECRET)",
    });
    const complete = { ...env, CHARGEBEE_WEBHOOK_USERNAME: "cb_user", SQUARE_WEBHOOK_URL: "https://x.example/h" };
    const again = await netlify.invoke("health", health(AUTH_TOKEN), complete);
    expect(((await again.json()) as { providers: unknown }).providers).toMatchObject({
      chargebee: "configured",
      square: "configured",
    });
  });
});

describe("GET /api/health on Lambda with Secrets Manager", () => {
  let secretsManager: SecretsManagerStandIn;
  beforeAll(async () => {
    secretsManager = await startSecretsManagerStandIn();
  });
  afterAll(() => secretsManager.close());
  const lambda = lambdaPlatform("http-v2");
  const invoke = (secretId: string, auth?: string) =>
    lambda.invoke("health", health(auth), { ...sdkEnv(secretsManager), DATAFAST_SECRET_ID: secretId });

  test("reads the settings from the secret store", async () => {
    secretsManager.secrets.set(
      "health/ok",
      JSON.stringify({ DATAFAST_API_KEY: API_KEY, PAYMENTS_AUTH_TOKEN: AUTH_TOKEN }),
    );
    const response = await invoke("health/ok", AUTH_TOKEN);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ settings: { DATAFAST_API_KEY: "present" } });
  });

  test("answers 503 when the secret lacks PAYMENTS_AUTH_TOKEN", async () => {
    secretsManager.secrets.set("health/partial", JSON.stringify({ DATAFAST_API_KEY: API_KEY }));
    expect(await answer(await invoke("health/partial"))).toEqual({ status: 503, body: { status: "error" } });
  });

  test("answers 503 when the secret cannot be read", async () => {
    expect(await answer(await invoke("health/absent"))).toEqual({ status: 503, body: { status: "error" } });
  });
});

test("VERSION is package.json's version", () => {
  expect(VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
});
