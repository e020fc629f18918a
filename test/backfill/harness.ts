import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { createReporter } from "../../backfill/progress.ts";
import { providerApi } from "../../backfill/provider-api.ts";
import { type BackfillResult, runBackfill } from "../../backfill/run.ts";
import { sources } from "../../backfill/sources.ts";
import type { DataFastStandIn } from "../../dev/datafast-standin.ts";
import { API_KEY } from "../support/payments.ts";

const WINDOW = { since: new Date("2025-01-01T00:00:00Z"), until: new Date("2025-03-01T00:00:00Z") };

/** A fresh directory for one test's state and failures files. */
export function stateFile(): string {
  return join(mkdtempSync(join(tmpdir(), "backfill-")), "state.json");
}

/** Credentials of the right names; the stand-ins only check that some are sent. */
export const credentials: Record<string, string> = {
  RAZORPAY_KEY_ID: "rzp_test_key",
  RAZORPAY_KEY_SECRET: "rzp_test_secret_9d8c",
  PADDLE_API_KEY: "pdl_apikey_test_77",
  PAYSTACK_SECRET_KEY: "sk_test_backfill_55",
  DODO_API_KEY: "dodo_test_key_31",
  SHOPIFY_SHOP: "backfill-test",
  SHOPIFY_ADMIN_TOKEN: "shpat_backfill_test_42",
  GUMROAD_ACCESS_TOKEN: "gumroad_backfill_test_8",
  CREEM_API_KEY: "creem_test_backfill_5",
  WHOP_API_KEY: "whop_backfill_test_61",
};

export interface InProcessRun {
  result: BackfillResult;
  /** What the run printed on stdout (JSON lines). */
  output: string;
}

/** One backfill run in this process, as the CLI would run it, printing JSON lines. */
export async function backfill(
  provider: string,
  options: { apiUrl: string; dataFast: DataFastStandIn | undefined; statePath: string; retryFailed?: boolean },
): Promise<InProcessRun> {
  const source = sources[provider];
  if (!source) throw new Error(`no source ${provider}`);
  const out = new PassThrough();
  let output = "";
  out.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const result = await runBackfill({
    source,
    api: providerApi({
      name: provider,
      baseUrl: options.apiUrl,
      headers: source.headers(credentials),
      secrets: Object.values(credentials),
      sleep: async () => {},
    }),
    window: WINDOW,
    retryFailed: options.retryFailed ?? false,
    statePath: options.statePath,
    target: options.dataFast?.url ?? "dry run",
    dataFast: options.dataFast && {
      apiUrl: options.dataFast.url,
      apiKey: API_KEY,
      websiteId: undefined,
      timeoutMs: 8000,
    },
    concurrency: 3,
    reporter: createReporter({ provider, json: true, interactive: false, out, err: new PassThrough() }),
  });
  return { result, output };
}
