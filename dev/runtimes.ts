import { join } from "node:path";

/**
 * How `npm run start:<runtime>` and the platform tests run the single-entry platforms: the real
 * runtime CLI from tools/platforms, on a loopback port, with every setting in its environment.
 */
export interface RuntimeLaunch {
  /** The CLI under tools/platforms/node_modules/.bin. */
  bin: string;
  args(port: number): string[];
  /** What the CLI needs besides the settings: its own telemetry, update checks and prompts off. */
  env(port: number): Record<string, string>;
  /** Where the platform serves our routes (`/api/...` follows it). */
  pathPrefix: string;
}

const deno = (entry: string, pathPrefix = ""): RuntimeLaunch => ({
  bin: "deno",
  // The same permissions Deno Deploy grants: the network (listen, DataFast) and the environment.
  args: () => ["run", "--allow-net", "--allow-env", entry],
  env: (port) => ({ PORT: String(port), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1" }),
  pathPrefix,
});

export const runtimes = {
  // `wrangler dev` runs the Worker in the real workerd. It takes settings from process.env only when
  // told to; the empty --env-file keeps it from reading a .dev.vars or .env of its own.
  cloudflare: {
    bin: "wrangler",
    args: (port) => [
      "dev",
      ...["--port", String(port), "--ip", "127.0.0.1", "--env-file", "/dev/null"],
      "--show-interactive-dev-session=false",
    ],
    env: () => ({
      CLOUDFLARE_INCLUDE_PROCESS_ENV: "true",
      // Request.cf is fetched from Cloudflare unless switched off; the functions do not read it.
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      NO_COLOR: "1",
    }),
    pathPrefix: "",
  },
  deno: deno("functions/deno/server.ts"),
  // Supabase calls a function at /functions/v1/<name>/...: served the same way here.
  supabase: deno("supabase/functions/datafast/index.ts", "/functions/v1/datafast"),
  bun: {
    bin: "bun",
    // Bun reads .env files by itself; settings come from the environment alone, as on the others.
    args: () => ["--no-env-file", "functions/bun/server.ts"],
    env: (port) => ({ PORT: String(port), DO_NOT_TRACK: "1", NO_COLOR: "1" }),
    pathPrefix: "",
  },
} satisfies Record<string, RuntimeLaunch>;

export type RuntimeName = keyof typeof runtimes;

/** A runtime CLI's path in a project checkout at `root`. */
export const runtimeBin = (root: string, launch: RuntimeLaunch) =>
  join(root, "tools/platforms/node_modules/.bin", launch.bin);
