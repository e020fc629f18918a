import { consoleLogger, type Logger } from "./log.ts";
import { envSecrets, type SecretStore, type Secrets } from "./settings.ts";

/** What a platform hands the core: where settings come from, how long it may run, where logs go. */
export interface Runtime {
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

/** The runtime of platforms whose secrets are environment variables (Vercel, Netlify, local). */
export function envRuntime(env: Secrets = process.env): Runtime {
  return { env, secrets: envSecrets(env), log: consoleLogger };
}
