import { concatBytes, fromBase64, utf8 } from "../bytes.ts";
import { settingError } from "../http-error.ts";
import { hmacMatches } from "./hmac.ts";
import { anyMatches, requireFreshTimestamp, unauthorized, type Verify } from "./verification.ts";

/**
 * How a dashboard secret becomes the HMAC key: `whsec_<base64>` per the spec (Standard Webhooks,
 * Dodo), or a raw string whose UTF-8 bytes are the key (Whop, whose SDK passes `btoa(secret)`).
 */
export type SecretFormat = "whsec" | "raw";

/**
 * Verifies the Standard Webhooks scheme (https://www.standardwebhooks.com): `webhook-signature`
 * holds space-separated `v1,<base64>` entries (any may match during rotation), each an
 * HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`. The window is WEBHOOK_TOLERANCE_SECONDS
 * (the spec's libraries hard-code 5 minutes).
 */
export function verifyStandardWebhook(secretName: string, format: SecretFormat): Verify {
  return async (request, secrets, policy) => {
    const id = request.headers.get("webhook-id");
    const timestamp = request.headers.get("webhook-timestamp");
    const signatures = request.headers.get("webhook-signature");
    if (!id || !timestamp || !signatures) {
      throw unauthorized("Missing webhook-id, webhook-timestamp or webhook-signature header");
    }
    const sentAt = requireFreshTimestamp(timestamp, policy);
    const keys = secrets.map((secret) => signingKey(secret, format, secretName));
    const signed = concatBytes(utf8(`${id}.${sentAt}.`), request.body);
    const given = signatures
      .split(" ")
      .filter((entry) => entry.startsWith("v1,"))
      .map((entry) => fromBase64(entry.slice(3)));
    const checks = keys.flatMap((key) => given.map((signature) => hmacMatches("SHA-256", key, signature, signed)));
    if (!(await anyMatches(checks))) throw unauthorized("Invalid webhook-signature");
  };
}

function signingKey(secret: string, format: SecretFormat, secretName: string): Uint8Array {
  const key = format === "raw" ? utf8(secret) : fromBase64(secret.replace(/^whsec_/, ""));
  if (!key?.byteLength) {
    throw settingError(secretName, "is not a Standard Webhooks secret (whsec_ followed by base64)");
  }
  return key;
}
