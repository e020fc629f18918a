import { Webhook } from "standardwebhooks";
import { safeEqual } from "../auth.ts";
import { settingError } from "../http-error.ts";
import { requireFreshTimestamp, unauthorized, type Verify } from "./verification.ts";

/**
 * How a dashboard secret becomes the HMAC key: `whsec_<base64>` per the spec (Standard Webhooks,
 * Dodo), or a raw string whose UTF-8 bytes are the key (Whop, whose SDK passes `btoa(secret)`).
 */
export type SecretFormat = "whsec" | "raw";

/**
 * Verifies the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`
 * with space-separated `v1,<base64>` entries, any of which may match during rotation).
 *
 * The `standardwebhooks` package computes the signature; the window is checked here because the
 * package hard-codes 5 minutes and WEBHOOK_TOLERANCE_SECONDS makes it configurable.
 */
export function verifyStandardWebhook(secretName: string, format: SecretFormat): Verify {
  return (request, secrets, policy) => {
    const id = request.headers.get("webhook-id");
    const timestamp = request.headers.get("webhook-timestamp");
    const signatures = request.headers.get("webhook-signature");
    if (!id || !timestamp || !signatures) {
      throw unauthorized("Missing webhook-id, webhook-timestamp or webhook-signature header");
    }
    const sentAt = new Date(requireFreshTimestamp(timestamp, policy) * 1000);
    const body = Buffer.from(request.body);
    const given = signatures.split(" ").filter((entry) => entry.startsWith("v1,"));
    const matches = secrets.some((secret) => {
      const expected = signer(secret, format, secretName).sign(id, sentAt, body);
      return given.some((signature) => safeEqual(signature, expected));
    });
    if (!matches) throw unauthorized("Invalid webhook-signature");
  };
}

function signer(secret: string, format: SecretFormat, secretName: string): Webhook {
  const encoded = format === "raw" ? Buffer.from(secret, "utf8").toString("base64") : secret;
  try {
    return new Webhook(encoded);
  } catch {
    throw settingError(secretName, "is not a Standard Webhooks secret (whsec_ followed by base64)");
  }
}
