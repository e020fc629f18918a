import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test, vi } from "vitest";
import { sendPayment } from "../shared/datafast.ts";
import { handlePayment } from "../shared/handle-payment.ts";
import type { LogLine } from "../shared/log.ts";
import { envRuntime } from "../shared/runtime.ts";
import { freePort } from "./support/net.ts";
import { API_KEY, configuredEnv, paymentRequest, useDataFast } from "./support/payments.ts";

const dataFast = useDataFast();
const payment = { amount: 10, currency: "EUR", transaction_id: "pay_send" };
const send = (timeoutMs = 5000) =>
  sendPayment(payment, { apiUrl: dataFast().url, apiKey: API_KEY, deadline: Date.now() + timeoutMs });

/**
 * Sends on a clock that stands still but for the waits: each is recorded (with the time left then)
 * and moves the clock on instead of being taken, so waits are checked exactly, without timing.
 */
async function sendRecordingWaits(timeoutMs = 5000) {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  try {
    const deadline = Date.now() + timeoutMs;
    const waits: { ms: number; left: number }[] = [];
    const sleep = async (ms: number) => {
      waits.push({ ms, left: deadline - Date.now() });
      vi.setSystemTime(Date.now() + ms);
    };
    const outcome = await sendPayment(payment, { apiUrl: dataFast().url, apiKey: API_KEY, deadline, sleep });
    return { outcome, waits };
  } finally {
    vi.useRealTimers();
  }
}

