import { retryAfter } from "../shared/datafast.ts";

/** A provider's API, read with its credentials: one JSON page per call. */
export interface ProviderApi {
  /** GETs `path` (relative to the base URL, or an absolute "next page" URL on the same origin). */
  get(path: string, query?: Readonly<Record<string, string | number | undefined>>): Promise<ApiPage>;
}

interface ApiPage {
  body: unknown;
  headers: Headers;
}

/** The provider's API could not give a page: the listing it belongs to stops there. */
export class ListingError extends Error {}

export interface ProviderApiOptions {
  name: string;
  baseUrl: string;
  headers: Readonly<Record<string, string>>;
  /** Credential values, masked in every message (an API may quote them back). */
  secrets: readonly string[];
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_ATTEMPTS = 6;
const REQUEST_TIMEOUT_MS = 30_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;

/**
 * A throttled reader of a provider's list API. A 429 (or 503) waits as long as `Retry-After` or
 * `X-RateLimit-Reset` says before trying again; other 5xx, timeouts and network errors back off
 * exponentially; a response saying the quota is used up (`X-RateLimit-Remaining: 0`, Shopify's
 * call limit reached) pauses the next request until it resets, so the limit is rarely hit at all.
 */
export function providerApi(options: ProviderApiOptions): ProviderApi {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const base = new URL(options.baseUrl.replace(/\/+$/, ""));
  const masked = (text: string) =>
    options.secrets.reduce((result, secret) => (secret ? result.replaceAll(secret, "[credential]") : result), text);
  let pausedUntil = 0;

  return {
    async get(path, query = {}) {
      const url = resolveUrl(base, path);
      for (const [name, value] of Object.entries(query))
        if (value !== undefined) url.searchParams.set(name, String(value));
      const where = `${options.name} ${url.pathname}`;
      let lastProblem = "";
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const pause = pausedUntil - Date.now();
        if (pause > 0) await sleep(pause);
        let response: Response;
        try {
          response = await doFetch(url, {
            headers: { accept: "application/json", ...options.headers },
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            // Credentials must never follow a redirect to wherever it points.
            redirect: "manual",
          });
        } catch (error) {
          lastProblem = `could not be reached (${masked(error instanceof Error ? error.message : String(error))})`;
          await sleep(backoff(attempt));
          continue;
        }
        const text = await response.text().catch(() => "");
        const { status } = response;
        if (status === 429 || status >= 500) {
          lastProblem = `answered ${status}`;
          const seconds = status === 429 || status === 503 ? retryAfter(response.headers) : undefined;
          await sleep(seconds !== undefined ? seconds * 1000 : backoff(attempt));
          continue;
        }
        if (status < 200 || status >= 300) {
          throw new ListingError(`${where} answered ${status}: ${masked(text.trim().slice(0, 200)) || "(empty body)"}`);
        }
        pausedUntil = Math.max(pausedUntil, Date.now() + quotaPauseMs(response.headers));
        try {
          return { body: JSON.parse(text), headers: response.headers };
        } catch {
          throw new ListingError(`${where} answered ${status} with a body that is not JSON`);
        }
      }
      throw new ListingError(`${where} ${lastProblem} on all ${MAX_ATTEMPTS} attempts`);
    },
  };
}

/** `path` under the base URL; an absolute URL (a next-page link) only on the base URL's origin. */
function resolveUrl(base: URL, path: string): URL {
  if (!/^https?:/i.test(path)) return new URL(`${base.href.replace(/\/+$/, "")}${path}`);
  const url = new URL(path);
  if (url.origin !== base.origin) {
    throw new ListingError(`The next-page link points to ${url.origin}, not ${base.origin}: not followed`);
  }
  return url;
}

/** How long to wait before the next request when the response says the quota is used up. */
function quotaPauseMs(headers: Headers): number {
  const remaining = headers.get("x-ratelimit-remaining") ?? headers.get("ratelimit-remaining");
  if (remaining !== null && Number(remaining) <= 0) return (retryAfter(headers) ?? 1) * 1000;
  // Shopify's leaky bucket: "39/40" used of the bucket, which drains 2 calls a second.
  const [used, size] = (headers.get("x-shopify-shop-api-call-limit") ?? "").split("/").map(Number);
  if (used !== undefined && size !== undefined && used >= size - 1) return 1000;
  return 0;
}

function backoff(attempt: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
}
