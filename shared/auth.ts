import { createHash, timingSafeEqual } from "node:crypto";
import { HttpError } from "./http-error.ts";

/**
 * Compares two secrets in constant time. Both sides are hashed first so that neither the
 * content nor the length of the expected value leaks through timing.
 */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), expectedDigest(expected));
}

const digest = (value: string) => createHash("sha256").update(value).digest();

// The expected side is usually the same secret request after request (a bearer token): its digest
// is kept, which saves one of the two hashes a warm request pays for (issue 16).
let lastExpected: { value: string; digest: Buffer } | undefined;

function expectedDigest(expected: string): Buffer {
  if (lastExpected?.value !== expected) lastExpected = { value: expected, digest: digest(expected) };
  return lastExpected.digest;
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
