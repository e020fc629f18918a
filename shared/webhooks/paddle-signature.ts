import { safeEqual } from "../auth.ts";
import { hmacDigest } from "./hmac-signature.ts";
import { requireFreshTimestamp, unauthorized, type Verify } from "./verification.ts";

/**
 * Verifies `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]`: an HMAC-SHA256 of `${ts}:${body}`.
 * Every `h1` is tried (Paddle sends one per active secret while a secret is rotated), where
 * Paddle's own SDK keeps only the last and compares with `===`.
 */
export const verifyPaddleSignature: Verify = (request, secrets, policy) => {
  const header = request.headers.get("paddle-signature");
  if (!header) throw unauthorized("Missing Paddle-Signature header");
  const parts = header.split(";").map((part) => part.trim().split("="));
  const timestamp = parts.find(([name]) => name === "ts")?.[1];
  const given = parts.filter(([name, value]) => name === "h1" && value).map(([, value = ""]) => value.toLowerCase());
  if (!timestamp || given.length === 0) throw unauthorized("Paddle-Signature lacks ts or h1");
  requireFreshTimestamp(timestamp, policy);
  const signed = Buffer.concat([Buffer.from(`${timestamp}:`), request.body]);
  const matches = secrets.some((secret) => {
    const expected = hmacDigest("sha256", secret, signed, "hex");
    return given.some((signature) => safeEqual(signature, expected));
  });
  if (!matches) throw unauthorized("Invalid Paddle-Signature");
};
