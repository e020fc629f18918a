import { pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { httpApiEvent, lambdaContext } from "../dev/lambda-invoke.ts";

/** How a platform calls a function: Lambda `handler(event, context)`, Vercel `{ fetch }`, Netlify `(request)`. */
export type CallShape = "lambda" | "vercel" | "netlify";

export interface Reply {
  status: number;
  body: string;
}

/**
 * One call, ready to go: what the platform does before calling the function (building the Request
 * or the Lambda event) is already done, so timing the call times the function alone.
 */
export type PreparedCall = () => Promise<Reply>;

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type WebHandler = (request: Request) => Promise<Response>;

/** The payment every figure sends: DataFast's docs example. */
const PAYMENT = {
  amount: 29.99,
  currency: "USD",
  transaction_id: "payment_456",
  datafast_visitor_id: "5f2c1a9e-1b7d-4c2a-9a56-0e6f1c8d3b21",
};

/** Imports a function bundle and returns how to prepare calls to it in its platform's shape. */
export async function loadFunction(
  bundle: string,
  shape: CallShape,
): Promise<(request: Request) => Promise<PreparedCall>> {
  const module = await import(pathToFileURL(bundle).href);
  if (shape === "lambda") {
    const handler = module.handler as LambdaHandler;
    return async (request) => {
      const event = await httpApiEvent(request);
      const context = lambdaContext(30_000);
      return async () => {
        const result = await handler(event, context);
        return { status: result.statusCode ?? 200, body: result.body ?? "" };
      };
    };
  }
  const handler = (shape === "vercel" ? module.default.fetch : module.default) as WebHandler;
  return async (request) => async () => {
    const response = await handler(request);
    return { status: response.status, body: await response.text() };
  };
}

/** `POST /api/payments` as the merchant's backend sends it (to `origin` when over HTTP). */
export function paymentRequest(authToken: string, origin = "https://functions.example"): Request {
  return new Request(`${origin}/api/payments`, {
    method: "POST",
    headers: { authorization: `Bearer ${authToken}`, "content-type": "application/json" },
    body: JSON.stringify(PAYMENT),
  });
}

/** A request the parent prepared (BENCH_REQUEST: url, headers, body), such as a signed webhook; else the payment. */
export function requestToSend(authToken: string): Request {
  const prepared = process.env.BENCH_REQUEST;
  if (!prepared) return paymentRequest(authToken);
  const { url, headers, body } = JSON.parse(prepared) as { url: string; headers: Record<string, string>; body: string };
  return new Request(url, { method: "POST", headers, body });
}

/** The baseline: the same JSON sent straight to DataFast with a bare `fetch`, nothing around it. */
export async function bareFetch(apiUrl: string, apiKey: string): Promise<Reply> {
  const response = await fetch(`${apiUrl}/payments`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(PAYMENT),
  });
  return { status: response.status, body: await response.text() };
}

/** The settings the parent hands every child process, read once. */
export function benchEnv() {
  const read = (name: string) => {
    const value = process.env[name];
    if (value === undefined) throw new Error(`${name} is not set (run through npm run bench)`);
    return value;
  };
  return {
    apiUrl: read("DATAFAST_API_URL"),
    apiKey: read("DATAFAST_API_KEY"),
    authToken: read("PAYMENTS_AUTH_TOKEN"),
    /** Bundle to load; empty for the baseline process. */
    bundle: process.env.BENCH_BUNDLE ?? "",
    shape: (process.env.BENCH_SHAPE ?? "vercel") as CallShape,
  };
}
