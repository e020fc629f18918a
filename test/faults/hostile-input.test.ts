import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type DataFastStandIn, startDataFastStandIn } from "../../dev/datafast-standin.ts";
import { lambdaContext } from "../../dev/lambda-invoke.ts";
import { handler as lambdaPayments } from "../../functions/lambda/payments.ts";
import { PAYMENT_BODY_LIMIT, WEBHOOK_BODY_LIMIT } from "../../shared/body.ts";
import { parseGoal } from "../../shared/goal.ts";
import { parsePayment } from "../../shared/payment.ts";
import { fromLambdaResult, toLambdaEvent } from "../support/lambda-events.ts";
import { sentinelSecrets, useLeakWatch } from "../support/leak-watch.ts";
import { type Env, type Platform, platforms } from "../support/platforms.ts";
import { percentiles, postPayment, scaled, soakTimeout, writeFigures } from "./harness.ts";

/*
 * Hostile input on every platform. For every input: no 5xx and no crash (an unhandled rejection
 * fails the vitest run by itself), an error answer is the JSON envelope, and DataFast only ever
 * receives payments that pass the schema, in exactly their validated form.
 */

const RUNS = scaled(20, 400);
const SEED = Number(process.env.FAULT_SEED ?? 20_251_126);
const CUSTOMER_EMAIL = "hostile.buyer@example.com";

let dataFast: DataFastStandIn;
let env: Env;
const leakWatch = useLeakWatch();
leakWatch.watch("customer email", CUSTOMER_EMAIL);
/** Answer times in ms: inputs refused before DataFast, and valid payments recorded through it. */
const durations = { refused: [] as number[], recorded: [] as number[] };
let inputsTried = 0;

beforeAll(async () => {
  dataFast = await startDataFastStandIn({ acceptKey: (key) => key === sentinelSecrets.DATAFAST_API_KEY });
  env = { ...sentinelSecrets, DATAFAST_API_URL: dataFast.url };
  // Also for the Lambda events built by hand below; the platforms set these same values per call.
  Object.assign(process.env, env);
});
afterAll(async () => {
  await dataFast?.close();
  writeFigures("hostile-input", {
    seed: SEED,
    hostileInputsTried: inputsTried,
    forwardedToDataFast: dataFast?.requests.length,
    answerMs: { refused: percentiles(durations.refused), recorded: percentiles(durations.recorded) },
    leaked: leakWatch.leaks().length,
    scanned: leakWatch.scanned(),
  });
});