describe("sendPayment", () => {
  test("honours Retry-After before retrying a 429", async () => {
    dataFast().fault = (_, count) => (count === 1 ? { status: 429, headers: { "retry-after": "1" } } : undefined);
    const { outcome, waits } = await sendRecordingWaits();
    expect(outcome).toMatchObject({ kind: "recorded", attempts: 2 });
    expect(waits.map(({ ms }) => ms)).toEqual([1000]);
  });

  test.each([
    // DataFast's own form (what a client of the live API reports): an epoch time in ms.
    ["epoch ms (DataFast's)", () => String(Date.now() + 1500), 1500, 1500],
    ["epoch seconds (DataFast's docs' example)", () => String(Math.ceil(Date.now() / 1000) + 2), 2000, 3000],
  ])("waits for a 429's X-RateLimit-Reset in %s", async (_, reset, atLeast, atMost) => {
    dataFast().fault = (__, count) =>
      count === 1 ? { status: 429, headers: { "x-ratelimit-reset": reset() } } : undefined;
    const { outcome, waits } = await sendRecordingWaits();
    expect(outcome).toMatchObject({ kind: "recorded", attempts: 2 });
    expect(waits).toHaveLength(1);
    expect(waits[0]?.ms).toBeGreaterThanOrEqual(atLeast);
    expect(waits[0]?.ms).toBeLessThanOrEqual(atMost);
  });

  test("waits for a 429's Retry-After as an HTTP date", async () => {
    const date = new Date(Date.now() + 2500).toUTCString();
    dataFast().fault = (_, count) => (count === 1 ? { status: 429, headers: { "retry-after": date } } : undefined);
    const { outcome, waits } = await sendRecordingWaits();
    expect(outcome).toMatchObject({ kind: "recorded", attempts: 2 });
    expect(waits[0]?.ms).toBeGreaterThan(1000);
  });

  test("reads a small X-RateLimit-Reset as seconds: 60 is a minute, past the budget, so no retry", async () => {
    dataFast().fault = () => ({ status: 429, headers: { "x-ratelimit-reset": "60" } });
    const { outcome, waits } = await sendRecordingWaits();
    expect(waits).toEqual([]);
    expect(outcome).toMatchObject({ kind: "unavailable", status: 429, retryAfterSeconds: 60, attempts: 1 });
    expect(dataFast().requests).toHaveLength(1);
  });

  test.each([
    ["Retry-After: 0", { "retry-after": "0" }],
    ["an X-RateLimit-Reset already past", { "x-ratelimit-reset": "1700000000000" }],
  ])("never retries a 429 at once after %s: the backoff is the least wait", async (_, headers) => {
    dataFast().fault = () => ({ status: 429, headers });
    const { outcome, waits } = await sendRecordingWaits();
    expect(outcome).toMatchObject({ kind: "unavailable", status: 429, attempts: 4 });
    expect(waits.map(({ ms }) => ms)).toEqual([200, 400, 800]);
  });

  test("never waits past the deadline: a wait that does not fit ends the attempts", async () => {
    dataFast().fault = () => ({ status: 429, headers: { "retry-after": "2" } });
    const { outcome, waits } = await sendRecordingWaits(3000);
    expect(outcome).toMatchObject({ kind: "unavailable", status: 429, retryAfterSeconds: 2 });
    expect(waits.map(({ ms }) => ms)).toEqual([2000]);
    for (const { ms, left } of waits) expect(ms).toBeLessThan(left);
    expect(dataFast().requests).toHaveLength(2);
  });

  test("stops retrying a failing DataFast when the next backoff would not leave a retry room before the deadline", async () => {
    dataFast().fault = () => ({ status: 500 });
    // The longest jitter draws: backoffs of 200, 400 and 800 ms against a 1000 ms budget.
    vi.spyOn(Math, "random").mockReturnValue(0.999_999);
    try {
      const { outcome, waits } = await sendRecordingWaits(1000);
      expect(outcome).toMatchObject({ kind: "unavailable", status: 500, attempts: 3 });
      // 200 + 400 ms waited; 800 more would end past the deadline, so the third failure is the answer.
      expect(waits.map(({ ms }) => Math.round(ms))).toEqual([200, 400]);
      for (const { ms, left } of waits) expect(ms).toBeLessThan(left);
    } finally {
      vi.restoreAllMocks();
    }
  });

  test.each([
    ['{"message":"Top-level message"}', "Top-level message"],
    ['{"error":"Flat error"}', "Flat error"],
    ["", "(empty body)"],
  ])("reads DataFast's reason from %j", async (body, reason) => {
    dataFast().fault = () => ({ status: 404, body });
    expect(await send()).toMatchObject({ kind: "rejected", message: `DataFast answered 404: ${reason}` });
  });

  test("names the network error when DataFast cannot be reached", async () => {
    const port = await freePort();
    const outcome = await sendPayment(payment, {
      apiUrl: `http://127.0.0.1:${port}/api/v1`,
      apiKey: API_KEY,
      deadline: Date.now() + 800,
    });
    expect(outcome).toMatchObject({ kind: "unavailable", message: "DataFast could not be reached (ECONNREFUSED)" });
  });

  test("retries a reset connection and a 408", async () => {
    dataFast().fault = (_, count) => (count === 1 ? { reset: true } : count === 2 ? { status: 408 } : undefined);
    expect(await send()).toMatchObject({ kind: "recorded", attempts: 3 });
  });

  test("gives up after four attempts", async () => {
    dataFast().fault = () => ({ status: 502 });
    expect(await send()).toMatchObject({ kind: "unavailable", status: 502, attempts: 4 });
    expect(dataFast().requests).toHaveLength(4);
  });

  test("does not retry a payment DataFast refused", async () => {
    dataFast().fault = () => ({ status: 400, body: "plain text reason" });
    expect(await send()).toMatchObject({
      kind: "rejected",
      status: 400,
      message: "DataFast answered 400: plain text reason",
    });
  });

  test("names a hung DataFast as a timeout", async () => {
    dataFast().fault = () => ({ hang: true });
    const outcome = await send(2500);
    expect(outcome).toMatchObject({ kind: "unavailable" });
    expect(outcome.kind === "unavailable" && outcome.message).toMatch(/^DataFast did not answer within \d+ ms$/);
  });

  test.each([301, 302, 307, 308])(
    "never follows a %i nor resends after it: DATAFAST_API_URL is wrong",
    async (status) => {
      dataFast().fault = () => ({ status, headers: { location: `${dataFast().url}/payments?followed=1` } });
      expect(await send()).toMatchObject({ kind: "misdirected", attempts: 1 });
      expect(dataFast().requests.map((request) => request.url)).toEqual(["/api/v1/payments"]);
    },
  );

  // Node, Deno and Bun refuse a redirect under `redirect: "error"` in these words (workerd has
  // "manual", whose 3xx answer is read as a status: the relay suite covers it on real workerd).
  test.each([
    ["Node", Object.assign(new TypeError("fetch failed"), { cause: new Error("unexpected redirect") })],
    ["Deno", new TypeError("Fetch failed: Encountered redirect while redirect mode is set to 'error'")],
    [
      "Bun",
      Object.assign(new TypeError('UnexpectedRedirect fetching "https://datafa.st/api/v1/payments".'), {
        code: "UnexpectedRedirect",
      }),
    ],
  ])("reads %s's refused redirect as a wrong DATAFAST_API_URL, sent once", async (_, error) => {
    const calls: RequestInit[] = [];
    const outcome = await sendPayment(payment, {
      apiUrl: "https://datafa.st/api/v1",
      apiKey: API_KEY,
      deadline: Date.now() + 5000,
      fetch: async (_url, init) => {
        calls.push(init ?? {});
        throw error;
      },
    });
    expect(outcome).toEqual({ kind: "misdirected", message: "DataFast answered with a redirect", attempts: 1 });
    expect(calls.map((init) => init.redirect)).toEqual(["error"]);
  });

  // Other fetch errors quote the URL or host, which may hold the word "redirect": they stay
  // passing failures, retried, never blamed on DATAFAST_API_URL.
  test.each([
    [
      "Node's DNS failure",
      Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND redirect.example"), { code: "ENOTFOUND" }),
      }),
    ],
    [
      "Deno's connection failure",
      Object.assign(new TypeError("fetch failed"), {
        cause: new Error("error sending request for url (https://proxy.example/redirect/payments): connection refused"),
      }),
    ],
    [
      "Bun's DNS failure",
      Object.assign(new TypeError("getaddrinfo ENOTFOUND redirect.example"), { code: "ENOTFOUND" }),
    ],
    ["workerd's refusal of the mode", new TypeError('Invalid redirect value, must be one of "follow" or "manual"')],
  ])("reads %s, which names a redirect-like URL, as DataFast unreachable and retries it", async (_, error) => {
    let calls = 0;
    const outcome = await sendPayment(payment, {
      apiUrl: "https://datafa.st/api/v1",
      apiKey: API_KEY,
      deadline: Date.now() + 5000,
      fetch: async () => {
        calls++;
        throw error;
      },
      sleep: async () => {},
    });
    expect(outcome).toMatchObject({ kind: "unavailable", attempts: 4 });
    expect(calls).toBe(4);
  });

  test("leaves a hung attempt room for a retry within the budget", async () => {
    dataFast().fault = (_, count) => (count === 1 ? { hang: true } : undefined);
    expect(await send(6000)).toMatchObject({ kind: "recorded", attempts: 2 });
  });
});

