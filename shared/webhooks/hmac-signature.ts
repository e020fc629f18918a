import { fromBase64, fromHex, utf8 } from "../bytes.ts";
import { type HmacHash, hmacMatches } from "./hmac.ts";
import { anyMatches, unauthorized, type Verify } from "./verification.ts";

/** An HMAC of the raw body sent in one header, as Creem, Shopify, Razorpay and Paystack sign. */
export interface HmacScheme {
  header: string;
  algorithm: "sha256" | "sha512";
  encoding: "hex" | "base64";
}

const HASHES: Record<HmacScheme["algorithm"], HmacHash> = { sha256: "SHA-256", sha512: "SHA-512" };

/** A verifier for one body-HMAC scheme; these schemes sign no timestamp, so there is no window. */
export function verifyHmacSignature(scheme: HmacScheme): Verify {
  return async (request, secrets) => {
    const given = request.headers.get(scheme.header)?.trim();
    if (!given) throw unauthorized(`Missing ${scheme.header} header`);
    // Hex is case-insensitive; base64 is not.
    const signature = scheme.encoding === "hex" ? fromHex(given) : fromBase64(given);
    const hash = HASHES[scheme.algorithm];
    const checks = secrets.map((secret) => hmacMatches(hash, utf8(secret), signature, request.body));
    if (!(await anyMatches(checks))) throw unauthorized(`Invalid ${scheme.header}`);
  };
}
