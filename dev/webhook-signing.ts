import { createHmac } from "node:crypto";

/**
 * Signs deliveries the way each provider does, written from the providers' docs with node:crypto
 * alone: independent of the verifiers in shared/, so a shared misreading cannot pass unnoticed
 * (the tests also check these signatures with the providers' own SDKs). Used by
 * `npm run send-webhook` and by the webhook tests.
 */

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`. */
function standardWebhookHeaders(
  key: Buffer,
  body: string,
  options: { id?: string; timestamp?: number; extraKeys?: Buffer[] } = {},
): Record<string, string> {
  const id = options.id ?? "msg_2mXk1TQpZ8vJ0w";
  const timestamp = options.timestamp ?? nowSeconds();
  const signatures = [key, ...(options.extraKeys ?? [])].map(
    (each) => `v1,${createHmac("sha256", each).update(`${id}.${timestamp}.${body}`).digest("base64")}`,
  );
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  };
}

/** `whsec_<base64>` -> the key bytes. */
export const whsecKey = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ""), "base64");

/** Whop's dashboard secret is a raw string: its UTF-8 bytes are the key. */
const rawKey = (secret: string) => Buffer.from(secret, "utf8");

/** Paddle: `ts=<unix>;h1=<hex HMAC-SHA256 of "ts:body">`, one h1 per secret. */
function paddleHeaders(secrets: string[], body: string, timestamp = nowSeconds()): Record<string, string> {
  const h1 = secrets.map((secret) => `h1=${createHmac("sha256", secret).update(`${timestamp}:${body}`).digest("hex")}`);
  return { "paddle-signature": [`ts=${timestamp}`, ...h1].join(";") };
}

function bodyHmac(algorithm: "sha256" | "sha512", secret: string, body: string, encoding: "hex" | "base64") {
  return createHmac(algorithm, secret).update(body).digest(encoding);
}

/** What authenticates one delivery: headers, and for Gumroad a `?token=` query. */
interface Signature {
  headers: Record<string, string>;
  query: string;
}

interface SignOptions {
  /** Unix seconds to sign, where the scheme signs a time. */
  timestamp?: number;
  /** The Standard Webhooks message id. */
  id?: string;
}

type Signer = (body: string, secrets: [string, ...string[]], options: SignOptions) => Signature;

const standardFamily =
  (keyOf: (secret: string) => Buffer): Signer =>
  (body, [secret, ...more], options) => ({
    headers: standardWebhookHeaders(keyOf(secret), body, { ...options, extraKeys: more.map(keyOf) }),
    query: "",
  });

// Body-HMAC schemes carry one signature: only the first secret signs.
const hmacFamily =
  (header: string, algorithm: "sha256" | "sha512", encoding: "hex" | "base64"): Signer =>
  (body, [secret]) => ({ headers: { [header]: bodyHmac(algorithm, secret, body, encoding) }, query: "" });

/** Each provider's signing, by the `{provider}` of `/api/webhooks/{provider}`. */
export const signers: Record<string, Signer> = {
  standard: standardFamily(whsecKey),
  dodo: standardFamily(whsecKey),
  whop: standardFamily(rawKey),
  paddle: (body, secrets, options) => ({ headers: paddleHeaders(secrets, body, options.timestamp), query: "" }),
  creem: hmacFamily("creem-signature", "sha256", "hex"),
  shopify: hmacFamily("x-shopify-hmac-sha256", "sha256", "base64"),
  razorpay: hmacFamily("x-razorpay-signature", "sha256", "hex"),
  paystack: hmacFamily("x-paystack-signature", "sha512", "hex"),
  // Gumroad signs nothing: the secret is a token in the ping URL.
  gumroad: (_body, [token]) => ({ headers: {}, query: `?token=${encodeURIComponent(token)}` }),
};
