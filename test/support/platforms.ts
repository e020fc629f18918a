import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { startDevServer } from "@vercel/node";
import { afterAll } from "vitest";
import { lambdaContext } from "../../dev/lambda-invoke.ts";
import { handler as lambdaGoals } from "../../functions/lambda/goals.ts";
import { handler as lambdaHealth } from "../../functions/lambda/health.ts";
import { handler as lambdaPayments } from "../../functions/lambda/payments.ts";
import { handler as lambdaWebhooks } from "../../functions/lambda/webhooks.ts";
import netlifyGoals from "../../functions/netlify/goals.ts";
import netlifyHealth from "../../functions/netlify/health.ts";
import netlifyPayments from "../../functions/netlify/payments.ts";
import netlifyWebhooks from "../../functions/netlify/webhooks.ts";
import { type EventKind, eventKinds, fromLambdaResult, toLambdaEvent } from "./lambda-events.ts";
import { runtimePlatforms } from "./runtime-platforms.ts";

type RouteName = "payments" | "goals" | "webhooks" | "health";
export type Env = Record<string, string>;

/** Every setting the functions read; those a test leaves out are passed as empty (unset). */
const SETTING_NAMES = [
  "DATAFAST_API_KEY",
  "PAYMENTS_AUTH_TOKEN",
  "DATAFAST_SECRET_ID",
  "DATAFAST_WEBSITE_ID",
  "DATAFAST_API_URL",
  "DATAFAST_TIMEOUT_MS",
  "DATAFAST_GOALS",
  "SECRETS_CACHE_TTL_SECONDS",
  "SECRETS_SOURCE",
  "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
  "WEBHOOK_TOLERANCE_SECONDS",
  "STANDARD_WEBHOOK_SECRET",
  "DODO_WEBHOOK_SECRET",
  "WHOP_WEBHOOK_SECRET",
  "PADDLE_WEBHOOK_SECRET",
  "CREEM_WEBHOOK_SECRET",
  "SHOPIFY_WEBHOOK_SECRET",
  "RAZORPAY_WEBHOOK_SECRET",
  "PAYSTACK_SECRET_KEY",
  "GUMROAD_WEBHOOK_TOKEN",
  "REVENUECAT_WEBHOOK_AUTH",
  "PAYPAL_WEBHOOK_ID",
  "PAYPAL_API_URL",
  "MOLLIE_API_KEY",
  "MOLLIE_API_URL",
  "CHARGEBEE_WEBHOOK_USERNAME",
  "CHARGEBEE_WEBHOOK_PASSWORD",
  "FASTSPRING_WEBHOOK_SECRET",
  "SQUARE_WEBHOOK_SIGNATURE_KEY",
  "SQUARE_WEBHOOK_URL",
];

interface InvokeOptions {
  /** Lambda only: time left in the invocation. */
  remainingMs?: number;
  /** Lambda only: deliver the body base64-encoded, as API Gateway does for binary media types. */
  base64?: boolean;
}

export interface Platform {
  name: string;
  /** Runs `request` through the platform's real entry file for `route`, with exactly `env` set. */
  invoke(route: RouteName, request: Request, env: Env, options?: InvokeOptions): Promise<Response>;
}

/** The settings on process.env while in-process calls run with them, and how many do. */
interface EnvInUse {
  key: string;
  calls: number;
  /** process.env as it was before, put back when the last of these calls ends. */
  saved: NodeJS.ProcessEnv;
  /** Settles when the last of these calls ends. */
  ended: Promise<void>;
  end: () => void;
}
let envInUse: EnvInUse | undefined;

/**
 * Sets `env` on process.env for one in-process call (functions read it at request time, also
 * after their first await). Process.env is one per process, so concurrent calls share it only
 * when they want the same settings; a call that wants others waits until those calls have ended.
 */
async function withEnv<T>(env: Env, run: () => Promise<T>): Promise<T> {
  const key = JSON.stringify(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1)));
  while (envInUse && envInUse.key !== key) await envInUse.ended;
  const inUse = envInUse ?? setEnv(key, env);
  envInUse = inUse;
  inUse.calls += 1;
  try {
    return await run();
  } finally {
    inUse.calls -= 1;
    if (inUse.calls === 0) {
      for (const name of Object.keys(process.env)) if (!(name in inUse.saved)) delete process.env[name];
      Object.assign(process.env, inUse.saved);
      envInUse = undefined;
      inUse.end();
    }
  }
}

