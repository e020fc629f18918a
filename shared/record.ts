import { type SendOptions, type SendOutcome, sendPayment } from "./datafast.ts";
import { HttpError, settingError } from "./http-error.ts";
import { jsonResponse } from "./json-response.ts";
import type { Payment } from "./payment.ts";
import type { RequestContext } from "./serve.ts";
import { beforeDeadline, readDataFastSettings, requireSecret, type Secrets } from "./settings.ts";

/**
 * Records a valid payment in DataFast and answers for it: 2xx only when DataFast confirmed it with
 * its success answer, or said it already held the transaction_id (then marked
 * `X-DataFast-Duplicate: true`, logged as outcome "duplicate").
 *
 * Two recoveries on top of the sender's retries:
 * - DataFast rejects the key (401/403): the secrets are read once more past any cache and, if the
 *   key has been rotated, the payment is sent once more with the new one.
 * - DataFast refuses (4xx) a payment that carries a visitor id: it is sent once more without the
 *   id, so the revenue is recorded unattributed rather than lost. The usual cause is "First event
 *   not found for visitor…" (an ad blocker hid that visitor); the wording is DataFast's to change,
 *   so any refusal qualifies: a refusal for another reason is refused again and answered 422.
 *   Same transaction_id, never counted twice.
 */
export async function recordPayment(payment: Payment, secrets: Secrets, context: RequestContext): Promise<Response> {
  const { log } = context;
  log.transaction_id = payment.transaction_id;
  const sender = dataFastSender(secrets, context);
  let outcome = await sender.send(sendPayment, payment);
  if (outcome.kind === "rejected" && payment.datafast_visitor_id !== undefined) {
    const { datafast_visitor_id: _dropped, ...unattributed } = payment;
    const retry = await sender.send(sendPayment, unattributed);
    if (retry.kind === "recorded") log.attribution = "dropped";
    // A second rejection keeps the first (more telling) reason; any other outcome stands.
    if (retry.kind !== "rejected") outcome = retry;
  }
  log.outcome = outcome.kind;
  const headers = log.attribution === "dropped" ? { "x-datafast-attribution": "dropped" } : undefined;
  return answer(outcome, sender.attempts(), {
    headers,
    duplicate: { message: "DataFast already holds this transaction_id", transaction_id: payment.transaction_id },
  });
}

/** Sends one thing to DataFast with the request's settings, deadline and key. */
type SendOne<T> = (body: T, options: SendOptions) => Promise<SendOutcome>;

/**
 * What a request sends to DataFast goes through this: the settings and the request's deadline,
 * the key (read once more past any cache when DataFast refuses it: if it has been rotated, the
 * send is repeated once with the new one) and the attempts counted for the log line.
 */
export function dataFastSender(secrets: Secrets, context: RequestContext) {
  const { runtime, log } = context;
  const settings = readDataFastSettings(runtime.env);
  const deadline = requestDeadline(context);
  let apiKey = requireApiKey(secrets);
  let attempts = 0;
  const once = async <T>(sendOne: SendOne<T>, body: T): Promise<SendOutcome> => {
    const outcome = await sendOne(body, {
      ...settings,
      apiKey,
      deadline,
      ...(runtime.fetch && { fetch: runtime.fetch }),
    });
    attempts += outcome.attempts;
    log.attempts = attempts;
    return outcome;
  };
  return {
    attempts: () => attempts,
    async send<T>(sendOne: SendOne<T>, body: T): Promise<SendOutcome> {
      const outcome = await once(sendOne, body);
      if (outcome.kind !== "unauthorized") return outcome;
      const freshKey = requireApiKey(await beforeDeadline(runtime.secrets.load({ fresh: true }), deadline));
      if (freshKey === apiKey) return outcome;
      apiKey = freshKey;
      log.key_reloaded = true;
      return once(sendOne, body);
    },
  };
}

/** The DataFast key, which travels in a header: a character a header cannot carry is a setting error. */
function requireApiKey(secrets: Secrets): string {
  const key = requireSecret(secrets, "DATAFAST_API_KEY");
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw settingError("DATAFAST_API_KEY", "has a character a header cannot carry (a space, line break or non-ASCII)");
  }
  return key;
}

/**
 * Epoch ms by which a request must be answered: DATAFAST_TIMEOUT_MS, or less when the platform
 * grants less. Fixed on first use, so every step of the request works to the same deadline.
 */
export function requestDeadline(context: RequestContext): number {
  const { runtime, started } = context;
  context.deadline ??=
    started +
    Math.min(readDataFastSettings(runtime.env).timeoutMs, runtime.remainingMs?.() ?? Number.POSITIVE_INFINITY);
  return context.deadline;
}

/**
 * The answer to the sender for what DataFast did: its success answer, a marked 200 for what it
 * already held (`duplicate` is the body when DataFast's own words are a 409), or the error.
 */
export function answer(
  outcome: SendOutcome,
  attempts: number,
  options: { duplicate: Record<string, unknown>; headers?: Record<string, string> | undefined },
): Response {
  switch (outcome.kind) {
    case "recorded":
      return jsonResponse(outcome.status, outcome.answer, options.headers);
    case "duplicate":
      // Held, so a 2xx (a sender told otherwise would resend it forever), marked: this send changed
      // nothing, and if its data differs from what DataFast kept, DataFast kept the first version.
      return jsonResponse(200, outcome.answer ?? options.duplicate, { "x-datafast-duplicate": "true" });
    case "rejected":
      throw new HttpError(422, outcome.message);
    case "unauthorized":
      throw new HttpError(500, `DataFast rejected DATAFAST_API_KEY (${outcome.status}): check the key and its scope`);
    case "misdirected":
      throw settingError("DATAFAST_API_URL", `is not DataFast's API (${outcome.message})`);
    case "unavailable":
      if (outcome.status === 429) {
        const retryAfter = Math.ceil(outcome.retryAfterSeconds ?? 1);
        throw new HttpError(503, outcome.message, { headers: { "retry-after": String(retryAfter) } });
      }
      throw new HttpError(502, `${outcome.message} (after ${attempts} attempts)`);
  }
}
