import { concatBytes, fromHex, utf8 } from "../bytes.ts";
import { hmacMatches } from "./hmac.ts";
import { anyMatches, requireFreshTimestamp, unauthorized, type Verify } from "./verification.ts";

/**
 * Verifies `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]`: an HMAC-SHA256 of `${ts}:${body}`.
 * Every `h1` is tried (Paddle sends one per active secret while a secret is rotated), where
 * Paddle's own SDK keeps only the last and compares with `===`.
 */
export const verifyPaddleSignature: Verify = async (request, secrets, policy) => {
  const header = request.headers.get("paddle-signature");
  if (!header) throw unauthorized("Missing Paddle-Signature header");
  const parts = header.split(";").map((part) => part.trim().split("="));
  const timestamp = parts.find(([name]) => name === "ts")?.[1];
  const given = parts.filter(([name, value]) => name === "h1" && value).map(([, value = ""]) => fromHex(value));
  if (!timestamp || given.length === 0) throw unauthorized("Paddle-Signature lacks ts or h1");
  requireFreshTimestamp(timestamp, policy);
  const signed = concatBytes(utf8(`${timestamp}:`), request.body);
  const checks = secrets.flatMap((secret) =>
    given.map((signature) => hmacMatches("SHA-256", utf8(secret), signature, signed)),
  );
  if (!(await anyMatches(checks))) throw unauthorized("Invalid Paddle-Signature");
};
