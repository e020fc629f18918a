import { utf8 } from "./bytes.ts";
import { HttpError } from "./http-error.ts";

/**
 * Compares two secrets in constant time. Both sides are hashed first so that neither the
 * content nor the length of the expected value leaks through timing.
 */
export async function safeEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), expectedDigest(expected)]);
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}

const digest = async (value: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(value)));

// The expected side is usually the same secret request after request (a bearer token): its digest
// is kept, which saves one of the two hashes a warm request pays for (issue 16).
let lastExpected: { value: string; digest: Promise<Uint8Array> } | undefined;

function expectedDigest(expected: string): Promise<Uint8Array> {
  if (lastExpected?.value !== expected) lastExpected = { value: expected, digest: digest(expected) };
  return lastExpected.digest;
}

/** Requires `Authorization: Bearer <token>`; answers 401 with `WWW-Authenticate` otherwise. */
export async function requireBearer(request: Request, token: string): Promise<void> {
  if (!(await hasBearer(request, token))) {
    throw new HttpError(401, "Missing or invalid bearer token", {
      headers: { "www-authenticate": 'Bearer realm="payments"' },
    });
  }
}

/** Whether the request carries `Authorization: Bearer <token>`. */
export async function hasBearer(request: Request, token: string): Promise<boolean> {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1] !== undefined && (await safeEqual(match[1], token));
}
