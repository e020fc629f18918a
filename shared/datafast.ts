import { isRecord } from "./is-record.ts";
import type { Payment } from "./payment.ts";

/** What became of one payment sent to DataFast, after all the attempts its time budget allowed. */
export type SendOutcome =
  | { kind: "recorded"; status: number; body: string; attempts: number }
  /** DataFast refused the payment itself (4xx): resending it unchanged cannot help. */
  | { kind: "rejected"; status: number; message: string; attempts: number }
  /** DataFast refused the key (401/403). */
  | { kind: "unauthorized"; status: number; message: string; attempts: number }
  /** DATAFAST_API_URL is not DataFast's payments endpoint: it redirects (3xx) or refuses POST (405). */
  | { kind: "misdirected"; status: number; message: string; attempts: number }
  /** Not recorded for now: unreachable, 5xx, 429 or out of time. The sender should retry later. */
  | { kind: "unavailable"; status?: number; message: string; attempts: number; retryAfterSeconds?: number };

export interface SendOptions {
  apiUrl: string;
  apiKey: string;
  websiteId?: string | undefined;
  /** Epoch ms by which the last attempt must have ended. */
  deadline: number;
  fetch?: typeof fetch;
}

const MAX_ATTEMPTS = 4;
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 2000;
// One hung attempt must not eat the whole budget: it gets at most half (but at least this much).
const MIN_ATTEMPT_MS = 2000;
const MIN_RETRY_WINDOW_MS = 250;

/**
 * Sends one payment to DataFast's `POST /payments`. DataFast deduplicates by `transaction_id`, so
 * network errors, timeouts, 408, 429 and 5xx are retried with jittered backoff (honouring
 * `Retry-After`) for as long as the deadline allows.
 */
export async function sendPayment(payment: Payment, options: SendOptions): Promise<SendOutcome> {
  const url = paymentsUrl(options.apiUrl, options.websiteId);
  const doFetch = options.fetch ?? fetch;
  let last: Extract<SendOutcome, { kind: "unavailable" }> = {
    kind: "unavailable",
    message: "DataFast was not reached in time",
    attempts: 0,
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) break;
    const outcome = await attemptSend(doFetch, url, payment, options.apiKey, attemptTimeout(remaining), attempt);
    if (outcome.kind !== "unavailable") return outcome;
    last = outcome;
    const wait = outcome.retryAfterSeconds !== undefined ? outcome.retryAfterSeconds * 1000 : backoff(attempt);
    // A retry squeezed into the budget's last moments would only time out and hide this answer.
    if (attempt === MAX_ATTEMPTS || Date.now() + wait + MIN_RETRY_WINDOW_MS >= options.deadline) break;
    await sleep(wait);
  }
  return last;
}

async function attemptSend(
  doFetch: typeof fetch,
  url: string,
  payment: Payment,
  apiKey: string,
  timeoutMs: number,
  attempts: number,
): Promise<SendOutcome> {
  // DataFast's words reach our answers and logs, so a key it (or an error) quotes back is masked.
  const masked = (text: string) => text.replaceAll(apiKey, "[DATAFAST_API_KEY]");
  try {
    const response = await doFetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(payment),
      signal: AbortSignal.timeout(timeoutMs),
      // A redirect would turn the POST into a GET whose 200 records nothing.
      redirect: "manual",
    });
    // Read the body under the same timeout: a reply that stalls mid-body is a failed attempt.
    const body = masked(await response.text());
    const { status } = response;
    if (status >= 200 && status < 300) return { kind: "recorded", status, body, attempts };
    // A conflict on transaction_id means DataFast already holds this payment (an earlier attempt
    // was recorded but its answer lost): the payment is recorded, and saying otherwise would have
    // the sender retry it forever.
    if (status === 409) return { kind: "recorded", status: 200, body: "", attempts };
    const message = `DataFast answered ${status}: ${errorMessage(body)}`;
    if (status === 401 || status === 403) return { kind: "unauthorized", status, message, attempts };
    if ((status >= 300 && status < 400) || status === 405) return { kind: "misdirected", status, message, attempts };
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterSeconds = retryAfter(response.headers);
      return {
        kind: "unavailable",
        status,
        message,
        attempts,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
      };
    }
    return { kind: "rejected", status, message, attempts };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    const message = timedOut
      ? `DataFast did not answer within ${timeoutMs} ms`
      : `DataFast could not be reached (${masked(causeOf(error))})`;
    return { kind: "unavailable", message, attempts };
  }
}

function paymentsUrl(apiUrl: string, websiteId: string | undefined): string {
  const url = new URL(`${apiUrl.replace(/\/+$/, "")}/payments`);
  if (websiteId) url.searchParams.set("websiteId", websiteId);
  return url.href;
}

function attemptTimeout(remaining: number): number {
  return Math.ceil(Math.min(remaining, Math.max(remaining / 2, MIN_ATTEMPT_MS)));
}

/** Full-jitter exponential backoff (spreads the retries of many concurrent invocations). */
function backoff(attempt: number): number {
  return Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
}

/** `Retry-After` (seconds or an HTTP date), else `X-RateLimit-Reset`, in seconds from now. */
export function retryAfter(headers: Headers): number | undefined {
  const header = headers.get("retry-after");
  if (header !== null) {
    const seconds = Number(header);
    if (header.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds);
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, (date - Date.now()) / 1000);
  }
  // Seen as epoch ms, epoch seconds and a duration in ms: tell them apart by size.
  const reset = Number(headers.get("x-ratelimit-reset") ?? Number.NaN);
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  if (reset < 1e9) return reset / 1000;
  const resetMs = reset > 1e12 ? reset : reset * 1000;
  return Math.max(0, (resetMs - Date.now()) / 1000);
}

/** DataFast's `{"error":{"message"}}` envelope, or a bounded excerpt of whatever came back. */
function errorMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed)) {
      const nested = isRecord(parsed.error) ? parsed.error.message : parsed.error;
      const message = nested ?? parsed.message;
      if (typeof message === "string" && message) return message.slice(0, 500);
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 200) || "(empty body)";
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  return (cause && "code" in cause && String(cause.code)) || cause?.message || error.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
