import { handleRequest } from "../../shared/routes.ts";
import { envRuntime } from "../../shared/runtime.ts";

/**
 * Every route on Bun (self-hosted, Fly.io, Railway, Render): settings from the environment.
 * `Bun.serve` listens on PORT (3000 when unset).
 */
const runtime = envRuntime("bun", Bun.env);
Bun.serve({ fetch: (request) => handleRequest(request, runtime) });
