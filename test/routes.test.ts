import { describe, expect, test } from "vitest";
import { handleRequest, NO_ROUTE, routeNamed } from "../shared/routes.ts";
import { envRuntime } from "../shared/runtime.ts";
import { AUTH_TOKEN, configuredEnv, errorOf, paymentRequest, useDataFast } from "./support/payments.ts";

// The table the single-entry platforms (Workers, Deno, Bun) dispatch on; npm start routes by it too.
const dataFast = useDataFast();
const runtime = () => envRuntime("test", configuredEnv(dataFast()));

describe("handleRequest", () => {
  test("records a payment at /api/payments", async () => {
    const response = await handleRequest(paymentRequest(), runtime());
    expect(response.status).toBe(200);
    expect(dataFast().payments.has("pay_001")).toBe(true);
  });

  test("hands /api/webhooks/{provider} to the webhooks route", async () => {
    const response = await handleRequest(paymentRequest({}, { path: "/api/webhooks/nope" }), runtime());
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error.message).toMatch(/^Unknown webhook provider "nope"/);
  });

  test("answers /api/health", async () => {
    const request = new Request("https://functions.example/api/health", {
      headers: { authorization: `Bearer ${AUTH_TOKEN}` },
    });
    const response = await handleRequest(request, runtime());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", platform: "test" });
  });

  test.each(["/", "/api/payment", "/api/payments/extra", "/api/webhooks", "/api/webhooks/a/b", "/x/api/health"])(
    "answers 404 for %s without echoing the path, forwarding nothing",
    async (path) => {
      const response = await handleRequest(paymentRequest(undefined, { path: `${path}?token=secret_1` }), runtime());
      expect(response.status).toBe(404);
      const text = await response.clone().text();
      expect(text).not.toContain("secret_1");
      expect((await errorOf(response)).error.message).toBe(NO_ROUTE);
      expect(dataFast().requests).toHaveLength(0);
    },
  );
});

test("routeNamed names each route by its path", () => {
  expect(["/api/payments", "/api/webhooks/paddle", "/api/health", "/api/nothing"].map(routeNamed)).toEqual([
    "payments",
    "webhooks",
    "health",
    undefined,
  ]);
});
