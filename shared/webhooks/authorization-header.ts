import { safeEqual } from "../auth.ts";
import { settingError } from "../http-error.ts";
import { unauthorized, type Verify } from "./verification.ts";

/**
 * For providers that send a fixed `Authorization` header set in their dashboard (RevenueCat): the
 * value, less an optional `Bearer ` scheme, compared in constant time with each configured token.
 * Like a URL token it signs nothing (no integrity, no replay window): the token must be long.
 */
export function verifyAuthorizationHeader(secretName: string): Verify {
  return (request, secrets) => {
    // The setting holds tokens separated by whitespace: "Bearer abc" would make "Bearer" a token
    // that any header "x Bearer" matches.
    if (secrets.some((secret) => /^(bearer|basic)$/i.test(secret))) {
      throw settingError(secretName, "must hold the token only, without the Bearer scheme");
    }
    const header = request.headers.get("authorization")?.trim();
    if (!header) throw unauthorized("Missing Authorization header", "token");
    const token = header.replace(/^bearer\s+/i, "");
    if (!secrets.some((secret) => safeEqual(token, secret)))
      throw unauthorized("Invalid Authorization header", "token");
  };
}
