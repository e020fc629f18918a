import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { HttpError } from "../shared/http-error.ts";
import { readDataFastSettings } from "../shared/settings.ts";
import { createReporter } from "./progress.ts";
import { providerApi } from "./provider-api.ts";
import { runBackfill } from "./run.ts";
import { loadEnv, providerApiUrl, requireSettings, SettingsError } from "./settings.ts";
import { sources } from "./sources.ts";
import { parseWindow } from "./window.ts";

const USAGE = `Usage: npm run backfill -- --provider <name> --since <date|3d> [options]

Imports past payments and refunds from a provider's API into DataFast.

  --provider <name>   ${Object.keys(sources).join(", ")}
  --since <when>      start: 2025-01-01, 2025-01-01T12:00:00Z, or a span back from now (3d, 12h)
  --until <when>      end (default now); a date alone includes that whole day
  --dry-run           list and map, print what would be sent, send nothing
  --state <file>      checkpoint file (default .cache/backfill/<provider>.json)
  --retry-failed      send again what the failures file holds, instead of listing
  --concurrency <n>   payments in flight at once (default 2)
  --json              JSON lines instead of a progress display
  --help              this text`;

/** Exit codes: 0 all recorded, 1 something failed (see the summary), 2 the command or a setting is wrong. */
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      provider: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      state: { type: "string" },
      "retry-failed": { type: "boolean", default: false },
      concurrency: { type: "string", default: "2" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const name = values.provider ?? "";
  const source = Object.hasOwn(sources, name) ? sources[name] : undefined;
  if (!source) throw new SettingsError(`--provider must be one of ${Object.keys(sources).join(", ")}`);
  if (!values.since && !values["retry-failed"])
    throw new SettingsError("--since is required (a date, or a span such as 3d)");
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new SettingsError("--concurrency must be a whole number from 1 to 16");
  }

  const env = loadEnv(process.cwd(), process.env);
  const credentials = requireSettings(env, source.credentials);
  const dataFast = readDataFastSettings(env);
  const window = parseWindow(values.since ?? "1d", values.until, Date.now());
  const dryRun = values["dry-run"];
  const apiKey = dryRun ? undefined : requireSettings(env, ["DATAFAST_API_KEY"]).DATAFAST_API_KEY;
  const reporter = createReporter({
    provider: name,
    json: values.json,
    interactive: !values.json && process.stderr.isTTY === true,
    out: process.stdout,
    err: process.stderr,
  });
  const result = await runBackfill({
    source,
    api: providerApi({
      name,
      baseUrl: providerApiUrl(env, name, source.apiUrl(credentials)),
      headers: source.headers(credentials),
      secrets: Object.values(credentials),
    }),
    window,
    retryFailed: values["retry-failed"],
    statePath: resolve(values.state ?? `.cache/backfill/${name}.json`),
    target: `${dataFast.apiUrl} website=${dataFast.websiteId ?? "(key's own)"}`,
    dataFast: apiKey === undefined ? undefined : { ...dataFast, apiKey },
    concurrency,
    reporter,
  });
  return result.counts.failed > 0 || result.fatal ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Wrong flags and settings are the user's to fix: said plainly, with no stack.
    const known =
      error instanceof SettingsError ||
      error instanceof RangeError ||
      error instanceof HttpError ||
      (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
    const message = error instanceof Error ? error.message.replace(/^Server misconfigured: /, "") : String(error);
    process.stderr.write(`backfill: ${known ? message : ((error as Error).stack ?? message)}\n`);
    if (known) process.stderr.write("Run with --help for usage.\n");
    process.exitCode = known ? 2 : 1;
  },
);
