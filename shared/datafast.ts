import {
  type Confirmation,
  errorMessage,
  type ReplyText,
  readConfirmation,
  readGoalConfirmation,
  readReply,
} from "./datafast-reply.ts";
import type { Goal } from "./goal.ts";
import { secretMasker } from "./mask-secret.ts";
import type { Payment } from "./payment.ts";

/** What became of one payment (or goal) sent to DataFast, after all the attempts its time budget allowed. */
export type SendOutcome =
  /** DataFast's success answer for this payment (its JSON object). */
  | { kind: "recorded"; status: number; answer: Record<string, unknown>; attempts: number }
  /**
   * DataFast says it already held this transaction_id (409, or a 2xx saying so): the payment is
   * there, but this send changed nothing. `answer` is DataFast's 2xx object, if that is how it said it.
   */
  | { kind: "duplicate"; status: number; answer?: Record<string, unknown>; attempts: number }
  /** DataFast refused the payment itself (4xx): resending it unchanged cannot help. */
  | { kind: "rejected"; status: number; message: string; attempts: number }
  /** DataFast refused the key (401/403). */
  | { kind: "unauthorized"; status: number; message: string; attempts: number }
  /** DATAFAST_API_URL is not DataFast's payments endpoint: it redirects (3xx) or refuses POST (405). */
  | { kind: "misdirected"; status?: number; message: string; attempts: number }
  /**
   * Not recorded for now: unreachable, 5xx, 429, a 2xx that is not DataFast's success answer, or out
   * of time. The sender should retry later.
   */
  | { kind: "unavailable"; status?: number; message: string; attempts: number; retryAfterSeconds?: number };

export interface SendOptions {
  apiUrl: string;
  apiKey: string;
  websiteId?: string | undefined;
  /** Epoch ms by which the last attempt must have ended. */
  deadline: number;
  fetch?: typeof fetch;
  /** Waits between attempts (a test passes one that records the waits instead of taking them). */
  sleep?: (ms: number) => Promise<void>;
}

const MAX_ATTEMPTS = 4;
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 2000;
// One hung attempt must not eat the whole budget: it gets at most half (but at least this much).
const MIN_ATTEMPT_MS = 2000;
const MIN_RETRY_WINDOW_MS = 250;

/** One thing to send to DataFast: which endpoint, the body, and how to tell its success answer. */
interface DataFastCall {
  /** The endpoint under DATAFAST_API_URL. */
  endpoint: "payments" | "goals";
  /** What is sent, in words for messages. */
  noun: string;
  body: unknown;
  confirm(reply: ReplyText): Confirmation;
}

/**
 * Sends one payment to DataFast's `POST /payments`. DataFast deduplicates by `transaction_id`, so
 * network errors, timeouts, 408, 429, 5xx and a 2xx that is not DataFast's success answer are
 * retried with jittered backoff (honouring `Retry-After`) for as long as the deadline allows.
 */
export function sendPayment(payment: Payment, options: SendOptions): Promise<SendOutcome> {
  const confirm = (reply: ReplyText) => readConfirmation(reply, payment.transaction_id);
  return send({ endpoint: "payments", noun: "payment", body: payment, confirm }, options);
}

/**
 * Sends one goal to DataFast's `POST /goals`, retried as a payment is. Whether DataFast
 * deduplicates goals is not documented: a retry after an attempt whose answer was lost (a timeout,
 * a reset, a garbled 2xx) may record the goal twice. The alternative, giving up on the first
 * unclear answer, would lose goals on every blip; the caller decides which goals to risk.
 */
export function sendGoal(goal: Goal, options: SendOptions): Promise<SendOutcome> {
  return send({ endpoint: "goals", noun: "goal", body: goal, confirm: readGoalConfirmation }, options);
}

async function send(call: DataFastCall, options: SendOptions): Promise<SendOutcome> {
  const url = endpointUrl(options.apiUrl, call.endpoint, options.websiteId);
  const doFetch = options.fetch ?? fetch;
  let last: Extract<SendOutcome, { kind: "unavailable" }> = {
    kind: "unavailable",
    message: "DataFast was not reached in time",
    attempts: 0,
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) break;
    const outcome = await attemptSend(doFetch, url, call, options.apiKey, attemptTimeout(remaining), attempt);
    if (outcome.kind !== "unavailable") return outcome;
    last = outcome;
    const wait = waitBeforeRetry(outcome, attempt);
    // A retry squeezed into the budget's last moments would only time out and hide this answer;
    // a wait past the deadline is not taken at all (a 429's answer then carries it as Retry-After).
    if (attempt === MAX_ATTEMPTS || Date.now() + wait + MIN_RETRY_WINDOW_MS >= options.deadline) break;
    await (options.sleep ?? sleep)(wait);
  }
  return last;
}

