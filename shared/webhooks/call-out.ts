import { HttpError } from "../http-error.ts";
import { tryParseJson } from "../try-parse-json.ts";
import type { ProviderContext } from "./verification.ts";

/** What a provider's API answered: the status and the body, read within the time allowed. */
export interface CallOutAnswer {
  status: number;
  body: string;
}

/**
 * One request to a provider's own API (Mollie's payment, PayPal's certificate) inside the request's
 * deadline: it gets at most half of the time left, so DataFast keeps the other half. Not reaching
 * the provider in time is a 503 (the provider retries the delivery later). `secrets` are masked out
 * of the answer's body, which may end up in an error message.
 */
export async function callOut(
  context: ProviderContext,
  what: string,
  url: string,
  init: { headers?: Record<string, string>; secrets?: readonly string[] } = {},
): Promise<CallOutAnswer> {
  const remaining = context.deadline - Date.now();
  if (remaining <= 0) throw unavailable(`${what} was not asked: no time left`);
  try {
    // Called detached: a Worker's fetch throws "Illegal invocation" when called as a method of
    // another object (`context.fetch(…)`).
    const send = context.fetch;
    const response = await send(url, {
      headers: init.headers ?? {},
      // A redirect could carry the credentials to another host.
      redirect: "manual",
      signal: AbortSignal.timeout(Math.ceil(remaining / 2)),
    });
    let body = await response.text();
    for (const secret of init.secrets ?? []) body = body.replaceAll(secret, "[secret]");
    return { status: response.status, body };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    // Only the error's code (ECONNREFUSED…) is shown: a message could quote the URL or a header.
    const code =
      error instanceof Error && error.cause instanceof Error && "code" in error.cause ? error.cause.code : "";
    throw unavailable(
      timedOut ? `${what} did not answer in time` : `${what} could not be reached ${String(code)}`.trim(),
    );
  }
}

/** The provider's API failed or is down: the delivery is answered 5xx so the provider retries. */
export function unavailable(message: string): HttpError {
  return new HttpError(503, `${message}; try again`, { headers: { "retry-after": "5" } });
}

/** A provider API's JSON answer; anything else from it is an outage of that API, retried later. */
export function apiJson(answer: CallOutAnswer, what: string): unknown {
  const value = tryParseJson(answer.body);
  if (value === undefined) throw unavailable(`${what} answered ${answer.status} with a body that is not JSON`);
  return value;
}
