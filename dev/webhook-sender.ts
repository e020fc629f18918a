import { createPrivateKey } from "node:crypto";
import { providers } from "../shared/webhooks/providers.ts";
import { SANDBOX_PAYPAL_CERT_URL, SANDBOX_PAYPAL_KEY } from "./provider-sandbox.ts";
import { readSandboxSecrets } from "./sandbox-secrets.ts";
import { type EventKind, sampleEvents } from "./webhook-events.ts";
import { type PayPalSigning, signers } from "./webhook-signing.ts";

/** Providers only the local sandbox can be sent a sample as: why, and how to check a deployment instead. */
const CANNOT_SIGN: Record<string, string> = {
  paypal:
    "PayPal signs with its own private key, so only the local sandbox (npm start without PAYPAL_WEBHOOK_ID) can be sent a PayPal event: for a deployment, use PayPal's webhooks simulator (developer.paypal.com) or a sandbox payment",
  mollie:
    "Mollie signs nothing: the function fetches the payment from Mollie with MOLLIE_API_KEY, so only a payment Mollie holds gets through. Smoke-test a deployment with a test-mode payment whose webhookUrl is its /api/webhooks/mollie; locally, npm start without MOLLIE_API_KEY runs a Mollie stand-in",
};

export interface SendWebhookOptions {
  provider: string;
  /** The deployment (`https://example.com`) or the full webhook URL; default the local server. */
  url?: string | undefined;
  kind: EventKind;
  amount: number;
  currency: string;
  env: NodeJS.ProcessEnv;
}

export interface SentWebhook {
  url: string;
  status: number;
  body: string;
}

/**
 * Builds a sample event for `provider`, signs it as the provider does and posts it: the
 * end-to-end check of a deployment, or of `npm start`. The secret is the provider's setting from
 * the environment, or for the local server the one it generated.
 */
export async function sendSampleWebhook(options: SendWebhookOptions): Promise<SentWebhook> {
  const { provider: name, env } = options;
  const provider = Object.hasOwn(providers, name) ? providers[name] : undefined;
  const sign = signers[name];
  const build = sampleEvents[name];
  if (!provider || !sign || !build) {
    throw new Error(`Unknown provider "${name}": one of ${Object.keys(providers).join(", ")}`);
  }
  const port = Number(env.PORT || 8787);
  const url = webhookUrl(options.url ?? `http://127.0.0.1:${port}`, name);
  const local = options.url === undefined;
  const unsendable = CANNOT_SIGN[name];
  if (!local && unsendable) throw new Error(unsendable);
  const sandbox = local ? await readSandboxSecrets(port) : {};
  // A setting from the environment, or for the local server the one it generated.
  const setting = (settingName: string) => env[settingName] || sandbox[settingName] || "";
  // While rotating, the setting holds several secrets separated by spaces; the first one signs.
  const [secret] = setting(provider.secretName).split(/\s+/).filter(Boolean);
  if (!secret) {
    throw new Error(
      local
        ? `No ${provider.secretName}: start the local server first (npm start), or set ${provider.secretName}`
        : `Set ${provider.secretName} to the secret the deployment has (export ${provider.secretName}=...)`,
    );
  }
  const event = build({ kind: options.kind, amount: options.amount, currency: options.currency });
  if (event.molliePayment) await createMolliePayment(event.molliePayment, secret, setting("MOLLIE_API_URL"));
  const signature = sign(event.body, [secret], {
    // Square signs the URL it posts to: the one the deployment was given, else this one.
    notificationUrl: setting("SQUARE_WEBHOOK_URL") || url,
    ...(name === "chargebee" && {
      username: required(setting("CHARGEBEE_WEBHOOK_USERNAME"), "CHARGEBEE_WEBHOOK_USERNAME", local),
    }),
    ...(name === "paypal" && { paypal: paypalSigning(sandbox) }),
  });
  const target = `${url}${signature.query}`;
  const response = await fetch(target, {
    method: "POST",
    headers: { "content-type": event.contentType, ...event.headers, ...signature.headers },
    body: event.body,
    redirect: "manual",
  });
  return { url, status: response.status, body: await response.text() };
}

function required(value: string, name: string, local: boolean): string {
  if (value) return value;
  throw new Error(local ? `No ${name}: start the local server first (npm start), or set ${name}` : `Set ${name}`);
}

/**
 * PayPal signs with the private key of a certificate PayPal serves: only the local sandbox, which
 * made its own certificate and serves it where its PAYPAL_API_URL points, can sign like PayPal.
 */
function paypalSigning(sandbox: Record<string, string>): PayPalSigning {
  const pem = sandbox[SANDBOX_PAYPAL_KEY];
  const certUrl = sandbox[SANDBOX_PAYPAL_CERT_URL];
  if (!pem || !certUrl) {
    throw new Error(CANNOT_SIGN.paypal);
  }
  return { privateKey: createPrivateKey(pem), certUrl };
}

/**
 * Mollie signs nothing: the function fetches the payment the delivery names, with MOLLIE_API_KEY.
 * So the payment must exist first: on the sandbox's Mollie stand-in the sender creates it; a real
 * Mollie account gets one only through a checkout.
 */
async function createMolliePayment(payment: Record<string, unknown>, key: string, apiUrl: string) {
  if (!apiUrl) {
    throw new Error(CANNOT_SIGN.mollie);
  }
  const response = await fetch(`${apiUrl.replace(/\/+$/, "")}/payments`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(payment),
  });
  if (response.status !== 201)
    throw new Error(`The Mollie stand-in answered ${response.status}: ${await response.text()}`);
}

/** A deployment's base URL gets the webhook path; a full webhook URL is used as given. */
function webhookUrl(base: string, provider: string): string {
  const url = new URL(base);
  if (!/\/api\/webhooks\/[^/]+$/.test(url.pathname)) {
    url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/webhooks/${provider}`;
  }
  return url.href;
}
