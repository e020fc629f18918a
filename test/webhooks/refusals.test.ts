import { describe, expect, test } from "vitest";
import { providers } from "../../shared/webhooks/providers.ts";
import { captureConsoleLines } from "../support/console-lines.ts";
import { configuredEnv, errorOf, useDataFast } from "../support/payments.ts";
import { platforms } from "../support/platforms.ts";
import { deployment, type ProviderCase, providerCases, rotated, secrets } from "./cases.ts";

/**
 * What a refused delivery is told, and what its log line says: a 401 names the credential it
 * wants, and nothing from a mistyped or hostile path (a Gumroad token after `;`, a 16 000-character
 * segment) is echoed into the answer or the log.
 */
const netlify = platforms.find((platform) => platform.name === "netlify");
if (!netlify) throw new Error("netlify platform missing");

const dataFast = useDataFast();

const consoleLines = captureConsoleLines();
const logLines = () => consoleLines().map((line) => JSON.parse(line) as Record<string, unknown>);

const invoke = (request: Request) => netlify.invoke("webhooks", request, configuredEnv(dataFast(), deployment));

/** What each provider's sender must present, by how the provider authenticates its deliveries. */
const challenges: Record<string, string> = {
  gumroad: 'Token realm="webhooks"',
  revenuecat: 'Token realm="webhooks"',
  chargebee: 'Basic realm="webhooks", charset="UTF-8"',
};

describe.each(providerCases)("a 401 from $provider", (provider: ProviderCase) => {
  const challenge = challenges[provider.provider] ?? 'Signature realm="webhooks"';

  test(`carries WWW-Authenticate: ${challenge}`, async () => {
    const { body, headers } = provider.payment;
    const response = await invoke(provider.request(body, headers, { secret: rotated[provider.secretName] }));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(challenge);
    await errorOf(response);
  });
});

describe("a path that names no provider", () => {
  const post = (path: string) =>
    invoke(new Request(`https://functions.example${path}`, { method: "POST", body: "token=x" }));

  test("a Gumroad token after `;` instead of `?` is in neither the 404 nor the log line", async () => {
    const token = secrets.GUMROAD_WEBHOOK_TOKEN;
    const response = await post(`/api/webhooks/gumroad;token=${encodeURIComponent(token)}`);
    expect(response.status).toBe(404);
    const { error } = await errorOf(response);
    expect(error.message).toBe(`Unknown webhook provider; known: ${Object.keys(providers).join(", ")}`);
    const lines = JSON.stringify(logLines());
    expect(lines).not.toContain(encodeURIComponent(token));
    expect(lines).not.toContain("token=");
    expect(logLines()).toEqual([expect.objectContaining({ route: "webhooks/?", status: 404 })]);
  });

  test("a 16 000-character segment is answered 404 with a short route in the log", async () => {
    const response = await post(`/api/webhooks/${"A".repeat(16_000)}`);
    expect(response.status).toBe(404);
    // The known providers' list, and nothing of the segment.
    expect(await response.text()).not.toContain("AAAA");
    expect(logLines()).toEqual([expect.objectContaining({ route: "webhooks/?", status: 404 })]);
  });

  test("a plausible provider name is echoed, so a typo is easy to spot", async () => {
    const response = await post("/api/webhooks/stripe");
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error.message).toMatch(/^Unknown webhook provider "stripe"; known: standard, /);
    expect(logLines()).toEqual([expect.objectContaining({ route: "webhooks/stripe" })]);
  });
});
