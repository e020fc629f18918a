import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { type BodyLimits, readBody } from "../shared/body.ts";
import { HttpError } from "../shared/http-error.ts";
import { errorResponse } from "../shared/json-response.ts";

type HttpApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** API Gateway's own cap on a request's payload: it refuses larger ones before any function runs. */
const API_GATEWAY_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Invokes a Lambda handler the way API Gateway's HTTP API (payload 2.0) would for `request`, and
 * turns its result back into a `Response`. For local runs only: AWS builds the real event.
 *
 * Like API Gateway, the whole body is received before the function runs: a body over
 * `maxBodyBytes` (413) or still arriving after `timeoutMs` (408) is answered without invoking it.
 */
export async function invokeLambda(
  handler: HttpApiHandler,
  request: Request,
  { timeoutMs = 30_000, maxBodyBytes = API_GATEWAY_PAYLOAD_BYTES } = {},
): Promise<Response> {
  let event: APIGatewayProxyEventV2;
  try {
    event = await httpApiEvent(request, { maxBytes: maxBodyBytes, deadline: Date.now() + timeoutMs });
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error.status, error.message);
    throw error;
  }
  const result = (await handler(event, lambdaContext(timeoutMs))) as APIGatewayProxyStructuredResultV2;
  return new Response(result.body ?? null, {
    status: result.statusCode ?? 200,
    headers: result.headers as Record<string, string>,
  });
}

/**
 * The HTTP API (payload 2.0) event API Gateway would deliver for `request`, its body read within
 * `limits` (never more than `maxBytes` held).
 */
export async function httpApiEvent(
  request: Request,
  limits: BodyLimits = { maxBytes: API_GATEWAY_PAYLOAD_BYTES, deadline: Date.now() + 30_000 },
): Promise<APIGatewayProxyEventV2> {
  const url = new URL(request.url);
  const body = Buffer.from(await readBody(request, limits));
  const now = Date.now();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: Object.fromEntries(request.headers),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: url.host,
      domainPrefix: "local",
      http: {
        method: request.method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: request.headers.get("user-agent") ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    ...(body.byteLength > 0 && { body: body.toString("base64") }),
    isBase64Encoded: body.byteLength > 0,
  };
}

/** A Lambda context whose invocation times out `remainingMs` from now. */
export function lambdaContext(remainingMs: number): Context {
  const deadline = Date.now() + remainingMs;
  const name = "datafast-payments-local";
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
