import { paypalSigningIdentity } from "./paypal-certificate.ts";
import { type ProviderApiStandIn, startProviderApiStandIn } from "./provider-apis-standin.ts";

/** The sandbox's settings the sender needs to sign like PayPal, reach the Mollie stand-in, sign Square's URL. */
export const SANDBOX_PAYPAL_KEY = "PAYPAL_SANDBOX_SIGNING_KEY";
export const SANDBOX_PAYPAL_CERT_URL = "PAYPAL_SANDBOX_CERT_URL";

export interface ProviderSandbox {
  /** Settings set on `env` and for the sender (never printed: PayPal's signing key is among them). */
  settings: Record<string, string>;
  /** What could not be set up, for the banner. */
  notes: string[];
  close(): Promise<void>;
}

/**
 * What the providers whose secret `npm start` generated need besides it, so their routes record
 * locally too: Square signs the URL it posts to (SQUARE_WEBHOOK_URL is this server's route);
 * Mollie's delivery is verified by fetching the payment and PayPal's by its certificate, so both
 * get a loopback stand-in of their API (MOLLIE_API_URL, PAYPAL_API_URL) with a certificate made
 * here. Only for a provider whose secret was generated: a user's own keys keep their real APIs.
 */
export async function startProviderSandbox(
  env: NodeJS.ProcessEnv,
  generated: Record<string, string>,
  base: string,
): Promise<ProviderSandbox> {
  const settings: Record<string, string> = {};
  const notes: string[] = [];
  if (generated.SQUARE_WEBHOOK_SIGNATURE_KEY && !env.SQUARE_WEBHOOK_URL) {
    settings.SQUARE_WEBHOOK_URL = `${base}/api/webhooks/square`;
  }
  const mollie = generated.MOLLIE_API_KEY && !env.MOLLIE_API_URL;
  const paypal = generated.PAYPAL_WEBHOOK_ID && !env.PAYPAL_API_URL;
  let standIn: ProviderApiStandIn | undefined;
  if (mollie || paypal) standIn = await startProviderApiStandIn();
  if (standIn && mollie) settings.MOLLIE_API_URL = `${standIn.url}/v2`;
  if (standIn && paypal) {
    try {
      const { privateKey, certificate } = paypalSigningIdentity(30);
      standIn.paypalCertificates.set("CERT-sandbox", certificate);
      settings.PAYPAL_API_URL = standIn.url;
      settings[SANDBOX_PAYPAL_CERT_URL] = `${standIn.url}/v1/notifications/certs/CERT-sandbox`;
      settings[SANDBOX_PAYPAL_KEY] = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    } catch {
      notes.push(
        "PayPal's route needs a signing certificate, and `openssl` could not make one: set PAYPAL_WEBHOOK_ID and PAYPAL_API_URL yourself.",
      );
    }
  }
  for (const [name, value] of Object.entries(settings)) if (!name.includes("_SANDBOX_")) env[name] = value;
  return { settings, notes, close: async () => standIn?.close() };
}
