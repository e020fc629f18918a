import { afterEach, beforeEach, describe, expect, type MockInstance, test, vi } from "vitest";
import { lambdaContext } from "../dev/lambda-invoke.ts";
import type { LambdaHttpEvent } from "../functions/lambda/event.ts";
import { handler } from "../functions/lambda/payments.ts";
import { eventKinds, fromLambdaResult, toLambdaEvent } from "./support/lambda-events.ts";
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
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const env = configuredEnv(dataFast(), { DATAFAST_TIMEOUT_MS: "20000" });
    const response = await platform.invoke("payments", paymentRequest(), env, { remainingMs: 1500 });
    expect(response.status).toBe(502);
    // Checked against what the function reports, not a stopwatch: the time it gave itself and its
    // hung attempt are 1500 ms left minus the 500 ms margin kept for answering, at most.
    const [line] = logged.mock.calls.map(([text]) => JSON.parse(String(text)));
    logged.mockRestore();
    expect(line.budget_ms).toBeGreaterThan(0);
    expect(line.budget_ms).toBeLessThanOrEqual(1000);
    const attemptMs = Number(/did not answer within (\d+) ms/.exec(line.message)?.[1]);
    expect(attemptMs).toBeGreaterThan(0);
    expect(attemptMs).toBeLessThanOrEqual(line.budget_ms);
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

/** Replaces a header (any case) the way `event` carries it, past `Headers`, which refuses what AWS delivers. */
function setEventHeader(event: LambdaHttpEvent, name: string, value: string): void {
  const carrier = event as { headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]> };
  for (const map of [carrier.headers, carrier.multiValueHeaders]) {
    for (const key of Object.keys(map ?? {})) if (key.toLowerCase() === name.toLowerCase()) delete map?.[key];
  }
  if (carrier.multiValueHeaders) carrier.multiValueHeaders[name] = [value];
  if (carrier.headers) carrier.headers[name] = value;
}

/** Sets the method past `Request` (which refuses TRACE and CONNECT). */
function setEventMethod(event: LambdaHttpEvent, method: string): void {
  if ("version" in event && event.version === "2.0") event.requestContext.http.method = method;
  else (event as { httpMethod: string }).httpMethod = method;
}

describe.each(eventKinds)("Events no Web Request can carry as they are (%s)", (kind) => {
  let logged: MockInstance[] = [];
  beforeEach(() => {
    for (const [name, value] of Object.entries(configuredEnv(dataFast()))) vi.stubEnv(name, value);
    logged = [
      vi.spyOn(console, "log").mockImplementation(() => {}),
      vi.spyOn(console, "error").mockImplementation(() => {}),
    ];
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    for (const spy of logged) spy.mockRestore();
  });
  const logLines = () =>
    logged.flatMap((spy) => spy.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>));

  async function invoke(event: LambdaHttpEvent) {
    const response = fromLambdaResult(await handler(event, lambdaContext(30_000)));
    return { response, body: (await response.json()) as Record<string, unknown> };
  }

  test.each([
    ["User-Agent", "app €"],
    ["cf-ipcity", "Srīperumbūdūr"],
    ["user-agent", "checkout 🛒"],
  ])("records a payment whose %s header is %s, in one log line", async (name, value) => {
    const event = await toLambdaEvent(kind, paymentRequest({ ...payment, transaction_id: `utf8_${kind}` }));
    setEventHeader(event, name, value);
    const { response, body } = await invoke(event);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ transaction_id: `utf8_${kind}` });
    expect(dataFast().payments.has(`utf8_${kind}`)).toBe(true);
    expect(logLines()).toEqual([expect.objectContaining({ route: "payments", status: 200 })]);
  });

  test("drops a header no HTTP request can carry; a mangled Authorization is then missing", async () => {
    const event = await toLambdaEvent(kind, paymentRequest());
    setEventHeader(event, "x-broken", "a\r\nb");
    setEventHeader(event, "bad name", "x");
    setEventHeader(event, "authorization", "Bearer \0token");
    const { response, body } = await invoke(event);
    expect(response.status).toBe(401);
    expect(body).toMatchObject({ status: "error", error: { code: 401 } });
    expect(logLines()).toEqual([expect.objectContaining({ route: "payments", status: 401 })]);
    expect(dataFast().requests).toHaveLength(0);
  });

  test.each(["TRACE", "CONNECT", "track"])("answers %s with 405 in the envelope and one log line", async (method) => {
    const event = await toLambdaEvent(kind, paymentRequest());
    setEventMethod(event, method);
    const { response, body } = await invoke(event);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(body).toEqual({
      status: "error",
      error: { code: 405, message: `Method ${method.toUpperCase()} not allowed` },
    });
    expect(logLines()).toEqual([expect.objectContaining({ route: "payments", status: 405, level: "warn" })]);
    expect(dataFast().requests).toHaveLength(0);
  });
});

test("answers an event that is not an HTTP event at all in the envelope, with one log line", async () => {
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const result = await handler({} as LambdaHttpEvent, lambdaContext(30_000));
    expect(result).toMatchObject({ statusCode: 500 });
    expect(JSON.parse((result as { body: string }).body)).toEqual({
      status: "error",
      error: { code: 500, message: "Internal error" },
    });
    expect(logged).toHaveBeenCalledTimes(1);
  } finally {
    logged.mockRestore();
  }
});
