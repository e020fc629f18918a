import { type SendOutcome, sendPayment } from "../shared/datafast.ts";
import type { Payment } from "../shared/payment.ts";

/** What became of one payment, for the backfill's books. */
export type RecordResult =
  | { kind: "recorded"; attributionDropped: boolean }
  /** DataFast refused it, or stayed unavailable through every round: goes to the failures file. */
  | { kind: "failed"; reason: string }
  /** Nothing can be recorded (a refused key, a wrong URL): the run stops. */
  | { kind: "fatal"; reason: string };

export interface RecorderOptions {
  apiUrl: string;
  apiKey: string;
  websiteId: string | undefined;
  /** The budget of one send, all its quick retries included (DATAFAST_TIMEOUT_MS). */
  timeoutMs: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Told each time DataFast asks the run to slow down (a 429 past the quick retries). */
  onThrottled?: (waitMs: number) => void;
}

// A rate limit is not a failure: 429s are waited out for this many rounds, other outages fewer.
const MAX_RATE_LIMITED_ROUNDS = 30;
const MAX_UNAVAILABLE_ROUNDS = 5;
const ROUND_BACKOFF_BASE_MS = 1000;
const ROUND_BACKOFF_CAP_MS = 60_000;

/**
 * Records payments through the same `sendPayment` the functions use, in rounds: when DataFast is
 * unavailable after a send's own retries, the payment is tried again later. A 429 pauses every
 * worker (the limit is per key, so one worker's 429 is everyone's), for as long as DataFast said.
 * Like the webhook route, a refused payment carrying a visitor id is sent once more without it
 * (same transaction_id), so the revenue is recorded unattributed rather than lost.
 */
export function dataFastRecorder(options: RecorderOptions): (payment: Payment) => Promise<RecordResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let pausedUntil = 0;
  const send = (payment: Payment) =>
    sendPayment(payment, {
      apiUrl: options.apiUrl,
      apiKey: options.apiKey,
      websiteId: options.websiteId,
      deadline: Date.now() + options.timeoutMs,
      ...(options.fetch && { fetch: options.fetch }),
    });

  return async (payment) => {
    for (let round = 1; ; round++) {
      const pause = pausedUntil - Date.now();
      if (pause > 0) await sleep(pause);
      let outcome: SendOutcome = await send(payment);
      let attributionDropped = false;
      if (outcome.kind === "rejected" && payment.datafast_visitor_id !== undefined) {
        const { datafast_visitor_id: _dropped, ...unattributed } = payment;
        const retry = await send(unattributed);
        attributionDropped = retry.kind === "recorded";
        if (retry.kind !== "rejected") outcome = retry;
      }
      switch (outcome.kind) {
        case "recorded":
        // DataFast already held it (a webhook or an interrupted run sent it): it is there all the same.
        case "duplicate":
          return { kind: "recorded", attributionDropped };
        case "rejected":
          return { kind: "failed", reason: outcome.message };
        case "unauthorized":
          return { kind: "fatal", reason: `DataFast rejected DATAFAST_API_KEY (${outcome.status}): check the key` };
        case "misdirected":
          return { kind: "fatal", reason: `DATAFAST_API_URL is not DataFast's API (${outcome.message})` };
        case "unavailable": {
          const rateLimited = outcome.status === 429;
          if (round >= (rateLimited ? MAX_RATE_LIMITED_ROUNDS : MAX_UNAVAILABLE_ROUNDS)) {
            return { kind: "failed", reason: `${outcome.message} (after ${round} rounds)` };
          }
          const wait =
            outcome.retryAfterSeconds !== undefined
              ? outcome.retryAfterSeconds * 1000
              : Math.min(ROUND_BACKOFF_CAP_MS, ROUND_BACKOFF_BASE_MS * 2 ** (round - 1));
          if (rateLimited) {
            pausedUntil = Math.max(pausedUntil, Date.now() + wait);
            options.onThrottled?.(wait);
          } else {
            await sleep(wait);
          }
        }
      }
    }
  };
}