async function attemptSend(
  doFetch: typeof fetch,
  url: string,
  call: DataFastCall,
  apiKey: string,
  timeoutMs: number,
  attempts: number,
): Promise<SendOutcome> {
  // DataFast's words reach our answers and logs, so a key it (or an error) quotes back is masked,
  // in the raw reply and again in the message decoded from it.
  const masked = secretMasker(apiKey, "[DATAFAST_API_KEY]");
  const timeout = timeoutSignal(timeoutMs);
  try {
    const response = await doFetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(call.body),
      signal: timeout.signal,
      // A redirect would turn the POST into a GET whose 200 records nothing: it is never followed.
      redirect: unfollowedRedirects(),
    });
    // Read the body under the same timeout: a reply that stalls mid-body is a failed attempt.
    const reply = await readReply(response);
    const text = masked(reply.text);
    const { status } = response;
    if (status >= 200 && status < 300) {
      const confirmation = call.confirm({ ...reply, text });
      if (confirmation.confirmed) {
        const { duplicate, answer } = confirmation;
        return { kind: duplicate ? "duplicate" : "recorded", status, answer, attempts };
      }
      // Not confirmed is not recorded: resend (DataFast deduplicates) until it confirms or time runs out.
      const message = `DataFast answered ${status} without confirming the ${call.noun} (${masked(confirmation.reason)})`;
      return { kind: "unavailable", status, message, attempts };
    }
    // A conflict on transaction_id means DataFast already holds this payment (this send changed
    // nothing): an earlier attempt or delivery was recorded, or another payment used the id. Goals
    // have no id and DataFast documents no 409 for them: one is a refusal, never a confirmation.
    if (status === 409 && call.endpoint === "payments") return { kind: "duplicate", status, attempts };
    const message = `DataFast answered ${status}: ${masked(errorMessage(text))}`;
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
    if (isRedirectError(error)) {
      return { kind: "misdirected", message: "DataFast answered with a redirect", attempts };
    }
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    const message = timedOut
      ? `DataFast did not answer within ${timeoutMs} ms`
      : `DataFast could not be reached (${masked(causeOf(error))})`;
    return { kind: "unavailable", message, attempts };
  } finally {
    timeout.clear();
  }
}

/**
 * A signal that aborts with a `TimeoutError` after `ms`, as `AbortSignal.timeout` does, and a way
 * to stop its timer once the reply is read. `AbortSignal.timeout` costs about three times as much
 * per attempt (its signal is made transferable and its timer tracked by a weak reference), which
 * showed in the warm path's profile (issue 16).
 */
function timeoutSignal(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
    ms,
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

let redirectMode: "error" | "manual" | undefined;

/**
 * `"error"` where the runtime has it, else `"manual"` (workerd refuses `"error"`). Both leave a
 * redirect unfollowed; `"manual"` also makes fetch copy the request and tee its body for a
 * redirect it will never follow, ~0.1x a bare fetch's time per warm request on Node (issue 16).
 */
function unfollowedRedirects(): "error" | "manual" {
  if (redirectMode === undefined) {
    try {
      new Request("http://localhost/", { redirect: "error" });
      redirectMode = "error";
    } catch {
      redirectMode = "manual";
    }
  }
  return redirectMode;
}

/**
 * A redirect refused by `redirect: "error"`, in each runtime's own words: Node's cause says
 * "unexpected redirect", Deno's message "Fetch failed: Encountered redirect…", Bun's code is
 * UnexpectedRedirect. Matched exactly, as other fetch errors quote the URL, which may hold the word.
 */
function isRedirectError(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return (
    cause === "unexpected redirect" ||
    error.message.startsWith("Fetch failed: Encountered redirect") ||
    ("code" in error && error.code === "UnexpectedRedirect")
  );
}

function endpointUrl(apiUrl: string, endpoint: DataFastCall["endpoint"], websiteId: string | undefined): string {
  const url = new URL(`${apiUrl.replace(/\/+$/, "")}/${endpoint}`);
  if (websiteId) url.searchParams.set("websiteId", websiteId);
  return url.href;
}

function attemptTimeout(remaining: number): number {
  return Math.ceil(Math.min(remaining, Math.max(remaining / 2, MIN_ATTEMPT_MS)));
}

/**
 * Milliseconds to wait after a failed attempt: full-jitter exponential backoff (spreads the retries
 * of many concurrent invocations), or as long as DataFast asked, but never less than the backoff's
 * ceiling: a hint of 0, or a reset already past, must not turn the retries into a burst.
 */
function waitBeforeRetry(outcome: { retryAfterSeconds?: number }, attempt: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  if (outcome.retryAfterSeconds === undefined) return Math.random() * ceiling;
  return Math.max(outcome.retryAfterSeconds * 1000, ceiling);
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
  // DataFast sends an epoch time in ms: "live `reset` values are Unix timestamps in milliseconds"
  // (github.com/sunergos-ro/datafast-to-rybbit, README and src/datafast/rate-limiter.js, a client
  // of the live API); its docs' example has epoch seconds. A number too small to be either is a
  // delay, in seconds as most APIs (and the IETF RateLimit draft) mean it: read as ms, `60` made
  // all four attempts within 60 ms.
  const reset = Number(headers.get("x-ratelimit-reset") ?? Number.NaN);
  if (!Number.isFinite(reset) || reset < 0) return undefined;
  if (reset < 1e9) return reset;
  const resetMs = reset >= 1e12 ? reset : reset * 1000;
  return Math.max(0, (resetMs - Date.now()) / 1000);
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  return (cause && "code" in cause && String(cause.code)) || cause?.message || error.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
