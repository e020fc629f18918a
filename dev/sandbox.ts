import { randomBytes } from "node:crypto";
import { banner } from "./banner.ts";
import { type DataFastStandIn, startDataFastStandIn } from "./datafast-standin.ts";
import { startProviderSandbox } from "./provider-sandbox.ts";
import {
  generateWebhookSecrets,
  removeSandboxSecrets,
  sandboxSecretsFile,
  writeSandboxSecrets,
} from "./sandbox-secrets.ts";

export interface Sandbox {
  /** The DataFast stand-in payments go to, when DATAFAST_API_KEY was not set. */
  standIn: DataFastStandIn | undefined;
  /** Once the port is ours: saves the generated secrets for `npm run send-webhook`, prints the banner. */
  announce(facts: { envFileLoaded: boolean; runtime?: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * What `npm start` and `npm run start:<runtime>` fill in for settings left unset, on `env` itself:
 * without DATAFAST_API_KEY a loopback DataFast stand-in, a PAYMENTS_AUTH_TOKEN, a secret for every
 * webhook provider and what those providers need besides (see provider-sandbox.ts). `base` is
 * where the routes are served (`/api/...` follows it).
 */
export async function startSandbox(
  env: NodeJS.ProcessEnv,
  port: number,
  base = `http://127.0.0.1:${port}`,
): Promise<Sandbox> {
  let standIn: DataFastStandIn | undefined;
  if (!env.DATAFAST_API_KEY) {
    const sandboxKey = `df_sandbox_${randomBytes(12).toString("hex")}`;
    standIn = await startDataFastStandIn({ acceptKey: (key) => key === sandboxKey });
    env.DATAFAST_API_KEY = sandboxKey;
    env.DATAFAST_API_URL = standIn.url;
  }
  const tokenGenerated = !env.PAYMENTS_AUTH_TOKEN;
  env.PAYMENTS_AUTH_TOKEN ||= randomBytes(24).toString("base64url");
  // A secret for every provider that has none, so each webhook route records at once.
  const generatedSecrets = generateWebhookSecrets(env);
  Object.assign(env, generatedSecrets);
  // What those providers need besides a secret: Square's URL, Mollie and PayPal API stand-ins.
  const providerSandbox = await startProviderSandbox(env, generatedSecrets, base);
  return {
    standIn,
    async announce({ envFileLoaded, runtime }) {
      // Only once the port is ours: a second server must not overwrite the first one's file.
      if (Object.keys(generatedSecrets).length > 0) {
        await writeSandboxSecrets(port, { ...generatedSecrets, ...providerSandbox.settings });
      }
      console.log(
        banner({
          base,
          sandbox: standIn !== undefined,
          apiUrl: env.DATAFAST_API_URL || "https://datafa.st/api/v1",
          generatedToken: tokenGenerated ? env.PAYMENTS_AUTH_TOKEN : undefined,
          generatedSecrets,
          secretsFile: sandboxSecretsFile(port),
          envFileLoaded,
          notes: providerSandbox.notes,
          ...(runtime && { runtime }),
        }),
      );
    },
    async close() {
      await Promise.allSettled([standIn?.close(), providerSandbox.close(), removeSandboxSecrets(port)]);
    },
  };
}
