import { consoleLogger, type Logger } from "./log.ts";
import { envSecrets, type SecretStore, type Secrets } from "./settings.ts";

/** What a platform hands the core: where settings come from, how long it may run, where logs go. */
export interface Runtime {
  /** Where it runs (lambda, vercel, netlify): named in every log line and in /api/health. */
  platform: string;
  /** Plain settings (environment variables). */
  env: Secrets;
  secrets: SecretStore;
  /** Milliseconds the platform still grants this invocation, safety margin already taken off. */
  remainingMs?: () => number;
  log: Logger;
  fetch?: typeof fetch;
}

/** A core request handler: a Web `Request` in, a `Response` out. */
export type Route = (request: Request, runtime: Runtime) => Promise<Response>;

/**
 * The runtime of platforms whose secrets are environment variables (Vercel, Netlify, local). The
 * platform hands over its `env`: the core reads no global (a Worker has no `process`).
 */
export function envRuntime(platform: string, env: Secrets): Runtime {
  return { platform, env, secrets: envSecrets(env), log: consoleLogger };
}
