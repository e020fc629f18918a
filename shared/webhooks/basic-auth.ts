import { safeEqual } from "../auth.ts";
import { fromBase64 } from "../bytes.ts";
import { requireSecret } from "../settings.ts";
import { unauthorized, type Verify } from "./verification.ts";

/**
 * HTTP Basic credentials set on the webhook (Chargebee): the username from `usernameSetting`, the
 * password from the provider's secret (several while it is rotated), both compared in constant
 * time and both always compared, so timing does not tell which one was wrong.
 */
export function verifyBasicAuth(usernameSetting: string): Verify {
  return (request, passwords, _policy, context) => {
    const username = requireSecret(context.secrets, usernameSetting);
    const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(request.headers.get("authorization") ?? "");
    if (!match?.[1]) throw unauthorized("Missing Basic credentials in the Authorization header", "basic");
    const bytes = fromBase64(match[1]);
    const decoded = bytes ? new TextDecoder().decode(bytes) : "";
    const colon = decoded.indexOf(":");
    if (colon < 0) throw unauthorized("Basic credentials lack a username:password pair", "basic");
    const userMatches = safeEqual(decoded.slice(0, colon), username);
    const passwordMatches = passwords.some((password) => safeEqual(decoded.slice(colon + 1), password));
    if (!(userMatches && passwordMatches)) throw unauthorized("Invalid Basic credentials", "basic");
  };
}
