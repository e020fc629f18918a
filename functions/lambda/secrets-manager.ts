import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { HttpError, settingError } from "../../shared/http-error.ts";
import type { SecretStore, Secrets } from "../../shared/settings.ts";

export interface SecretsManagerStoreOptions {
  /** Name or ARN of the one secret that holds the secret settings. */
  secretId: string;
  /** How long a fetched value is served from the container's cache. */
  maxAgeSeconds: number;
  /** An SDK client; by default one is created on first use (endpoint and credentials from the environment). */
  client?: Pick<SecretsManagerClient, "send">;
}

// A missing secret or missing permission is a deploy problem; anything else (throttling, 5xx,
// timeouts) is passing, and both answer 5xx so the sender retries.
const CONFIG_ERRORS = new Set(["ResourceNotFoundException", "AccessDeniedException", "DecryptionFailure"]);

/**
 * The secret settings from AWS Secrets Manager: fetched lazily, cached per container for
 * `maxAgeSeconds`, with ONE fetch in flight shared by concurrent callers. A failed fetch is never
 * cached, so the next invocation tries again.
 */
export function secretsManagerStore(options: SecretsManagerStoreOptions): SecretStore {
  let client = options.client;
  let cached: { value: Secrets; expiresAt: number } | undefined;
  let inFlight: Promise<Secrets> | undefined;

  const fetchSecrets = async (): Promise<Secrets> => {
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes, and a
    // hung Secrets Manager request hangs the invocation until Lambda kills it.
    client ??= new SecretsManagerClient({
      requestHandler: { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true },
    });
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await client.send(new GetSecretValueCommand({ SecretId: options.secretId })));
    } catch (error) {
      const name = error instanceof Error ? error.name : "UnknownError";
      if (CONFIG_ERRORS.has(name)) throw settingError("DATAFAST_SECRET_ID", `cannot be read (${name})`);
      throw new HttpError(503, `Secrets Manager is unavailable (${name}); try again`);
    }
    const value = parseSecretString(secretString);
    cached = { value, expiresAt: Date.now() + options.maxAgeSeconds * 1000 };
    return value;
  };

  return {
    load({ fresh = false } = {}) {
      if (!fresh && cached && Date.now() < cached.expiresAt) return Promise.resolve(cached.value);
      inFlight ??= fetchSecrets().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

/** A JSON object of settings, or a plain string that is the DataFast key itself. */
export function parseSecretString(secretString: string | undefined): Secrets {
  if (secretString === undefined) throw settingError("DATAFAST_SECRET_ID", "must name a secret with a SecretString");
  const text = secretString.trim();
  if (!text.startsWith("{")) return { DATAFAST_API_KEY: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw settingError("DATAFAST_SECRET_ID", "names a secret whose SecretString is not valid JSON");
  }
  const entries = Object.entries(parsed as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string",
  );
  return Object.fromEntries(entries);
}
