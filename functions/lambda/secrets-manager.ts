import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { HttpError, settingError } from "../../shared/http-error.ts";
import { beforeDeadline, type SecretStore, type Secrets } from "../../shared/settings.ts";

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

// A `fresh` load (DataFast refused the cached key, or a setting is missing) reads past the cache at
// most once a second: a rotated key or a fixed secret is seen at once, while a revoked key or
// anonymous calls to an unconfigured route cannot turn every request into a paid read.
const FRESH_READ_INTERVAL_MS = 1000;

// After the cache expires, a refresh that fails for a passing reason (throttling, 5xx, a timeout)
// or takes longer than STALE_WAIT_MS serves the expired value, for up to an hour past expiry: it
// was good minutes ago, and a 503 would only make every sender retry. A missing secret or a
// revoked permission is never papered over.
const STALE_GRACE_MS = 60 * 60 * 1000;
// A healthy GetSecretValue answers in tens of milliseconds; the SDK's own retries of a throttle
// take seconds, which would eat the request's budget.
const STALE_WAIT_MS = 500;

/**
 * The secret settings from AWS Secrets Manager: fetched lazily, cached per container for
 * `maxAgeSeconds`, with ONE fetch in flight shared by concurrent callers. A failed fetch is never
 * cached, so the next invocation tries again. A refresh after expiry is awaited (briefly, while
 * the expired value may stand in) rather than left to run in the background: Lambda freezes the
 * container once the answer is sent, which would stall it.
 */
export function secretsManagerStore(options: SecretsManagerStoreOptions): SecretStore {
  let client = options.client;
  let cached: { value: Secrets; expiresAt: number } | undefined;
  let inFlight: Promise<Secrets> | undefined;
  let lastFreshRead = Number.NEGATIVE_INFINITY;

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

  const read = () => {
    inFlight ??= fetchSecrets().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    load({ fresh = false } = {}) {
      // Counted once a fresh read succeeds: a read that met an outage is tried again at once.
      if (fresh && Date.now() - lastFreshRead >= FRESH_READ_INTERVAL_MS) {
        return read().then((value) => {
          lastFreshRead = Date.now();
          return value;
        });
      }
      const known = cached;
      if (known && Date.now() < known.expiresAt) return known.value;
      if (!known || Date.now() >= known.expiresAt + STALE_GRACE_MS) return read();
      // Unavailable and late both answer 503: passing, so the expired value stands in.
      return beforeDeadline(read(), Date.now() + STALE_WAIT_MS).catch((error: unknown) => {
        if (error instanceof HttpError && error.status === 503) return known.value;
        throw error;
      });
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
