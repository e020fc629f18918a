import { HttpError } from "./http-error.ts";

/** The largest body accepted; a payment is a few hundred bytes, a provider webhook a few kB. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The raw body bytes, refused past `MAX_BODY_BYTES` whatever `Content-Length` claims (it can be
 * absent or lie), without buffering more than the limit.
 */
export async function readBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** A JSON body, after the content-type, size, UTF-8 and syntax checks. */
export async function readJson(request: Request): Promise<unknown> {
  const contentType = request.headers.get("content-type");
  if (contentType !== null && !isJson(contentType)) {
    throw new HttpError(415, `Content-Type must be application/json, got ${contentType.slice(0, 100)}`);
  }
  return parseJson(await readBody(request));
}

export function parseJson(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Body is not valid JSON");
  }
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

function tooLarge(): HttpError {
  return new HttpError(413, `Body is larger than ${MAX_BODY_BYTES} bytes`);
}