/** handlePayment against the stand-in, with the log lines it wrote. */
async function pay(body: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const lines: LogLine[] = [];
  const runtime = { ...envRuntime("test", configuredEnv(dataFast(), env)), log: (line: LogLine) => lines.push(line) };
  const response = await handlePayment(paymentRequest({ ...paymentBody, ...body }), runtime);
  return { response, text: await response.text(), lines };
}
const paymentBody = { amount: 29.99, currency: "USD", transaction_id: "pay_001" };
const success = { message: "Payment recorded and attributed successfully", transaction_id: "pay_001" };

describe("a 2xx counts only as DataFast's success answer for this payment", () => {
  test.each([
    ["an HTML page (a proxy, a captive portal)", { status: 200, body: "<html>ok</html>" }],
    ["an empty 204", { status: 204, body: "" }],
    ["an empty 205", { status: 205, body: "" }],
    ["an empty 200", { status: 200, body: "" }],
    ["JSON that is not an object", { status: 200, body: '["ok"]' }],
    ["an object saying nothing", { status: 200, body: '{"ok":true}' }],
    ["an answer without the transaction_id", { status: 200, body: '{"message":"Saved"}' }],
    [
      "an answer for another transaction_id",
      { status: 200, body: JSON.stringify({ ...success, transaction_id: "x" }) },
    ],
    ["DataFast's error envelope", { status: 200, body: '{"status":"error","error":{"code":500,"message":"db"}}' }],
    ["a cut-short answer", { status: 200, body: JSON.stringify(success).slice(0, 30) }],
  ])("%s is not confirmed: resent, then answered 502", async (_, fault) => {
    dataFast().fault = () => fault;
    const { response, text, lines } = await pay({}, { DATAFAST_TIMEOUT_MS: "3000" });
    expect(response.status).toBe(502);
    expect(JSON.parse(text).error.message).toContain(
      `DataFast answered ${fault.status} without confirming the payment`,
    );
    expect(dataFast().requests.length).toBeGreaterThan(1);
    expect(lines).toEqual([expect.objectContaining({ status: 502, outcome: "unavailable" })]);
  });

  test("a 2xx that is not DataFast's answer is resent, and DataFast's own answer is passed through", async () => {
    dataFast().fault = (_, count) => (count === 1 ? { status: 200, body: "<html>ok</html>" } : undefined);
    const { response, text, lines } = await pay();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual(success);
    expect(lines).toEqual([expect.objectContaining({ status: 200, outcome: "recorded", attempts: 2 })]);
  });

  test.each([
    [
      "other wording and more fields",
      { status: 200, body: '{"message":"Zahlung erfasst","transaction_id":"pay_001","x":1}' },
    ],
    ["another 2xx status", { status: 201, body: JSON.stringify(success) }],
  ])("DataFast's answer with %s still confirms", async (_, fault) => {
    dataFast().fault = () => fault;
    const { response, text } = await pay();
    expect(response.status).toBe(fault.status);
    expect(JSON.parse(text)).toEqual(JSON.parse(fault.body));
    expect(dataFast().requests).toHaveLength(1);
  });
});

