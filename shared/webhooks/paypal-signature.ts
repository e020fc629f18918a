import { fromBase64, utf8 } from "../bytes.ts";
import { errorMessage } from "../datafast-reply.ts";
import { settingError } from "../http-error.ts";
import { callOut, unavailable } from "./call-out.ts";
import { crc32 } from "./crc32.ts";
import { anyMatches, type ProviderContext, requireFreshTimestamp, unauthorized, type Verify } from "./verification.ts";
import { readPemCertificate } from "./x509.ts";

/** Where PayPal serves its webhook-signing certificates, live and sandbox; `https` only. */
const PAYPAL_ORIGINS = [
  "https://api.paypal.com",
  "https://api-m.paypal.com",
  "https://api.sandbox.paypal.com",
  "https://api-m.sandbox.paypal.com",
];
const CERT_PATH = "/v1/notifications/certs/";
const DEFAULT_API_URL = "https://api-m.paypal.com";

/** A certificate as it is kept: a check by its public key, and when it is valid (epoch ms). */
interface SigningCertificate {
  verify: (signature: Uint8Array, signed: Uint8Array) => Promise<boolean>;
  validFrom: number;
  validTo: number;
}

const RSA_SHA256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };

/** Certificates by URL, per container: PayPal rotates them rarely and names each by its own URL. */
const certificates = new Map<string, SigningCertificate>();
const MAX_CACHED_CERTIFICATES = 16;

/**
 * PayPal's self-verification (https://developer.paypal.com/api/rest/webhooks/rest/): PAYPAL-
 * TRANSMISSION-SIG is an RSA-SHA256 signature, by the certificate at PAYPAL-CERT-URL, of
 * `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body, unsigned decimal>`.
 *
 * Chosen over PayPal's verify-webhook-signature API, which PayPal offers as the alternative: that
 * needs an OAuth client id and secret (two more secrets, a token call) and a round trip to PayPal
 * per delivery, where this needs only the public webhook id and one cached certificate download.
 * The certificate is fetched only from PayPal's own API hosts over https (or PAYPAL_API_URL's
 * origin, for a sandbox or a test stand-in), never from wherever the header points.
 */
export const verifyPayPalSignature: Verify = async (request, webhookIds, policy, context) => {
  const header = (name: string) => request.headers.get(`paypal-${name}`)?.trim() ?? "";
  const [id, time, signature, certUrl, algorithm] = [
    "transmission-id",
    "transmission-time",
    "transmission-sig",
    "cert-url",
    "auth-algo",
  ].map(header);
  if (!id || !time || !signature || !certUrl || !algorithm) {
    throw unauthorized("Missing PAYPAL-TRANSMISSION-ID, -TIME, -SIG, PAYPAL-CERT-URL or PAYPAL-AUTH-ALGO header");
  }
  if (algorithm !== "SHA256withRSA") throw unauthorized(`Unsupported PAYPAL-AUTH-ALGO ${algorithm.slice(0, 30)}`);
  const sentAt = Date.parse(time);
  requireFreshTimestamp(Number.isNaN(sentAt) ? "not a time" : String(Math.floor(sentAt / 1000)), policy);
  const url = certificateUrl(certUrl, context);
  // A signature that is not base64 is refused before anything is fetched for it.
  const signatureBytes = fromBase64(signature);
  if (!signatureBytes) throw unauthorized("Invalid PAYPAL-TRANSMISSION-SIG");
  const certificate = await paypalCertificate(url, policy.nowSeconds, context);
  const checksum = crc32(request.body);
  const checks = webhookIds.map(async (webhookId) => {
    const signed = utf8(`${id}|${time}|${webhookId}|${checksum}`);
    return certificate.verify(signatureBytes, signed);
  });
  if (!(await anyMatches(checks))) throw unauthorized("Invalid PAYPAL-TRANSMISSION-SIG");
};

/** PAYPAL-CERT-URL, refused (401, nothing fetched) unless it is on a PayPal certificate endpoint. */
function certificateUrl(text: string, context: ProviderContext): string {
  const apiUrl = context.env.PAYPAL_API_URL || DEFAULT_API_URL;
  if (!URL.canParse(apiUrl)) throw settingError("PAYPAL_API_URL", "is not a URL");
  const url = URL.canParse(text) ? new URL(text) : undefined;
  const trusted = [...PAYPAL_ORIGINS, new URL(apiUrl).origin];
  if (!url || !trusted.includes(url.origin) || !url.pathname.startsWith(CERT_PATH) || url.username || url.password) {
    throw unauthorized("PAYPAL-CERT-URL is not on PayPal's certificate endpoint");
  }
  return url.href;
}

async function paypalCertificate(
  url: string,
  nowSeconds: number,
  context: ProviderContext,
): Promise<SigningCertificate> {
  const certificate = certificates.get(url) ?? (await downloadCertificate(url, context));
  const now = nowSeconds * 1000;
  if (now < certificate.validFrom || now > certificate.validTo) {
    certificates.delete(url);
    throw unauthorized("PayPal's signing certificate is not valid now");
  }
  return certificate;
}

async function downloadCertificate(url: string, context: ProviderContext): Promise<SigningCertificate> {
  const answer = await callOut(context, "PayPal's certificate endpoint", url);
  // A certificate PayPal does not have was named by a forger, not by PayPal.
  if (answer.status === 404) throw unauthorized("PAYPAL-CERT-URL names no PayPal certificate");
  if (answer.status !== 200) {
    throw unavailable(`PayPal's certificate endpoint answered ${answer.status}: ${errorMessage(answer.body)}`);
  }
  let certificate: SigningCertificate;
  try {
    const { subjectPublicKeyInfo, validFrom, validTo } = readPemCertificate(answer.body);
    const publicKey = await crypto.subtle.importKey("spki", subjectPublicKeyInfo, RSA_SHA256, false, ["verify"]);
    const verify = (signature: Uint8Array, signed: Uint8Array) =>
      crypto.subtle.verify(RSA_SHA256, publicKey, signature, signed);
    certificate = { verify, validFrom, validTo };
  } catch {
    throw unavailable("PayPal's certificate endpoint answered with something that is not a certificate");
  }
  if (certificates.size >= MAX_CACHED_CERTIFICATES) certificates.clear();
  certificates.set(url, certificate);
  return certificate;
}
