import { settingError } from "./http-error.ts";

/**
 * Settings that are secrets: environment variables on Vercel and Netlify, keys of one Secrets
 * Manager secret on Lambda. Everything else is a plain environment variable everywhere.
 */
export type Secrets = Readonly<Record<string, string | undefined>>;

export interface SecretStore {
  /** The secret settings. `fresh` skips any cache: DataFast has just rejected the cached key. */
  load(options?: { fresh?: boolean }): Promise<Secrets>;
}

/** Secrets from environment variables (Vercel, Netlify, local runs). */
export function envSecrets(env: Secrets): SecretStore {
  return { load: async () => env };
}

/** Reads a secret that must be set; its name, never its value, goes into the error. */
export function requireSecret(secrets: Secrets, name: string): string {
  const value = secrets[name];
  if (!value) throw settingError(name);
  return value;
}

export interface DataFastSettings {
  apiUrl: string;
  websiteId: string | undefined;
  timeoutMs: number;
}

const DEFAULT_API_URL = "https://datafa.st/api/v1";
const DEFAULT_TIMEOUT_MS = 8000;

/** The plain DataFast settings, validated so a typo fails loudly instead of falling back. */
export function readDataFastSettings(env: Secrets): DataFastSettings {
  const apiUrl = env.DATAFAST_API_URL || DEFAULT_API_URL;
  if (!URL.canParse(apiUrl)) throw settingError("DATAFAST_API_URL", "is not a URL");
  return {
    apiUrl,
    websiteId: env.DATAFAST_WEBSITE_ID || undefined,
    timeoutMs: positiveInteger(env, "DATAFAST_TIMEOUT_MS", DEFAULT_TIMEOUT_MS),
  };
}

export function positiveInteger(env: Secrets, name: string, fallback: number): number {
  const text = env[name];
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw settingError(name, "must be a positive integer");
  return value;
}
