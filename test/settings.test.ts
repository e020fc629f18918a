import { describe, expect, test } from "vitest";
import { handlePayment } from "../shared/handle-payment.ts";
import type { LogLine } from "../shared/log.ts";
import { envRuntime, type Runtime } from "../shared/runtime.ts";
import { configuredEnv, paymentRequest, useDataFast } from "./support/payments.ts";

const dataFast = useDataFast();

function run(runtime: Runtime) {
  const lines: LogLine[] = [];
  return { lines, response: handlePayment(paymentRequest(), { ...runtime, log: (line) => lines.push(line) }) };
}

describe("settings", () => {
  test.each([
    ["DATAFAST_TIMEOUT_MS", "soon", "must be a positive integer"],
    ["DATAFAST_TIMEOUT_MS", "-5", "must be a positive integer"],
    ["DATAFAST_API_URL", "datafa.st/api", "is not a URL"],
  ])("a malformed %s answers 500 naming it", async (name, value, problem) => {
    const { response } = run(envRuntime("test", configuredEnv(dataFast(), { [name]: value })));
    const answer = await response;
    expect(answer.status).toBe(500);
    expect(await answer.text()).toContain(`${name} ${problem}`);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("a changed DataFast setting applies from the next request on", async () => {
    for (const [timeout, status] of [
      ["5000", 200],
      ["soon", 500],
      ["5000", 200],
    ] as const) {
      const { response } = run(envRuntime("test", configuredEnv(dataFast(), { DATAFAST_TIMEOUT_MS: timeout })));
      expect((await response).status, timeout).toBe(status);
    }
  });

  test("an unexpected failure answers a bare 500 and logs only the error's name and message", async () => {
    const runtime = envRuntime("test", configuredEnv(dataFast()));
    const { response, lines } = run({
      ...runtime,
      secrets: {
        load: () => Promise.reject(new TypeError("socket hang up")),
      },
    });
    const answer = await response;
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ status: "error", error: { code: 500, message: "Internal error" } });
    expect(lines).toEqual([
      expect.objectContaining({ level: "error", outcome: "failed", message: "TypeError: socket hang up" }),
    ]);
  });

  test("a 429 without Retry-After still tells the caller when to come back", async () => {
    dataFast().fault = () => ({ status: 429 });
    const { response } = run(envRuntime("test", configuredEnv(dataFast(), { DATAFAST_TIMEOUT_MS: "1000" })));
    const answer = await response;
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
  });
});
