import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { type DataFastStandIn, startDataFastStandIn } from "../../dev/datafast-standin.ts";

export const API_KEY = "df_test_key_7f3c9a1e5b";
export const AUTH_TOKEN = "tok_test_2b8d4f6a0c";

// The keys the stand-in accepts, as DataFast would after a key rotation; reset before each test.
let acceptedKeys = [API_KEY];

/** Makes the stand-in accept only these keys (until the next test). */
export function acceptOnlyKeys(...keys: string[]): void {
  acceptedKeys = keys;
}

/** A DataFast stand-in for this test file, reset before each test. */
export function useDataFast(options: { unknownVisitor?: (id: string) => boolean } = {}): () => DataFastStandIn {
  let standIn: DataFastStandIn | undefined;
  beforeAll(async () => {
    standIn = await startDataFastStandIn({ acceptKey: (key) => acceptedKeys.includes(key), ...options });
  });
  beforeEach(() => {
    acceptedKeys = [API_KEY];
    if (!standIn) return;
    standIn.requests.length = 0;
    standIn.payments.clear();
    standIn.duplicates.length = 0;
    standIn.goals.length = 0;
    standIn.fault = undefined;
  });
  afterAll(() => standIn?.close());
  return () => {
    if (!standIn) throw new Error("DataFast stand-in not started");
    return standIn;
  };
}

/** The settings of a correctly configured deployment pointing at `standIn`. */
export function configuredEnv(standIn: DataFastStandIn, extra: Record<string, string> = {}): Record<string, string> {
  return { DATAFAST_API_KEY: API_KEY, PAYMENTS_AUTH_TOKEN: AUTH_TOKEN, DATAFAST_API_URL: standIn.url, ...extra };
}

export const payment = {
  amount: 29.99,
  currency: "usd",
  transaction_id: "pay_001",
  datafast_visitor_id: "3f1c2b9e-5d7a-4c1e-9f00-1a2b3c4d5e6f",
};

export const goal = {
  datafast_visitor_id: "3f1c2b9e-5d7a-4c1e-9f00-1a2b3c4d5e6f",
  name: "signup",
  metadata: { plan: "pro" },
};

/** A POST to /api/goals with the bearer token and a JSON body. */
export function goalRequest(body: unknown = goal, init: { headers?: Record<string, string>; method?: string } = {}) {
  return paymentRequest(body, { ...init, path: "/api/goals" });
}

/** A POST to /api/payments with the bearer token and a JSON body. */
export function paymentRequest(
  body: unknown = payment,
  init: { headers?: Record<string, string>; method?: string; path?: string } = {},
): Request {
  const method = init.method ?? "POST";
  const headers = new Headers({ authorization: `Bearer ${AUTH_TOKEN}`, "content-type": "application/json" });
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (value === "") headers.delete(name);
    else headers.set(name, value);
  }
  return new Request(`https://functions.example${init.path ?? "/api/payments"}`, {
    method,
    headers,
    ...(method !== "GET" && method !== "HEAD" && { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

/** The JSON error envelope of `response`, checked to be DataFast's shape with the right code. */
export async function errorOf(response: Response) {
  const body = (await response.json()) as {
    status: string;
    error: { code: number; message: string };
    issues?: unknown;
  };
  expect(body.status).toBe("error");
  expect(body.error.code).toBe(response.status);
  return body;
}
