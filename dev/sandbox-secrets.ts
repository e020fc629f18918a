import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { providers } from "../shared/webhooks/providers.ts";

/**
 * The webhook secrets `npm start` makes up for the providers that have none, so every
 * `/api/webhooks/{provider}` works locally at once. Each in the form the provider's dashboard
 * gives: Standard Webhooks and Dodo `whsec_<base64>`, Whop a raw string, Gumroad a URL-safe token.
 */
export function generateWebhookSecrets(env: NodeJS.ProcessEnv): Record<string, string> {
  const generated: Record<string, string> = {};
  for (const [name, { secretName }] of Object.entries(providers)) {
    if (env[secretName]) continue;
    const bytes = randomBytes(24);
    generated[secretName] =
      name === "standard" || name === "dodo" ? `whsec_${bytes.toString("base64")}` : bytes.toString("base64url");
  }
  return generated;
}

/**
 * Where the local server leaves the secrets it generated, for `npm run send-webhook` on the same
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
