import { createHmac } from "node:crypto";

/**
 * Signs deliveries the way each provider does, written from the providers' docs with node:crypto
 * alone: independent of the implementation, so a shared misreading cannot pass unnoticed.
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
