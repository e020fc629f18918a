import { existsSync } from "node:fs";

/**
 * Reads `.env` from the current folder into process.env when there is one (see .env.example).
 * Node (20.12+) parses it; a variable already set in the environment keeps its value.
 */
export function loadEnvFile(file = ".env"): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
