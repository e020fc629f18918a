import { utf8 } from "./bytes.ts";
import { HttpError } from "./http-error.ts";

/**
 * Compares a presented secret with the expected one in constant time: the loop runs over the
 * presented bytes whatever they are, and every byte is compared, so neither the content nor the
 * length of the expected value shows in the timing (only the presenter's own length does). No
 * digests: Web Crypto's is async and, on Node, costs ~50 µs of CPU per call, more than the rest of
 * a warm request (issue 16).
 */
export function safeEqual(given: string, expected: string): boolean {
  const presented = utf8(given);
  const wanted = expectedBytes(expected);
  let difference = presented.length ^ wanted.length;
  for (let index = 0; index < presented.length; index += 1) {
    difference |= (presented[index] ?? 0) ^ (wanted[index % wanted.length] ?? 1);
  }
  return difference === 0;
}

// The expected side is usually the same secret request after request (a bearer token): its bytes
// are kept, which saves encoding it on every warm request (issue 16).
let lastExpected: { value: string; bytes: Uint8Array } | undefined;

function expectedBytes(expected: string): Uint8Array {
  if (lastExpected?.value !== expected) lastExpected = { value: expected, bytes: utf8(expected) };
  return lastExpected.bytes;
}

/** Requires `Authorization: Bearer <token>`; answers 401 with `WWW-Authenticate` otherwise. */
export function requireBearer(request: Request, token: string): void {
  if (!hasBearer(request, token)) {
    throw new HttpError(401, "Missing or invalid bearer token", {
      headers: { "www-authenticate": 'Bearer realm="payments"' },
    });
  }
}

/** Whether the request carries `Authorization: Bearer <token>`. */
export function hasBearer(request: Request, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1] !== undefined && safeEqual(match[1], token);
}
