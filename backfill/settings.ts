import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/** A setting is missing or malformed: named, never echoed. */
export class SettingsError extends Error {}

export type Env = Readonly<Record<string, string | undefined>>;

/** The environment, over the `.env` file in `directory` when there is one (the environment wins). */
export function loadEnv(directory: string, environment: Env): Env {
  const file = `${directory}/.env`;
  return { ...(existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {}), ...environment };
}

/** Reads required settings by name; every missing one is named (never a value) in one error. */
export function requireSettings(env: Env, names: readonly string[]): Record<string, string> {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new SettingsError(`Set ${missing.join(" and ")} (in the environment or .env)`);
  return Object.fromEntries(names.map((name) => [name, env[name] as string]));
}

/** `<PROVIDER>_API_URL` when set (a sandbox, a stand-in), else the provider's production API. */
export function providerApiUrl(env: Env, provider: string, fallback: string): string {
  const name = `${provider.toUpperCase()}_API_URL`;
  const url = env[name] || fallback;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new SettingsError(`${name} is not an http(s) URL`);
  return url;
}
