import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type DataFastStandIn, startDataFastStandIn } from "../../dev/datafast-standin.ts";

type Fault = NonNullable<DataFastStandIn["fault"]>;

import { safeEqual } from "../../shared/auth.ts";
import { sentinelSecrets, useLeakWatch } from "../support/leak-watch.ts";
import { type Env, platforms } from "../support/platforms.ts";
import { postPayment, writeFigures } from "./harness.ts";

const CUSTOMER_EMAIL = "secret.safety.buyer@example.com";
let dataFast: DataFastStandIn;
let env: Env;
const leakWatch = useLeakWatch();
leakWatch.watch("customer email", CUSTOMER_EMAIL);
let answersChecked = 0;

beforeAll(async () => {
  dataFast = await startDataFastStandIn({ acceptKey: (key) => key === sentinelSecrets.DATAFAST_API_KEY });
  // A short budget: the echoed 429 and 500 are retried until it runs out.
  env = { ...sentinelSecrets, DATAFAST_API_URL: dataFast.url, DATAFAST_TIMEOUT_MS: "300" };
});
afterAll(async () => {
  await dataFast?.close();
  writeFigures("secret-safety", {
    secretsWatched: Object.keys(sentinelSecrets),
    answersChecked,
    scanned: leakWatch.scanned(),
    leaked: leakWatch.leaks().length,
  });
});

const inProcess = platforms.filter(({ name }) => name !== "vercel");
describe("the bearer token is compared in constant time", () => {
  // Timing itself is not asserted (benchmarks measure speed): these pin that the comparison, which
  // runs over every presented byte, tells apart every way a token can differ.
  test("safeEqual tells a token from its prefixes, extensions, repetitions and one-byte changes", () => {
    const expected = "tok_0123456789abcdef";
    expect(safeEqual(expected, expected)).toBe(true);
    for (const given of [
      "",
      expected.slice(0, -1),
      `${expected}x`,
      `${expected}${expected}`,
      `${expected.slice(0, -1)}g`,
      `x${expected.slice(1)}`,
      "a much longer presented value than the expected one",
      "tok_0123456789abcdeF",
      "tok_0123456789abcdé",
    ]) {
      expect(safeEqual(given, expected), given).toBe(false);
    }
  });

  test("safeEqual compares against the expected value of each call, whatever came before", () => {
    for (const expected of ["one", "two", "one", "two"]) {
      expect(safeEqual(expected, expected)).toBe(true);
      expect(safeEqual("two", expected)).toBe(expected === "two");
    }
  });

  const token = sentinelSecrets.PAYMENTS_AUTH_TOKEN;
  test.each(inProcess)("$name: only the exact token is let in", async (platform) => {
    for (const presented of [token, `${token.slice(0, -1)}x`, token.slice(0, 4), `${token}${token}`]) {
      const request = postPayment(
        { amount: 1, currency: "USD", transaction_id: "ct-1" },
        {
          authorization: `Bearer ${presented}`,
        },
      );
      const response = await platform.invoke("payments", request, env);
      await leakWatch.read(response, `answer on ${platform.name}`);
      answersChecked += 1;
      expect(response.status).toBe(presented === token ? 200 : 401);
    }
  });
});

describe("an upstream that echoes secrets and emails back", () => {
  // DataFast (or a proxy in front of it) refusing with the status named at the end of the
  // transaction_id, quoting the request it refused: key and email included.
  const echoing: Fault = (request) => {
    const status = Number(/-(\d{3})"/.exec(request.body)?.[1]);
    const message = `Refused ${request.authorization} for ${request.body}`;
    return { status, body: JSON.stringify({ status: "error", error: { code: status, message } }) };
  };
  beforeAll(() => {
    dataFast.fault = echoing;
  });
  afterAll(() => {
    dataFast.fault = undefined;
  });

  test.concurrent.each(platforms)(
    "$name: neither the key nor the email reaches an answer or a log line",
    async (platform) => {
      for (const status of [400, 401, 429, 500]) {
        const request = postPayment({
          amount: 1,
          currency: "USD",
          transaction_id: `echo-${platform.name.replace(/\W+/g, "_")}-${status}`,
          email: CUSTOMER_EMAIL,
        });
        const response = await platform.invoke("payments", request, env);
        const text = await leakWatch.read(response, `answer on ${platform.name} to an echoed ${status}`);
        answersChecked += 1;
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(text).not.toContain(sentinelSecrets.DATAFAST_API_KEY);
        expect(text).not.toContain(CUSTOMER_EMAIL);
        // Masked, and still the JSON envelope (masking must not eat an escaped quote).
        expect(JSON.parse(text)).toMatchObject({ status: "error", error: { code: response.status } });
      }
    },
  );

  test.concurrent.each(platforms)("$name: nor from a goal whose metadata carries the email", async (platform) => {
    for (const status of [400, 401, 404, 429, 500]) {
      const request = postPayment({
        datafast_visitor_id: "3f1c2b9e-5d7a-4c1e-9f00-1a2b3c4d5e6f",
        name: `echo-${platform.name.replace(/\W+/g, "_")}-${status}`,
        metadata: { email: CUSTOMER_EMAIL },
      });
      const response = await platform.invoke("goals", request, env);
      const text = await leakWatch.read(response, `answer on ${platform.name} to a goal's echoed ${status}`);
      answersChecked += 1;
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(text).not.toContain(sentinelSecrets.DATAFAST_API_KEY);
      expect(text).not.toContain(CUSTOMER_EMAIL);
      expect(JSON.parse(text)).toMatchObject({ status: "error", error: { code: response.status } });
    }
  });
});

test("no secret or customer email in any answer, header or log line of this file", () => {
  expect(leakWatch.leaks()).toEqual([]);
});
