import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { lambdaContext } from "../dev/lambda-invoke.ts";
import { handler } from "../functions/lambda/payments.ts";
import { toLambdaEvent } from "./support/lambda-events.ts";
import { configuredEnv, payment, paymentRequest, useDataFast } from "./support/payments.ts";
import { lambdaPlatforms } from "./support/platforms.ts";

const dataFast = useDataFast();

describe.each(lambdaPlatforms)("Lambda specifics on $name", (platform) => {
  test("decodes a base64 body", async () => {
    const response = await platform.invoke("payments", paymentRequest(), configuredEnv(dataFast()), { base64: true });
    expect(response.status).toBe(200);
    expect(JSON.parse(dataFast().requests[0]?.body ?? "")).toMatchObject({ transaction_id: payment.transaction_id });
  });

  test("stops before Lambda's own timeout, whatever DATAFAST_TIMEOUT_MS allows", async () => {
    dataFast().fault = () => ({ hang: true });
    const started = Date.now();
    const env = configuredEnv(dataFast(), { DATAFAST_TIMEOUT_MS: "20000" });
    const response = await platform.invoke("payments", paymentRequest(), env, { remainingMs: 1500 });
    expect(response.status).toBeGreaterThanOrEqual(502);
    // 1500 ms left minus the 500 ms margin kept for answering.
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe("Lambda result shapes", () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(configuredEnv(dataFast()))) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test("answers an ALB target group with multi-value headers in multiValueHeaders only", async () => {
    const event = await toLambdaEvent("alb-multi-value", paymentRequest(undefined, { method: "GET" }));
    const result = await handler(event, lambdaContext(30_000));
    expect(result).toMatchObject({
      statusCode: 405,
      statusDescription: "405 Method Not Allowed",
      multiValueHeaders: { allow: ["POST"] },
    });
    expect(result).not.toHaveProperty("headers");
  });

  test("answers API Gateway with plain headers and a text body", async () => {
    const event = await toLambdaEvent("http-v2", paymentRequest(undefined, { method: "GET" }));
    const result = await handler(event, lambdaContext(30_000));
    expect(result).toMatchObject({ statusCode: 405, headers: { allow: "POST" }, isBase64Encoded: false });
    expect(JSON.parse((result as { body: string }).body)).toMatchObject({ error: { code: 405 } });
  });
});
