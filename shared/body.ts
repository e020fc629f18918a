import { concatBytes } from "./bytes.ts";
import { HttpError } from "./http-error.ts";
import { excerpt } from "./log.ts";
import { tryParseJson } from "./try-parse-json.ts";

/** `/api/payments`: a payment is a few hundred bytes. */
export const PAYMENT_BODY_LIMIT = 64 * 1024;

/**
 * Webhooks: a Shopify order or a Paddle transaction with many items passes 64 KiB, and a provider
 * resends a refused delivery unchanged, so too small a limit loses the payment for good. 1 MiB
 * fits real deliveries with room to spare and stays under the platforms' own request caps (from
 * 4.5 MB on Vercel to 10 MB on API Gateway).
 */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface BodyLimits {
  /** Larger bodies are answered 413. */
  maxBytes: number;
  /** Epoch ms by which the whole body must have arrived, else 408. */
  deadline: number;
}

/**
 * The raw body bytes, refused past `maxBytes` whatever `Content-Length` claims (it can be absent
 * or lie), counted while streaming so no more than the limit is ever held. A body still arriving
 * at `deadline` (a client trickling it, or a `Content-Length` larger than what was sent) is the
 * client's fault, answered 408 before the time budget meant for DataFast is gone.
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limits.maxBytes) throw tooLarge(limits.maxBytes);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooSlow()), Math.max(0, limits.deadline - Date.now()));
  });
  try {
    return await Promise.race([collect(reader, limits.maxBytes), late]);
  } finally {
    clearTimeout(timer);
    // Released, not cancelled: on Node's HTTP server cancelling destroys the socket, and the
    // client would never read the 408 or 413 it is owed. The unread rest stays in the socket.
    reader.releaseLock();
  }
}

async function collect(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      // Released at the deadline (the answer is already 408), or the client hung up mid-body.
      throw new HttpError(400, "The request body ended before it was complete (the connection closed)");
    });
    if (done) return concatBytes(...chunks);
    size += value.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(value);
  }
}

/** A JSON body, after the content-type, size, time, UTF-8 and syntax checks. */
export async function readJson(request: Request, limits: BodyLimits): Promise<unknown> {
  const contentType = request.headers.get("content-type");
  if (contentType !== null && !isJson(contentType)) {
    throw new HttpError(415, `Content-Type must be application/json, got ${excerpt(contentType, 100)}`);
  }
  const text = decodeUtf8(await readBody(request, limits));
  const value = parseJsonText(text);
  const lost = numberLostInParsing(text);
  if (lost !== undefined) {
    throw new HttpError(
      400,
      `Body has the number ${excerpt(lost, 40)}, which JSON parsing turns into ${Number(lost)}: write amounts as plain decimals such as 29.99`,
    );
  }
  return value;
}

// A JSON string (skipped whole, so digits inside it are never read as numbers) or a JSON number.
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * The first number literal of valid JSON `text` that JavaScript cannot hold: a non-zero one that
 * underflows to 0 (`1e-400`) or one that overflows to ±Infinity. A payment's amount would
 * otherwise arrive as another amount than the one sent. One linear pass.
 */
function numberLostInParsing(text: string): string | undefined {
  for (const [token] of text.matchAll(JSON_TOKEN)) {
    if (token.startsWith('"')) continue;
    const value = Number(token);
    if (!Number.isFinite(value) || (value === 0 && /[1-9]/.test(token.split(/[eE]/)[0] ?? ""))) return token;
  }
  return undefined;
}

export function parseJson(bytes: Uint8Array): unknown {
  return parseJsonText(decodeUtf8(bytes));
}

function parseJsonText(text: string): unknown {
  const value = tryParseJson(text);
  if (value === undefined) throw new HttpError(400, "Body is not valid JSON");
  return value;
}

/** The body as text; invalid UTF-8 is refused rather than replaced, so nothing is silently altered. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "Body is not valid UTF-8");
  }
}

function isJson(contentType: string): boolean {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `Body is larger than ${maxBytes} bytes`);
}

function tooSlow(): HttpError {
  return new HttpError(
    408,
    "The request body did not arrive in time: the client sent it too slowly, or Content-Length promises more than was sent",
  );
}
