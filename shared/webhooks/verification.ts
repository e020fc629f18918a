import { HttpError } from "../http-error.ts";
import type { Secrets } from "../settings.ts";

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
 * What a provider may need beyond the delivery: PayPal fetches its certificate, Mollie the payment,
 * Chargebee and Square read a second setting. Calls out go through `callOut` (`call-out.ts`).
 */
export interface ProviderContext {
  /** Plain settings (environment variables), such as `<PROVIDER>_API_URL`. */
  env: Secrets;
  /** The secret settings of this request. */
  secrets: Secrets;
  /** The provider's own secret setting, split: several while it is rotated. */
  webhookSecrets: readonly string[];
  fetch: typeof fetch;
  /** Epoch ms by which the whole request (DataFast included) must be answered. */
  deadline: number;
}

/**
 * Authenticates a delivery against every configured secret (more than one while a secret is
 * being rotated) and throws (or rejects with) a 401 unless one of them matches.
 */
export type Verify = (
  request: WebhookRequest,
  secrets: readonly string[],
  policy: VerificationPolicy,
  context: ProviderContext,
) => void | Promise<void>;

export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * RFC 9110 requires every 401 to carry a `WWW-Authenticate` challenge. Most webhook schemes are not
 * HTTP authentication schemes, so the challenge names what the sender must present: a signature
 * header, or (Gumroad, RevenueCat, which sign nothing) a secret token; Chargebee's HTTP Basic
 * credentials get Basic's own challenge (RFC 7617).
 */
const challenges = {
  signature: 'Signature realm="webhooks"',
  token: 'Token realm="webhooks"',
  basic: 'Basic realm="webhooks", charset="UTF-8"',
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

/** Whether any of the checks came out true; all run to the end, so timing does not tell which. */
export async function anyMatches(checks: Promise<boolean>[]): Promise<boolean> {
  return (await Promise.all(checks)).includes(true);
}