function setEnv(key: string, env: Env): EnvInUse {
  const saved = { ...process.env };
  for (const name of SETTING_NAMES) delete process.env[name];
  Object.assign(process.env, env);
  let end = () => {};
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  return { key, calls: 0, saved, ended, end };
}

const lambdaHandlers = { payments: lambdaPayments, goals: lambdaGoals, webhooks: lambdaWebhooks, health: lambdaHealth };
const netlifyHandlers = {
  payments: netlifyPayments,
  goals: netlifyGoals,
  webhooks: netlifyWebhooks,
  health: netlifyHealth,
};

/** Lambda invoked with `kind` events. */
export function lambdaPlatform(kind: EventKind): Platform {
  return {
    name: `lambda ${kind}`,
    invoke: (route, request, env, options = {}) =>
      withEnv(env, async () => {
        const event = await toLambdaEvent(kind, request, options.base64);
        const result = await lambdaHandlers[route](event, lambdaContext(options.remainingMs ?? 30_000));
        return fromLambdaResult(result);
      }),
  };
}

const netlify: Platform = {
  name: "netlify",
  invoke: (route, request, env) => withEnv(env, () => netlifyHandlers[route](request)),
};

/**
 * Vercel through `@vercel/node`'s own dev server (Vercel's Node launcher, in a child process).
 * One server per entry file and environment, started on first use and stopped after the file.
 */
const vercelServers = new Map<string, Promise<{ port: number; shutdown: () => Promise<void> }>>();
afterAll(async () => {
  const servers = [...vercelServers.values()];
  vercelServers.clear();
  await Promise.all(servers.map(async (server) => (await server).shutdown()));
});

/**
 * The Vercel child's own output (the functions' log lines) goes to a file rather than into the
 * test run's output: .cache/test-logs/ is where to look when a Vercel case fails. @vercel/node
 * takes NODE_OPTIONS from this process and the rest from `meta.env`; the tap only writes in a
 * process given LOG_TAP_FILE, so other children are unaffected. A leak watch taps on its own.
 */
const logTap = `--import=${new URL("./log-tap.mjs", import.meta.url).href}`;
function vercelLogTap(): Env {
  if (process.env.LOG_TAP_FILE) return {};
  if (!process.env.NODE_OPTIONS?.includes(logTap)) {
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} ${logTap}`.trim();
  }
  mkdirSync(".cache/test-logs", { recursive: true });
  return { LOG_TAP_FILE: resolve(".cache/test-logs", `vercel-${process.pid}.log`) };
}

const vercel: Platform = {
  name: "vercel",
  async invoke(route, request, env) {
    const fullEnv = { ...Object.fromEntries(SETTING_NAMES.map((name) => [name, ""])), ...vercelLogTap(), ...env };
    const key = `${route}\n${JSON.stringify(fullEnv)}`;
    let server = vercelServers.get(key);
    if (!server) {
      server = startDevServer({
        entrypoint: `functions/vercel/${route}.ts`,
        workPath: process.cwd(),
        config: {},
        meta: { isDev: true, env: fullEnv, buildEnv: {} },
        files: {},
      });
      vercelServers.set(key, server);
    }
    const { port } = await server;
    const url = new URL(request.url);
    const body = request.body ? await request.arrayBuffer() : undefined;
    return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      ...(body && { body }),
    });
  },
};

export const lambdaPlatforms: Platform[] = eventKinds.map(lambdaPlatform);
/**
 * Every platform the contract suites run on: the Node ones in `npm test`; the single-entry
 * runtimes (workerd, Deno, Bun) need the platform tools, so `npm run test:platforms` runs the
 * suites on those instead (TEST_RUNTIMES, set in test/platforms/vitest.config.ts).
 */
export const platforms: Platform[] = process.env.TEST_RUNTIMES
  ? runtimePlatforms
  : [...lambdaPlatforms, netlify, vercel];
