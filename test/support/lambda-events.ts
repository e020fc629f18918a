import { readFileSync } from "node:fs";
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";
import type { LambdaHttpEvent, LambdaHttpResult } from "../../functions/lambda/event.ts";

/** The HTTP event kinds a Lambda function is invoked with, each from a real-shaped AWS sample. */
export const eventKinds = ["rest-v1", "http-v2", "function-url", "alb", "alb-multi-value"] as const;
export type EventKind = (typeof eventKinds)[number];

const fixtureFile: Record<EventKind, string> = {
  "rest-v1": "apigw-rest-v1.json",
  "http-v2": "apigw-http-v2.json",
  "function-url": "function-url.json",
  alb: "alb.json",
  "alb-multi-value": "alb-multi-value-headers.json",
};

const fixtures = Object.fromEntries(
  Object.entries(fixtureFile).map(([kind, file]) => [
    kind,
    JSON.parse(readFileSync(new URL(`../fixtures/aws-events/${file}`, import.meta.url), "utf8")),
  ]),
) as Record<EventKind, LambdaHttpEvent>;

/** `Content-Type` style, as API Gateway REST passes the client's own header case through. */
const titleCase = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

/**
 * Builds the event AWS would deliver for `request`, starting from a fresh copy of the sample
 * (its unrelated headers, request context and so on stay as AWS sends them).
 */
export async function toLambdaEvent(kind: EventKind, request: Request, base64 = false): Promise<LambdaHttpEvent> {
  const event = structuredClone(fixtures[kind]) as Record<string, unknown> & LambdaHttpEvent;
  const url = new URL(request.url);
  const bytes = Buffer.from(await request.arrayBuffer());
  const body = bytes.byteLength === 0 ? null : bytes.toString(base64 ? "base64" : "utf8");
  const headers = [...request.headers].map(([name, value]) => [kind === "rest-v1" ? titleCase(name) : name, value]);
  const query = [...url.searchParams];

  if (kind === "http-v2" || kind === "function-url") {
    const v2 = event as APIGatewayProxyEventV2;
    v2.rawPath = url.pathname;
    v2.rawQueryString = url.search.slice(1);
    v2.headers = Object.fromEntries(headers);
    v2.requestContext.http = { ...v2.requestContext.http, method: request.method, path: url.pathname };
    if (body === null) delete v2.body;
    else v2.body = body;
    v2.isBase64Encoded = base64;
    return v2;
  }
  const v1 = event as APIGatewayProxyEvent | ALBEvent;
  v1.httpMethod = request.method;
  v1.path = url.pathname;
  v1.body = body;
  v1.isBase64Encoded = base64;
  // ALB passes query values percent-encoded, API Gateway decoded.
  const encode = kind.startsWith("alb") ? encodeURIComponent : (text: string) => text;
  if (kind === "alb-multi-value") {
    const alb = v1 as ALBEvent;
    alb.multiValueHeaders = group(headers);
    alb.multiValueQueryStringParameters = group(query.map(([name, value]) => [encode(name), encode(value)]));
    return alb;
  }
  v1.headers = Object.fromEntries(headers);
  v1.queryStringParameters = query.length
    ? Object.fromEntries(query.map(([name, value]) => [encode(name), encode(value)]))
    : null;
  if (kind === "rest-v1") {
    const rest = v1 as APIGatewayProxyEvent;
    rest.multiValueHeaders = group(headers);
    rest.multiValueQueryStringParameters = query.length ? group(query) : null;
    rest.requestContext = { ...rest.requestContext, httpMethod: request.method, path: `/prod${url.pathname}` };
  }
  return v1;
}

function group(pairs: string[][]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    grouped[name as string] = [...(grouped[name as string] ?? []), value as string];
  }
  return grouped;
}

/** A Web `Response` from whatever result shape the handler returned. */
export function fromLambdaResult(result: LambdaHttpResult): Response {
  if (typeof result === "string") return new Response(result);
  const headers = new Headers();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, String(value));
  if ("multiValueHeaders" in result) {
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
      for (const value of values) headers.append(name, String(value));
    }
  }
  return new Response(result.body ?? null, { status: result.statusCode ?? 200, headers });
}
