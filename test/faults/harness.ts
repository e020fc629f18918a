import { mkdirSync, writeFileSync } from "node:fs";
import { sentinelSecrets } from "../support/leak-watch.ts";

/** `SOAK=1 npm test` runs the same suites with many more payments and inputs. */
const SOAK = process.env.SOAK === "1";

/** `normal` in the everyday run, `soak` under SOAK=1. */
export const scaled = (normal: number, soak: number) => (SOAK ? soak : normal);

/** Timeout of the tests whose work grows with SOAK (vitest.config's default in the everyday run). */
export const soakTimeout = scaled(20_000, 15 * 60_000);

/** A POST to /api/payments authenticated with the sentinel token; `headers` entries replace (or with "" remove) defaults. */
export function postPayment(body: unknown, headers: Record<string, string> = {}): Request {
  const all = new Headers({
    authorization: `Bearer ${sentinelSecrets.PAYMENTS_AUTH_TOKEN}`,
    "content-type": "application/json",
  });
  for (const [name, value] of Object.entries(headers)) {
    if (value === "") all.delete(name);
    else all.set(name, value);
  }
  const raw = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  return new Request("https://functions.example/api/payments", { method: "POST", headers: all, body: raw });
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Median and 95th percentile of durations, rounded to 0.1 ms. */
export function percentiles(durations: readonly number[]): { p50: number; p95: number } {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (share: number) => Math.round((sorted[Math.floor(share * (sorted.length - 1))] ?? 0) * 10) / 10;
  return { p50: at(0.5), p95: at(0.95) };
}

/**
 * Writes one suite's figures to .cache/guarantees/<suite>.json (git-ignored); the README's
 * Guarantees section quotes the last run. One file per suite, as suites run in parallel processes.
 */
export function writeFigures(suite: string, figures: Record<string, unknown>): void {
  const dir = new URL("../../.cache/guarantees/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  const record = { suite, soak: SOAK, finishedAt: new Date().toISOString(), ...figures };
  writeFileSync(new URL(`${suite}.json`, dir), `${JSON.stringify(record, null, 2)}\n`);
}