/** A JSON object's text with the entries exactly as given: duplicate keys and `__proto__` included. */
const objectText = (entries: readonly (readonly [string, unknown])[]) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(",")}}`;

let idCount = 0;
const validEntries = (): [string, unknown][] => [
  ["amount", 19.99],
  ["currency", "usd"],
  ["transaction_id", `hostile-${++idCount}`],
];

/**
 * Sends one input and checks the invariants; returns the status. A 200 must have forwarded
 * exactly the validated payment once; anything else must have forwarded nothing.
 */
async function trySend(
  platform: Platform,
  request: Request,
  options: { base64?: boolean; allowed?: readonly number[]; route?: "payments" | "goals" } = {},
): Promise<number> {
  const route = options.route ?? "payments";
  inputsTried += 1;
  const bodyBytes = new Uint8Array(await request.clone().arrayBuffer());
  const forwardedBefore = dataFast.requests.length;
  const started = performance.now();
  const response = await platform.invoke(route, request, env, { base64: options.base64 ?? false });
  const ms = performance.now() - started;
  const text = await leakWatch.read(response, `answer on ${platform.name}`);
  const forwarded = dataFast.requests.slice(forwardedBefore);
  const where = `${platform.name} answered ${response.status} to ${Buffer.from(bodyBytes).toString("utf8").slice(0, 120)}`;

  expect(response.status, where).toBeLessThan(500);
  if (options.allowed) expect(options.allowed, where).toContain(response.status);
  if (response.status === 200) {
    expect(forwarded, where).toHaveLength(1);
    // Decoded as the function does (a leading byte-order mark dropped).
    const body = JSON.parse(new TextDecoder().decode(bodyBytes));
    const parsed = route === "payments" ? parsePayment(body) : parseGoal(body);
    const validated = parsed.ok && ("payment" in parsed ? parsed.payment : parsed.goal);
    expect(parsed.ok && JSON.parse(forwarded[0]?.body ?? ""), where).toEqual(validated);
    durations.recorded.push(ms);
  } else {
    expect(forwarded, where).toEqual([]);
    const envelope = JSON.parse(text) as { status: string; error: { code: number } };
    expect(envelope, where).toMatchObject({ status: "error", error: { code: response.status } });
    durations.refused.push(ms);
  }
  return response.status;
}

const dangerousKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];
const fieldNames = ["amount", "currency", "transaction_id", "email", "customer_email", "name", "renewal", "timestamp"];
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("NaN", "Infinity", "-Infinity", "1e309", "-0", "0x1F", "", " ", "\u0000", "\ud800", CUSTOMER_EMAIL),
  fc.constantFrom(1e308, -1, -0, 0, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 64),
  fc.string({ minLength: 250, maxLength: 600 }),
  fc.double(), // NaN and ±Infinity serialise as null
);
const hostileKey = fc.oneof(
  fc.constantFrom(...dangerousKeys, ...fieldNames, "transactionId", "AMOUNT", "amount ", "", CUSTOMER_EMAIL),
  fc.string({ maxLength: 12 }),
);
/** A valid payment, some required fields perhaps dropped, with hostile entries appended (they win on duplicates). */
const nearlyValid = fc
  .tuple(
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 4 }),
  )
  .map(([keep, extra]) => objectText([...validEntries().filter((_, i) => keep[i] !== false), ...extra]));

const goalFieldNames = ["datafast_visitor_id", "visitorId", "name", "description", "metadata"];
const hostileGoalKey = fc.oneof(fc.constantFrom(...dangerousKeys, ...goalFieldNames, "Name", "metadata "), fc.string());
/** A valid goal, some fields perhaps dropped, with hostile entries appended (they win on duplicates). */
const nearlyValidGoal = fc
  .tuple(
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    fc.array(fc.tuple(hostileGoalKey, fc.oneof(hostileValue, fc.dictionary(hostileKey, hostileValue))), {
      maxLength: 4,
    }),
  )
  .map(([keep, extra]) =>
    objectText([
      ...(
        [
          ["datafast_visitor_id", "3f1c2b9e-5d7a-4c1e-9f00-1a2b3c4d5e6f"],
          ["name", `hostile_${++idCount}`],
          ["metadata", { plan: "pro" }],
        ] as const
      ).filter((_, i) => keep[i] !== false),
      ...extra,
    ]),
  );

describe.each(platforms)("hostile input on $name", (platform) => {
  const lambda = platform.name.startsWith("lambda");
  /** A fast-check property over RUNS inputs as one test (seeded: a failure replays). */
  const property = <T>(name: string, arbitrary: fc.Arbitrary<T>, run: (value: T) => Promise<void>) =>
    test(name, () => fc.assert(fc.asyncProperty(arbitrary, run), { numRuns: RUNS, seed: SEED }), soakTimeout);

  property("any JSON value: 400, never forwarded", fc.jsonValue(), async (value) => {
    await trySend(platform, postPayment(JSON.stringify(value)), { allowed: [400] });
  });

  property(
    "a payment with hostile fields: recorded exactly as validated, or 400 and never forwarded",
    nearlyValid,
    async (text) => {
      await trySend(platform, postPayment(text), { allowed: [200, 400] });
    },
  );

  property(
    "a goal with hostile fields: recorded exactly as validated, or 400 and never forwarded",
    nearlyValidGoal,
    async (text) => {
      await trySend(platform, postPayment(text), { allowed: [200, 400], route: "goals" });
    },
  );

  // Lambda gets raw bytes only base64-encoded, as API Gateway delivers binary bodies.
  property("arbitrary bytes: 400, never forwarded", fc.uint8Array({ maxLength: 512 }), async (bytes) => {
    await trySend(platform, postPayment(bytes), { base64: lambda, allowed: [400] });
  });

  property(
    "odd and repeated headers: only one exact bearer token gets through",
    fc.record({
      authorization: fc.array(
        fc.constantFrom(
          `Bearer ${sentinelSecrets.PAYMENTS_AUTH_TOKEN}`,
          `bearer   ${sentinelSecrets.PAYMENTS_AUTH_TOKEN}  `,
          `Bearer ${sentinelSecrets.PAYMENTS_AUTH_TOKEN}x`,
          `Bearer ${sentinelSecrets.PAYMENTS_AUTH_TOKEN.slice(0, -1)}`,
          `Basic ${sentinelSecrets.PAYMENTS_AUTH_TOKEN}`,
          "Bearer",
          "",
        ),
        { maxLength: 3 },
      ),
      contentType: fc.constantFrom(
        "application/json",
        "APPLICATION/JSON; charset=UTF-8",
        "application/vnd.api+json",
        "application/jsonx",
        "text/json",
        "application/json, text/plain",
        `application/json; ${"x".repeat(4000)}`,
        "",
      ),
    }),
    async ({ authorization, contentType }) => {
      const headers = new Headers({ ...(contentType && { "content-type": contentType }) });
      for (const value of authorization) headers.append("authorization", value);
      const request = new Request("https://functions.example/api/payments", {
        method: "POST",
        headers,
        body: objectText(validEntries()),
      });
      const status = await trySend(platform, request, { allowed: [200, 401, 415] });
      const oneGoodToken = authorization.length === 1 && /^bearer +\S+ *$/i.test(authorization[0] ?? "");
      const exact = oneGoodToken && authorization[0]?.trim().split(/ +/)[1] === sentinelSecrets.PAYMENTS_AUTH_TOKEN;
      if (status === 200) expect(exact).toBe(true);
      if (!exact) expect(status).toBe(401);
    },
  );

  test.each(corpus())("$label", async ({ body, base64, allowed }) => {
    await trySend(platform, postPayment(body), { base64: lambda && base64, allowed });
  });
});

/** Inputs chosen by hand: each one has broken a JSON API somewhere. */
function corpus(): { label: string; body: string | Uint8Array; base64: boolean; allowed: number[] }[] {
  const payment = () => objectText(validEntries());
  const padTo = (text: string, bytes: number) => text + " ".repeat(bytes - Buffer.byteLength(text));
  const deep = (depth: number, open: string, close: string, core = "1") =>
    open.repeat(depth) + core + close.repeat(depth);
  const entries: [string, string | Uint8Array, number[], boolean?][] = [
    ["arrays nested 20 000 deep", deep(20_000, "[", "]"), [400]],
    ["objects nested 10 000 deep", deep(10_000, '{"a":', "}"), [400]],
    [
      "a valid payment whose name nests 10 000 deep",
      payment().replace(/}$/, `,"name":${deep(10_000, "[", "]")}}`),
      [400],
    ],
    [
      "__proto__ carrying the required fields",
      objectText([["__proto__", { amount: 1, currency: "USD", transaction_id: "p" }]]),
      [400],
    ],
    [
      "a payment with __proto__ and constructor keys",
      payment().replace(/}$/, ',"__proto__":{"admin":true},"constructor":{"prototype":{}}}'),
      [400],
    ],
    [
      "a 60 KiB transaction_id",
      objectText([
        ["amount", 1],
        ["currency", "USD"],
        ["transaction_id", "x".repeat(60 * 1024)],
      ]),
      [400],
    ],
    ["an amount of 1e309 (Infinity once parsed)", '{"amount":1e309,"currency":"USD","transaction_id":"big"}', [400]],
    ["an amount of -1e309", '{"amount":-1e309,"currency":"USD","transaction_id":"small"}', [400]],
    ["an amount of 1e-400 (zero once parsed)", payment().replace("19.99", "1e-400"), [400]],
    // More digits than a JSON number carries exactly: refused, never forwarded rounded.
    ["a 40-digit amount", payment().replace("19.99", "1".repeat(40)), [400]],
    ...["NaN", "Infinity", "-Infinity", "19.99"].map((amount): [string, string, number[]] => [
      `the amount as the string "${amount}"`,
      payment().replace("19.99", JSON.stringify(amount)),
      [400],
    ]),
    [
      "wrong types everywhere",
      '{"amount":true,"currency":840,"transaction_id":7,"renewal":"true","timestamp":0}',
      [400],
    ],
    ["a duplicated amount, the last one negative", payment().replace(/}$/, ',"amount":-5}'), [400]],
    ["a duplicated amount, the last one valid", `{"amount":-5,${payment().slice(1)}`, [200]],
    ["a byte-order mark before the JSON", `\ufeff${payment()}`, [200, 400]],
    [
      "invalid UTF-8 (0xFF) inside a string",
      Buffer.from([...Buffer.from('{"amount":1,"currency":"USD","transaction_id":"'), 0xff, 0x22, 0x7d]),
      [400],
      true,
    ],
    ["an overlong UTF-8 slash", Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]), [400], true],
    ["a UTF-8-encoded lone surrogate", Buffer.from([0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]), [400], true],
    ["an empty body", "", [400]],
    ...["null", "0", '""', "[]", "{}", "true"].map((text): [string, string, number[]] => [
      `the body ${text}`,
      text,
      [400],
    ]),
    // The payments route keeps 64 KiB; webhooks take 1 MiB (test/webhooks/body-limit.test.ts).
    ["a valid payment padded to exactly the payments size limit", padTo(payment(), PAYMENT_BODY_LIMIT), [200]],
    ["a valid payment padded one byte past the payments size limit", padTo(payment(), PAYMENT_BODY_LIMIT + 1), [413]],
    ["a body far over the payments size limit", "[".repeat(PAYMENT_BODY_LIMIT * 4), [413]],
    ["a body the size of the webhook limit, on the payments route", "[".repeat(WEBHOOK_BODY_LIMIT), [413]],
  ];
  return entries.map(([label, body, allowed, base64 = false]) => ({ label, body, allowed, base64 }));
}

describe("Lambda's isBase64Encoded flag lying about the body", () => {
  const invokeLying = async (kind: "http-v2" | "rest-v1" | "alb", body: string, flag: boolean) => {
    inputsTried += 1;
    const event = await toLambdaEvent(kind, postPayment(body));
    Object.assign(event, { body, isBase64Encoded: flag });
    const forwardedBefore = dataFast.requests.length;
    const response = fromLambdaResult(await lambdaPayments(event, lambdaContext(30_000)));
    await leakWatch.read(response, `lying base64 flag on lambda ${kind}`);
    return { status: response.status, forwarded: dataFast.requests.length - forwardedBefore };
  };

  test.each(["http-v2", "rest-v1", "alb"] as const)("%s: 400 and nothing forwarded either way", async (kind) => {
    const json = objectText(validEntries());
    // Flag set, body plain JSON: decoding it as base64 yields bytes that are not JSON.
    expect(await invokeLying(kind, json, true)).toEqual({ status: 400, forwarded: 0 });
    // Flag unset, body base64: the function sees base64 text, which is not JSON.
    expect(await invokeLying(kind, Buffer.from(json).toString("base64"), false)).toEqual({ status: 400, forwarded: 0 });
    // Flag set, body not base64 at all.
    expect(await invokeLying(kind, "%%%not base64!!!", true)).toEqual({ status: 400, forwarded: 0 });
  });
});

/**
 * DataFast's create-payment rules restated by hand, so the check below does not rely on the very
 * schema it is checking.
 */
function isDataFastPayment(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const payment = value as Record<string, unknown>;
  const text = (field: unknown, max: number) => typeof field === "string" && field.trim() !== "" && field.length <= max;
  const optional = (field: string, valid: (value: unknown) => boolean) => !(field in payment) || valid(payment[field]);
  const known = ["amount", "currency", "transaction_id", "datafast_visitor_id", "email", "name", "customer_id"];
  const flags = ["renewal", "refunded", "is_free_trial"];
  return (
    Object.keys(payment).every((key) => [...known, ...flags, "timestamp"].includes(key)) &&
    typeof payment.amount === "number" &&
    Number.isFinite(payment.amount) &&
    payment.amount >= 0 &&
    typeof payment.currency === "string" &&
    /^[A-Z]{3}$/.test(payment.currency) &&
    text(payment.transaction_id, 255) &&
    optional("datafast_visitor_id", (id) => text(id, 255)) &&
    optional("email", (email) => text(email, 320)) &&
    optional("name", (name) => text(name, 500)) &&
    optional("customer_id", (id) => text(id, 255)) &&
    flags.every((flag) => optional(flag, (set) => typeof set === "boolean")) &&
    optional("timestamp", (time) => typeof time === "string" && !Number.isNaN(Date.parse(time)))
  );
}

/** A goal as DataFast documents it, checked independently of the schema in shared/goal.ts. */
function isDataFastGoal(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const goal = value as Record<string, unknown>;
  const metadata = goal.metadata ?? {};
  const keys = Object.keys(goal);
  return (
    keys.every((key) => ["datafast_visitor_id", "name", "description", "metadata"].includes(key)) &&
    typeof goal.datafast_visitor_id === "string" &&
    goal.datafast_visitor_id.trim() !== "" &&
    typeof goal.name === "string" &&
    /^[a-z0-9_:-]{1,64}$/.test(goal.name) &&
    goal.name !== "identify" &&
    typeof metadata === "object" &&
    metadata !== null &&
    Object.entries(metadata).length <= 10 &&
    Object.entries(metadata).every(
      ([key, text]) => /^[a-z0-9_-]{1,64}$/.test(key) && typeof text === "string" && text.length <= 255,
    )
  );
}

test("DataFast only ever received valid goals", () => {
  const goals = dataFast.requests.filter(({ url }) => url.startsWith("/api/v1/goals"));
  expect(goals.length).toBeGreaterThan(0);
  expect(goals.filter(({ body }) => !isDataFastGoal(JSON.parse(body)))).toEqual([]);
});

test("DataFast only ever received valid payments, each in its validated form", () => {
  const payments = dataFast.requests.filter(({ url }) => url.startsWith("/api/v1/payments"));
  expect(payments.length).toBeGreaterThan(0);
  const invalid = payments.filter(({ body }) => {
    const sent: unknown = JSON.parse(body);
    const parsed = parsePayment(sent);
    return !isDataFastPayment(sent) || !parsed.ok || !isDeepStrictEqual(parsed.payment, sent);
  });
  expect(invalid).toEqual([]);
});

test("no secret or customer email in any answer, header or log line", () => {
  expect(leakWatch.leaks()).toEqual([]);
});
