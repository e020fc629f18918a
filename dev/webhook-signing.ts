import { createHmac, type KeyObject, sign } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * Signs deliveries the way each provider does, written from the providers' docs with node:crypto
 * (and node:zlib's CRC32) alone: independent of the verifiers in shared/, so a shared misreading cannot pass unnoticed
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

/** Square: base64 HMAC-SHA256 of the notification URL followed by the body. */
function squareSignature(key: string, notificationUrl: string, body: string): string {
  return createHmac("sha256", key)
    .update(notificationUrl + body)
    .digest("base64");
}

/** HTTP Basic credentials, as Chargebee sends those set on its webhook. */
function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/**
 * PayPal: PAYPAL-TRANSMISSION-SIG is a base64 RSA-SHA256 signature of
 * `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body, unsigned decimal>`.
 */
function paypalHeaders(
  { privateKey, certUrl }: PayPalSigning,
  webhookId: string,
  body: string,
  timestamp = nowSeconds(),
): Record<string, string> {
  const id = "b2384410-f8d2-11ee-8c3e-1b8b1d1c1ab3";
  const time = new Date(timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const signature = sign("sha256", Buffer.from(`${id}|${time}|${webhookId}|${crc32(body)}`), privateKey);
  return {
    "paypal-transmission-id": id,
    "paypal-transmission-time": time,
    "paypal-transmission-sig": signature.toString("base64"),
    "paypal-cert-url": certUrl,
    "paypal-auth-algo": "SHA256withRSA",
  };
}

/** PayPal signs with the private key of a certificate it serves at `certUrl` (dev/paypal-certificate.ts makes one). */
export interface PayPalSigning {
  privateKey: KeyObject;
  certUrl: string;
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
  /** Square signs the URL it posts to: the deployment's SQUARE_WEBHOOK_URL. */
  notificationUrl?: string;
  /** Chargebee's Basic-auth username (CHARGEBEE_WEBHOOK_USERNAME); the secret is the password. */
  username?: string;
  /** PayPal's signing key and certificate; the secret is the webhook id (PAYPAL_WEBHOOK_ID). */
  paypal?: PayPalSigning;
}

/** An option a scheme cannot sign without, or a clear error naming it. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`signing needs ${what}`);
  return value;
}

export type Signer = (body: string, secrets: [string, ...string[]], options: SignOptions) => Signature;

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
  // RevenueCat and Chargebee sign nothing either: the secret is a fixed Authorization header.
  revenuecat: (_body, [token]) => ({ headers: { authorization: `Bearer ${token}` }, query: "" }),
  chargebee: (_body, [password], options) => ({
    headers: { authorization: basicAuthorization(required(options.username, "Chargebee's username"), password) },
    query: "",
  }),
  paypal: (body, [webhookId], options) => ({
    headers: paypalHeaders(required(options.paypal, "PayPal's signing key"), webhookId, body, options.timestamp),
    query: "",
  }),
  // Mollie signs nothing and sends only `id=tr_…`: the function verifies by fetching that payment
  // from Mollie with MOLLIE_API_KEY, so only a payment Mollie (or its stand-in) holds gets through.
  mollie: () => ({ headers: {}, query: "" }),
  fastspring: hmacFamily("x-fs-signature", "sha256", "base64"),
  square: (body, [key], options) => ({
    headers: {
      "x-square-hmacsha256-signature": squareSignature(
        key,
        required(options.notificationUrl, "Square's notification URL"),
        body,
      ),
    },
    query: "",
  }),
};
