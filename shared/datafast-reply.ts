import { concatBytes } from "./bytes.ts";
import { isRecord } from "./is-record.ts";
import { excerpt } from "./log.ts";
import { tryParseJson } from "./try-parse-json.ts";

/**
 * The most of a DataFast reply that is read. Its success answer is about 100 bytes and an error a
 * few hundred; anything past this is not DataFast talking, and reading it all would let a huge or
 * endless reply (a proxy's page, a misdirected DATAFAST_API_URL) fill the function's memory.
 */
const MAX_REPLY_BYTES = 64 * 1024;

/** The text of a reply, and whether it is all there (false: cut at `MAX_REPLY_BYTES`). */
export interface ReplyText {
  text: string;
  complete: boolean;
}

/** Reads at most `MAX_REPLY_BYTES` of the reply, then cancels the rest (closing the connection). */
export async function readReply(response: Response): Promise<ReplyText> {
  if (!response.body) return { text: "", complete: true };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: decode(chunks), complete: true };
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_REPLY_BYTES) {
      await reader.cancel();
      return { text: decode(chunks).slice(0, MAX_REPLY_BYTES), complete: false };
    }
  }
}

/** What a 2xx reply says about the payment sent. */
export type Confirmation =
  /** DataFast's success answer for this transaction_id; `duplicate` when it says it already held it. */
  { confirmed: true; duplicate: boolean; answer: Record<string, unknown> } | { confirmed: false; reason: string };

// DataFast's duplicate reply is undocumented: a 2xx whose message says so counts as one.
const DUPLICATE = /\b(?:duplicate|already)\b/i;

/**
 * Whether a 2xx reply is DataFast's success answer for `transactionId`. DataFast answers a recorded
 * payment with `{"message": "...", "transaction_id": "<ours>"}` (its create-payment docs); its
 * wording may change, the echoed id is what proves the answer is about this payment. So a 2xx
 * counts only as a JSON object, not an error envelope, that echoes our transaction_id, or (the
 * duplicate reply may omit the id) whose message says the payment was already there. Anything else
 * (an HTML page from a proxy or captive portal, an empty 204, JSON about something else) is not a
 * confirmation: the sender must not be told the payment is recorded.
 */
export function readConfirmation(reply: ReplyText, transactionId: string): Confirmation {
  if (!reply.complete) return { confirmed: false, reason: `a reply over ${MAX_REPLY_BYTES} bytes` };
  const answer = parseObject(reply.text);
  if (!answer) return { confirmed: false, reason: describe(reply.text) };
  if (answer.status === "error" || "error" in answer) {
    return { confirmed: false, reason: `an error: ${errorMessage(reply.text)}` };
  }
  const duplicate = typeof answer.message === "string" && DUPLICATE.test(answer.message);
  if (answer.transaction_id === transactionId || (duplicate && answer.transaction_id === undefined)) {
    return { confirmed: true, duplicate, answer };
  }
  if (answer.transaction_id !== undefined) return { confirmed: false, reason: "an answer for another transaction_id" };
  return { confirmed: false, reason: `an answer without the transaction_id: ${describe(reply.text)}` };
}

/**
 * Whether a 2xx reply is DataFast's success answer for a goal: `{"status":"success","data":[…]}`
 * (its create-goal docs). DataFast names the event it created by its own id, so nothing in the
 * answer can be matched against the goal sent; the success envelope is what is checked.
 */
export function readGoalConfirmation(reply: ReplyText): Confirmation {
  if (!reply.complete) return { confirmed: false, reason: `a reply over ${MAX_REPLY_BYTES} bytes` };
  const answer = parseObject(reply.text);
  if (answer?.status === "success" && !("error" in answer)) return { confirmed: true, duplicate: false, answer };
  return { confirmed: false, reason: describe(reply.text) };
}

/**
 * The message of an API's error reply, for answers and logs: DataFast's `{"error":{"message"}}`
 * envelope, a problem document's `detail` (Mollie), a plain `message` (PayPal), or a bounded
 * excerpt of whatever came back. Emails are masked before the cut.
 */
export function errorMessage(text: string): string {
  const parsed = parseObject(text);
  if (parsed) {
    const nested = isRecord(parsed.error) ? parsed.error.message : parsed.error;
    const message = nested ?? parsed.detail ?? parsed.message;
    if (typeof message === "string" && message) return excerpt(message, 500);
  }
  return describe(text);
}

/** A bounded excerpt of a reply for answers and logs. */
function describe(text: string): string {
  return excerpt(text.trim(), 200) || "(empty body)";
}

function parseObject(text: string): Record<string, unknown> | undefined {
  const parsed = tryParseJson(text);
  return isRecord(parsed) ? parsed : undefined;
}

function decode(chunks: Uint8Array[]): string {
  // Not fatal: a reply cut mid-character, or in another encoding, is still worth an excerpt.
  return new TextDecoder().decode(concatBytes(...chunks));
}
