import { providers } from "../shared/webhooks/providers.ts";
import { readSandboxSecrets } from "./sandbox-secrets.ts";
import { type EventKind, sampleEvents } from "./webhook-events.ts";
import { signers } from "./webhook-signing.ts";

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
  const setting = env[provider.secretName] || (local ? (await readSandboxSecrets(port))[provider.secretName] : "");
  // While rotating, the setting holds several secrets separated by spaces; the first one signs.
  const [secret] = (setting ?? "").split(/\s+/).filter(Boolean);
  if (!secret) {
    throw new Error(
      local
        ? `No ${provider.secretName}: start the local server first (npm start), or set ${provider.secretName}`
        : `Set ${provider.secretName} to the secret the deployment has (export ${provider.secretName}=...)`,
    );
  }
  const event = build({ kind: options.kind, amount: options.amount, currency: options.currency });
  const signature = sign(event.body, [secret], {});
  const target = `${url}${signature.query}`;
  const response = await fetch(target, {
    method: "POST",
    headers: { "content-type": event.contentType, ...event.headers, ...signature.headers },
    body: event.body,
    redirect: "manual",
  });
  return { url, status: response.status, body: await response.text() };
}

/** A deployment's base URL gets the webhook path; a full webhook URL is used as given. */
function webhookUrl(base: string, provider: string): string {
  const url = new URL(base);
  if (!/\/api\/webhooks\/[^/]+$/.test(url.pathname)) {
    url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/webhooks/${provider}`;
  }
  return url.href;
}
