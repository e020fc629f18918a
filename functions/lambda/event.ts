import { STATUS_CODES } from "node:http";
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { HttpError } from "../../shared/http-error.ts";

/** The HTTP events a Lambda function receives: API Gateway REST (v1), HTTP API / Function URL (v2), ALB. */
export type LambdaHttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2 | ALBEvent;
export type LambdaHttpResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2 | ALBResult;

const isV2 = (event: LambdaHttpEvent): event is APIGatewayProxyEventV2 => "version" in event && event.version === "2.0";
// `?? {}`: an event that is not an HTTP event at all must still be answered.
const isAlb = (event: LambdaHttpEvent): event is ALBEvent => "elb" in (event.requestContext ?? {});

// Fetch forbids these methods, so no Request can carry them; no route here serves them either.
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * Turns any of the HTTP event kinds into a Web `Request` (headers case-insensitive via `Headers`).
 * Throws a 405 `HttpError` for a method no `Request` can carry.
 */
export function toRequest(event: LambdaHttpEvent): Request {
  const headers = new Headers();
  // ALB with multi-value headers on sends ONLY multiValueHeaders; REST v1 sends both (same values).
  if ("multiValueHeaders" in event && event.multiValueHeaders) {
    for (const [name, values] of Object.entries(event.multiValueHeaders)) {
      for (const value of values ?? []) addHeader(headers, name, value);
    }
  } else {
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      if (value !== undefined) addHeader(headers, name, value);
    }
  }
  if (isV2(event) && event.cookies?.length) addHeader(headers, "cookie", event.cookies.join("; "));

  const method = isV2(event) ? event.requestContext.http.method : event.httpMethod;
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) {
    throw new HttpError(405, `Method ${method.toUpperCase()} not allowed`, { headers: { allow: "POST" } });
  }
  // The core routes on the path only; a host that is missing or malformed must not fail the request.
  const host = headers.get("host") ?? ("domainName" in event.requestContext ? event.requestContext.domainName : "");
  const path = pathAndQuery(event);
  const url = URL.canParse(`https://${host}${path}`)
    ? new URL(`https://${host}${path}`)
    : new URL(path, "https://lambda.invalid");
  const body =
    event.body && method !== "GET" && method !== "HEAD"
      ? Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8")
      : undefined;
  return new Request(url, { method, headers, ...(body && { body }) });
}

/**
 * Adds a header as a Node HTTP server would have read it. API Gateway and ALB decode the client's
 * bytes as UTF-8, but a `Headers` holds only characters up to U+00FF, so a non-ASCII value (a city
 * name, an emoji in a User-Agent) goes back to its UTF-8 bytes, one latin1 character each: the
 * same string Vercel, Netlify and `npm start` hand the core. A header no HTTP request can carry
 * (a control character, a malformed name) is dropped rather than failing the request; signatures
 * and tokens are ASCII, so a mangled one is simply missing and answered 401.
 */
function addHeader(headers: Headers, name: string, value: string): void {
  const byteString = /[\u0080-\uffff]/.test(value) ? Buffer.from(value, "utf8").toString("latin1") : value;
  try {
    headers.append(name, byteString);
  } catch {
    // Dropped on purpose (see above); the error would echo the value, which may be a secret.
  }
}

function pathAndQuery(event: LambdaHttpEvent): string {
  if (isV2(event)) return event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
  const params = event.multiValueQueryStringParameters ?? event.queryStringParameters ?? {};
  // API Gateway hands over decoded query values; ALB passes them on still percent-encoded.
  const encode = isAlb(event) ? (text: string) => text : encodeURIComponent;
  const query = Object.entries(params)
    .flatMap(([name, values]) => [values ?? []].flat().map((value) => `${encode(name)}=${encode(value)}`))
    .join("&");
  return query ? `${event.path}?${query}` : event.path;
}

/** Turns a Web `Response` into the result shape the event's kind expects. */
export async function toResult(event: LambdaHttpEvent, response: Response): Promise<LambdaHttpResult> {
  const body = await response.text();
  const headers = Object.fromEntries(response.headers);
  const base = { statusCode: response.status, body, isBase64Encoded: false };
  if (!isAlb(event)) return { ...base, headers };
  const statusDescription = `${response.status} ${STATUS_CODES[response.status] ?? ""}`;
  // An ALB target group with multi-value headers on only reads multiValueHeaders.
  if (event.multiValueHeaders) {
    const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
    return { ...base, statusDescription, multiValueHeaders };
  }
  return { ...base, statusDescription, headers };
}
