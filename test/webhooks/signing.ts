import { execFileSync } from "node:child_process";
import { createHmac, createPrivateKey, type KeyObject, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";

/**
 * Signs deliveries the way each provider does, written from the providers' docs with node:crypto
 * (and node:zlib's CRC32) alone: independent of the implementation, so a shared misreading cannot pass unnoticed.
 */

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`. */
export function standardWebhookHeaders(
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

/** Paddle: `ts=<unix>;h1=<hex HMAC-SHA256 of "ts:body">`, one h1 per secret. */
export function paddleHeaders(secrets: string[], body: string, timestamp = nowSeconds()): Record<string, string> {
  const h1 = secrets.map((secret) => `h1=${createHmac("sha256", secret).update(`${timestamp}:${body}`).digest("hex")}`);
  return { "paddle-signature": [`ts=${timestamp}`, ...h1].join(";") };
}

export function bodyHmac(algorithm: "sha256" | "sha512", secret: string, body: string, encoding: "hex" | "base64") {
  return createHmac(algorithm, secret).update(body).digest(encoding);
}

/** Square: base64 HMAC-SHA256 of the notification URL followed by the body. */
export function squareSignature(key: string, notificationUrl: string, body: string): string {
  return createHmac("sha256", key)
    .update(notificationUrl + body)
    .digest("base64");
}

/** HTTP Basic credentials, as Chargebee sends those set on its webhook. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/**
 * A PayPal-style signing identity made at test time: an RSA key and a self-signed X.509
 * certificate for it, by the `openssl` CLI (node:crypto reads certificates but cannot make one).
 */
export function paypalSigningIdentity(days = 2): { privateKey: KeyObject; certificate: string } {
  const dir = mkdtempSync(join(tmpdir(), "paypal-cert-"));
  try {
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert],
        ...["-subj", "/CN=messageverificationcerts.paypal.com", "-days", String(days)],
      ],
      { stdio: "pipe" },
    );
    return { privateKey: createPrivateKey(readFileSync(key)), certificate: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * PayPal: PAYPAL-TRANSMISSION-SIG is a base64 RSA-SHA256 signature of
 * `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body, unsigned decimal>`.
 */
export function paypalHeaders(
  privateKey: KeyObject,
  certUrl: string,
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
