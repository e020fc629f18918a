import { safeEqual } from "../auth.ts";
import { unauthorized, type Verify } from "./verification.ts";

/**
 * For providers that sign nothing (Gumroad): the webhook URL carries a long secret `?token=`,
 * compared in constant time. Weaker than a signature (no integrity, no replay window), so the
 * token must be long and random and the URL kept out of shared places.
 */
export const verifyUrlToken: Verify = (request, secrets) => {
  const given = request.url.searchParams.get("token");
  if (!given) throw unauthorized("Missing ?token= in the webhook URL", "token");
  if (!secrets.some((secret) => safeEqual(given, secret))) throw unauthorized("Invalid webhook token", "token");
};
