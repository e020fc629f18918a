import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { providers } from "../shared/webhooks/providers.ts";

/**
 * The webhook secrets `npm start` makes up for the providers that have none, so every
 * `/api/webhooks/{provider}` works locally at once. Each in the form the provider's dashboard
 * gives: Standard Webhooks and Dodo `whsec_<base64>`, Mollie a `test_` API key, PayPal a webhook
 * id, the others a URL-safe random string (Chargebee's username and password both).
 */
export function generateWebhookSecrets(env: NodeJS.ProcessEnv): Record<string, string> {
  const generated: Record<string, string> = {};
  for (const [name, { secretName, otherSecretNames = [] }] of Object.entries(providers)) {
    if (env[secretName]) continue;
    generated[secretName] = secretLike(name);
    for (const other of otherSecretNames) if (!env[other]) generated[other] = secretLike(name);
  }
  return generated;
}

function secretLike(provider: string): string {
  const bytes = randomBytes(24);
  if (provider === "standard" || provider === "dodo") return `whsec_${bytes.toString("base64")}`;
  if (provider === "mollie") return `test_${bytes.toString("hex").slice(0, 30)}`;
  if (provider === "paypal") return bytes.toString("hex").slice(0, 17).toUpperCase();
  return bytes.toString("base64url");
}

/**
 * Where the local server leaves the secrets it generated (and the sandbox's settings the sender
 * needs: Square's URL, the Mollie stand-in, PayPal's signing key), for `npm run send-webhook` on the same
 * machine: one file per port (two servers never share one), readable by this user only, removed
 * when the server stops. Under .cache/, which git ignores.
 */
export function sandboxSecretsFile(port: number): string {
  return resolve(".cache", `sandbox-secrets-${port}.json`);
}

export async function writeSandboxSecrets(port: number, secrets: Record<string, string>): Promise<void> {
  const file = sandboxSecretsFile(port);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  // `mode` applies only when the file is created: a file left by an older run is narrowed too.
  await chmod(file, 0o600);
}

export async function readSandboxSecrets(port: number): Promise<Record<string, string>> {
  try {
    return JSON.parse(await readFile(sandboxSecretsFile(port), "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

export async function removeSandboxSecrets(port: number): Promise<void> {
  await rm(sandboxSecretsFile(port), { force: true });
}
