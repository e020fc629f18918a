import type { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { settingError } from "../../shared/http-error.ts";
import { positiveInteger } from "../../shared/settings.ts";

// The extension's default port; its TTL cache sits behind our own per-container cache.
const DEFAULT_PORT = 2773;
// Like the SDK client's connection (1 s) and request (2 s) timeouts: a hung extension fails the
// fetch, and the store answers 503 so the sender retries.
const TIMEOUT_MS = 3000;
// An AWS error type in the extension's error reply, as Secrets Manager names it.
const AWS_ERROR_TYPE = /\b[A-Z][A-Za-z]*(?:Exception|Failure|Error)\b/;

/** SECRETS_SOURCE: `extension` reads the secret through the extension; `secrets-manager` (the default) through the SDK. */
export function readsThroughExtension(env: NodeJS.ProcessEnv): boolean {
  const source = env.SECRETS_SOURCE || "secrets-manager";
  if (source !== "secrets-manager" && source !== "extension") {
    throw settingError("SECRETS_SOURCE", "must be secrets-manager or extension");
  }
  return source === "extension";
}

/**
 * GetSecretValue through the AWS Parameters and Secrets Lambda Extension (a layer that serves
 * Secrets Manager on a loopback port), in the shape of the SDK client's `send`. Given to
 * `secretsManagerStore` as its client, it keeps that store's cache, single flight and error
 * answers, with no SDK: signing and credentials are the extension's. Failures are thrown as errors
 * named like the SDK's (`ResourceNotFoundException`, `TimeoutError`, ...), which the store sorts
 * into 500 (a deploy problem, naming DATAFAST_SECRET_ID) or 503 (passing).
 */
export function secretsExtensionClient(env: NodeJS.ProcessEnv): Pick<SecretsManagerClient, "send"> {
  const port = positiveInteger(env, "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", DEFAULT_PORT);
  const send = async ({ input }: GetSecretValueCommand) => {
    // 127.0.0.1, not localhost: no name lookup on the cold path.
    const url = `http://127.0.0.1:${port}/secretsmanager/get?secretId=${encodeURIComponent(input.SecretId ?? "")}`;
    const response = await fetch(url, {
      // The extension accepts only callers that hold the function's own session token.
      headers: { "X-Aws-Parameters-Secrets-Token": env.AWS_SESSION_TOKEN ?? "" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }).catch((error: unknown) => {
      throw namedError(error instanceof Error && error.name === "TimeoutError" ? "TimeoutError" : "NetworkError");
    });
    const text = await response.text();
    if (!response.ok) throw namedError(AWS_ERROR_TYPE.exec(text)?.[0] ?? `ExtensionHttp${response.status}`);
    // A reply that is not JSON throws a SyntaxError: passing, like any unknown failure.
    return JSON.parse(text) as { SecretString?: string };
  };
  // The SDK's `send` is overloaded (callbacks, every command); the store calls only this form.
  return { send } as unknown as Pick<SecretsManagerClient, "send">;
}

function namedError(name: string): Error {
  const error = new Error(`Secrets extension: ${name}`);
  error.name = name;
  return error;
}
