import { HttpError, settingError } from "./http-error.ts";

/**
 * Settings that are secrets: environment variables on Vercel and Netlify, keys of one Secrets
 * Manager secret on Lambda. Everything else is a plain environment variable everywhere.
 */
export type Secrets = Readonly<Record<string, string | undefined>>;

export interface SecretStore {
  /**
   * The secret settings. `fresh` asks to read past any cache, because the cached value was found
   * wanting (DataFast rejected its key, or a setting is missing); a store that pays per read may
   * rate-limit such reads and answer from its cache. A value held in memory is returned as is:
   * nothing to wait for, so no deadline is raced (a timer and a race per warm request).
   */
  load(options?: { fresh?: boolean }): Secrets | Promise<Secrets>;
}

/** Secrets from environment variables (Vercel, Netlify, local runs). */
export function envSecrets(env: Secrets): SecretStore {
  return { load: () => env };
}

/**
 * The secrets a request needs, loaded within its deadline: a store slower than that (Secrets
 * Manager retrying a throttle or a timeout) is answered 503 rather than outliving the request. A
 * value missing a `required` setting is loaded `fresh`, so a fixed secret works at once instead of
 * after the cache's max age (the store rate-limits those reads).
 */
export async function loadSecrets(store: SecretStore, deadline: number, required: readonly string[]): Promise<Secrets> {
  const secrets = await beforeDeadline(store.load(), deadline);
  if (required.every((name) => secrets[name])) return secrets;
  return beforeDeadline(store.load({ fresh: true }), deadline);
}

/** `load`'s result, or a 503 once `deadline` (epoch ms) passes first. */
export async function beforeDeadline<T>(load: T | Promise<T>, deadline: number): Promise<T> {
  if (!(load instanceof Promise)) return load;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    // The error is built only when the deadline passes: an error's stack trace costs every request.
    const rejectLate = () =>
      reject(new HttpError(503, "Secrets were not loaded in time; try again", { headers: { "retry-after": "1" } }));
    timer = setTimeout(rejectLate, Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([load, late]);
  } finally {
    clearTimeout(timer);
  }
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
  const websiteId = env.DATAFAST_WEBSITE_ID || undefined;
  const timeout = env.DATAFAST_TIMEOUT_MS;
  // Read twice per request and the same in every one: the last result stands while its inputs do.
  if (lastSettings?.apiUrl === apiUrl && lastSettings.websiteId === websiteId && lastSettings.timeout === timeout) {
    return lastSettings.settings;
  }
  if (!URL.canParse(apiUrl)) throw settingError("DATAFAST_API_URL", "is not a URL");
  const settings = { apiUrl, websiteId, timeoutMs: positiveInteger(env, "DATAFAST_TIMEOUT_MS", DEFAULT_TIMEOUT_MS) };
  lastSettings = { apiUrl, websiteId, timeout, settings: Object.freeze(settings) };
  return settings;
}

let lastSettings:
  | { apiUrl: string; websiteId: string | undefined; timeout: string | undefined; settings: DataFastSettings }
  | undefined;

export function positiveInteger(env: Secrets, name: string, fallback: number): number {
  const text = env[name];
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw settingError(name, "must be a positive integer");
  return value;
}

/**
 * Whether verified webhooks send lifecycle goals: `DATAFAST_GOALS` unset or `on` (the default), or
 * `off`. Anything else is a setting error, answered 500 before anything is sent, like any
 * malformed setting.
 */
export function goalsEnabled(env: Secrets): boolean {
  const value = env.DATAFAST_GOALS?.trim().toLowerCase() ?? "";
  if (value === "" || value === "on") return true;
  if (value === "off") return false;
  throw settingError("DATAFAST_GOALS", 'must be "on" or "off"');
}
