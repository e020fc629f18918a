import { HttpError } from "../http-error.ts";

/** A webhook delivery as it arrived: the raw body bytes are what every signature covers. */
export interface WebhookRequest {
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

/** How strict verification is for this request: the replay window and the clock it is read on. */
export interface VerificationPolicy {
  toleranceSeconds: number;
  nowSeconds: number;
}

/**
 * Authenticates a delivery against every configured secret (more than one while a secret is
 * being rotated) and throws a 401 unless one of them matches.
 */
export type Verify = (request: WebhookRequest, secrets: readonly string[], policy: VerificationPolicy) => void;

export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * RFC 9110 requires every 401 to carry a `WWW-Authenticate` challenge. Webhook schemes are not HTTP
 * authentication schemes, so the challenge just names what the sender must present: a signature
 * header, or (Gumroad, which signs nothing) the secret `?token=` of the webhook URL.
 */
const challenges = {
  signature: 'Signature realm="webhooks"',
  "url-token": 'Token realm="webhooks"',
};

export function unauthorized(message: string, credential: keyof typeof challenges = "signature"): HttpError {
  return new HttpError(401, message, { headers: { "www-authenticate": challenges[credential] } });
}

/** The signed unix timestamp, refused when it lies outside the replay window either way. */
export function requireFreshTimestamp(text: string, policy: VerificationPolicy): number {
  if (!/^\d{1,12}$/.test(text)) throw unauthorized("Webhook timestamp is not a unix time in seconds");
  const sentAt = Number(text);
  if (Math.abs(policy.nowSeconds - sentAt) > policy.toleranceSeconds) {
    throw unauthorized(
      `Webhook timestamp is outside the ${policy.toleranceSeconds} s window (WEBHOOK_TOLERANCE_SECONDS): a replay or a skewed clock`,
    );
  }
  return sentAt;
}