describe("a payment DataFast already holds", () => {
  test("is answered 200, marked X-DataFast-Duplicate and logged as a duplicate", async () => {
    expect((await pay()).response.status).toBe(200);
    const { response, text, lines } = await pay();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-datafast-duplicate")).toBe("true");
    expect(JSON.parse(text)).toEqual({
      message: "DataFast already holds this transaction_id",
      transaction_id: "pay_001",
    });
    expect(lines).toEqual([expect.objectContaining({ level: "info", status: 200, outcome: "duplicate" })]);
    expect(dataFast().duplicates).toEqual([{ transaction_id: "pay_001", resent: paymentBody, differs: false }]);
  });

  test("a second version (another amount) is marked too, and DataFast keeps the first", async () => {
    await pay();
    const { response } = await pay({ amount: 99, currency: "EUR" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-datafast-duplicate")).toBe("true");
    expect(dataFast().payments.get("pay_001")).toEqual(paymentBody);
    expect(dataFast().duplicates).toMatchObject([{ transaction_id: "pay_001", differs: true }]);
  });

  test("a first answer is not marked", async () => {
    const { response } = await pay();
    expect(response.headers.get("x-datafast-duplicate")).toBeNull();
  });

  test.each([
    ["without the transaction_id", { message: "Payment already recorded" }],
    ["with it", { message: "Duplicate transaction", transaction_id: "pay_001" }],
  ])("a 2xx saying so %s counts as one, DataFast's answer passed through", async (_, body) => {
    dataFast().fault = () => ({ status: 200, body: JSON.stringify(body) });
    const { response, text, lines } = await pay();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-datafast-duplicate")).toBe("true");
    expect(JSON.parse(text)).toEqual(body);
    expect(lines).toEqual([expect.objectContaining({ outcome: "duplicate", attempts: 1 })]);
  });

  test("a 2xx duplicate answer about another transaction_id is not confirmed", async () => {
    dataFast().fault = () => ({ status: 200, body: '{"message":"Duplicate","transaction_id":"other"}' });
    expect((await pay({}, { DATAFAST_TIMEOUT_MS: "2000" })).response.status).toBe(502);
  });
});

describe("the key never leaks through an escaped or encoded echo", () => {
  // A key with the characters escapes change; DataFast's own are df_ and hex, but a key is any
  // printable ASCII and the function must not depend on its alphabet.
  const KEY = "df_live/k3y+Qz=9&x";
  const hex = (char: string) => char.charCodeAt(0).toString(16).padStart(4, "0");
  const forms: [string, string][] = [
    ["/ escaped as \\/ (PHP's json_encode)", JSON.stringify(KEY).slice(1, -1).replaceAll("/", "\\/")],
    ["every character as \\uXXXX", [...KEY].map((char) => `\\u${hex(char)}`).join("")],
    ["some characters as \\uXXXX, in upper case", KEY.replace("k3y", "\\u006B\\u0033y").replace("/", "\\u002F")],
  ];
  test.each(forms)("in a JSON message with %s", async (_, escaped) => {
    for (const status of [400, 500]) {
      dataFast().fault = () => ({ status, body: `{"error":{"message":"Refused key ${escaped}"}}` });
      const { response, text, lines } = await pay({}, { DATAFAST_API_KEY: KEY, DATAFAST_TIMEOUT_MS: "1000" });
      expect(response.status).toBe(status === 400 ? 422 : 502);
      const all = text + JSON.stringify(lines);
      expect(JSON.parse(text).error.message).toContain("Refused key [DATAFAST_API_KEY]");
      for (const leaked of [KEY, escaped, JSON.stringify(KEY).slice(1, -1)]) expect(all).not.toContain(leaked);
    }
  });

  test.each([
    ["URL-encoded", encodeURIComponent(KEY)],
    ["partly URL-encoded, in lower case", KEY.replace("/", "%2f").replace("=", "%3d")],
    ["as HTML character references", KEY.replace("/", "&#47;").replace("&x", "&#x26;x")],
  ])("in a page that is not JSON, %s", async (_, encoded) => {
    dataFast().fault = () => ({ status: 400, body: `<p>GET /pay?key=${encoded}</p>` });
    const { response, text, lines } = await pay({}, { DATAFAST_API_KEY: KEY });
    expect(response.status).toBe(422);
    const all = text + JSON.stringify(lines);
    expect(all).toContain("key=[DATAFAST_API_KEY]");
    for (const leaked of [KEY, encoded]) expect(all).not.toContain(leaked);
  });
});

describe("a huge reply", () => {
  const HUGE = 64 * 1024 * 1024;
  /**
   * A loopback server answering `status` with a HUGE body, written as fast as the client reads it
   * (backpressure): how much it wrote shows how much the client read.
   */
  async function hugeReplyServer(status: number) {
    const sends: Promise<{ written: number; finished: boolean }>[] = [];
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(status, { "content-type": "text/plain", "content-length": String(HUGE) });
      const chunk = Buffer.alloc(64 * 1024, "x");
      let written = 0;
      sends.push(
        new Promise((resolve) => {
          res.on("close", () => resolve({ written, finished: res.writableFinished }));
          const pump = () => {
            while (written < HUGE && !res.destroyed) {
              written += chunk.length;
              if (!res.write(chunk)) return void res.once("drain", pump);
            }
            res.end();
          };
          pump();
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/api/v1`, sends, close: () => server.close() };
  }

  test("is read no further than 64 KiB: the connection is dropped, the excerpt bounded", async () => {
    const huge = await hugeReplyServer(400);
    try {
      const outcome = await sendPayment(payment, { apiUrl: huge.url, apiKey: API_KEY, deadline: Date.now() + 5000 });
      expect(outcome).toMatchObject({ kind: "rejected", status: 400, attempts: 1 });
      expect(outcome.kind === "rejected" && outcome.message.length).toBeLessThan(300);
      const [sent] = await Promise.all(huge.sends);
      expect(sent?.finished).toBe(false);
      // What the kernel's socket buffers took on top of the 64 KiB read: a few MiB at most.
      expect(sent?.written).toBeLessThan(HUGE / 4);
    } finally {
      huge.close();
    }
  });

  test("that is a 2xx is not confirmed (DataFast's answer is about 100 bytes)", async () => {
    const huge = await hugeReplyServer(200);
    try {
      const outcome = await sendPayment(payment, { apiUrl: huge.url, apiKey: API_KEY, deadline: Date.now() + 1000 });
      expect(outcome).toMatchObject({ kind: "unavailable", status: 200 });
      expect(outcome.kind === "unavailable" && outcome.message).toContain("a reply over 65536 bytes");
      for (const sent of await Promise.all(huge.sends)) expect(sent.finished).toBe(false);
    } finally {
      huge.close();
    }
  });
});

describe("answers and logs", () => {
  test("one log line per request, without the email, key or token", async () => {
    const lines: LogLine[] = [];
    const env = configuredEnv(dataFast());
    const runtime = { ...envRuntime("test", env), log: (line: LogLine) => lines.push(line) };
    // DataFast quoting the email back, in quotes that JSON escapes: masking must keep the JSON valid.
    dataFast().fault = () => ({
      status: 400,
      body: JSON.stringify({ error: { message: 'Bad email "buyer@example.com"' } }),
    });
    const response = await handlePayment(
      paymentRequest({ ...payment, email: "buyer@example.com", datafast_visitor_id: undefined }),
      runtime,
    );
    expect(response.status).toBe(422);
    const answer = await response.text();
    expect(JSON.parse(answer)).toMatchObject({ error: { message: 'DataFast answered 400: Bad email "[email]"' } });
    const text = JSON.stringify(lines) + answer;
    expect(lines).toHaveLength(1);
    expect(text).toContain("[email]");
    for (const secret of ["buyer@example.com", env.DATAFAST_API_KEY, env.PAYMENTS_AUTH_TOKEN]) {
      expect(text).not.toContain(secret);
    }
  });
});
