import { createHmac } from "node:crypto";
import { safeEqual } from "../auth.ts";
import { unauthorized, type Verify } from "./verification.ts";

/** An HMAC of the raw body sent in one header, as Creem, Shopify, Razorpay and Paystack sign. */
export interface HmacScheme {
  header: string;
  algorithm: "sha256" | "sha512";
  encoding: "hex" | "base64";
}

export function hmacDigest(
  algorithm: HmacScheme["algorithm"],
  secret: string,
  message: Uint8Array,
  encoding: HmacScheme["encoding"],
): string {
  return createHmac(algorithm, secret).update(message).digest(encoding);
}

/** A verifier for one body-HMAC scheme; these schemes sign no timestamp, so there is no window. */
export function verifyHmacSignature(scheme: HmacScheme): Verify {
  return (request, secrets) => {
    const given = request.headers.get(scheme.header)?.trim();
    if (!given) throw unauthorized(`Missing ${scheme.header} header`);
    // Hex is case-insensitive; base64 is not.
    const normalized = scheme.encoding === "hex" ? given.toLowerCase() : given;
    const matches = secrets.some((secret) =>
      safeEqual(normalized, hmacDigest(scheme.algorithm, secret, request.body, scheme.encoding)),
    );
    if (!matches) throw unauthorized(`Invalid ${scheme.header}`);
  };
}
