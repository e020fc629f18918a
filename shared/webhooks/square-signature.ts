import { concatBytes, fromBase64, utf8 } from "../bytes.ts";
import { settingError } from "../http-error.ts";
import { hmacMatches } from "./hmac.ts";
import { anyMatches, unauthorized, type Verify } from "./verification.ts";

/**
 * Square (https://developer.squareup.com/docs/webhooks/step3validate): `x-square-hmacsha256-
 * signature`, a base64 HMAC-SHA256 of the notification URL followed by the body, keyed with the
 * subscription's signature key. The URL is the one registered with Square (the plain setting
 * `urlSetting`, SQUARE_WEBHOOK_URL), not the one this request arrived on, which a proxy or a
 * platform's routing may have rewritten.
 */
export function verifySquareSignature(urlSetting: string): Verify {
  return async (request, keys, _policy, context) => {
    const notificationUrl = context.env[urlSetting];
    if (!notificationUrl) throw settingError(urlSetting);
    if (!URL.canParse(notificationUrl)) throw settingError(urlSetting, "is not a URL");
    const given = request.headers.get("x-square-hmacsha256-signature")?.trim();
    if (!given) throw unauthorized("Missing x-square-hmacsha256-signature header");
    const signed = concatBytes(utf8(notificationUrl), request.body);
    const signature = fromBase64(given);
    if (!(await anyMatches(keys.map((key) => hmacMatches("SHA-256", utf8(key), signature, signed))))) {
      throw unauthorized("Invalid x-square-hmacsha256-signature");
    }
  };
}
