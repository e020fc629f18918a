import { handleRequest } from "../../shared/routes.ts";
import { envRuntime } from "../../shared/runtime.ts";
import type { Secrets } from "../../shared/settings.ts";

/**
 * Every route on Cloudflare Workers, one Worker. Secrets (`wrangler secret put`) and plain
 * settings (`vars` in wrangler.jsonc) both arrive on `env`.
 */
export default {
  fetch: (request: Request, env: Secrets) => handleRequest(request, envRuntime("cloudflare", env)),
};
