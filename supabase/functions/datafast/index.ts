import { handleRequest } from "../../../shared/routes.ts";
import { envRuntime } from "../../../shared/runtime.ts";

/**
 * Every route as one Supabase Edge Function named `datafast`: a provider posts to
 * https://<project>.supabase.co/functions/v1/datafast/api/webhooks/{provider}. The function sees
 * that path from its name on (`/datafast/api/...`; with `/functions/v1` in front where a gateway
 * passes the whole path); what follows the name is the route. Settings from `supabase secrets set`.
 */
const FUNCTION_PREFIX = /^(?:\/functions\/v1)?\/datafast(?=\/)/;

const env = Deno.env.toObject();
const runtime = envRuntime("supabase", env);
Deno.serve({ port: Number(env.PORT || 8000) }, (request) => {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(FUNCTION_PREFIX, "");
  // The original's signal stays behind: Deno warns when a copied request reads it.
  const { method, headers, body } = request;
  return handleRequest(new Request(url, { method, headers, body, duplex: "half" }), runtime);
});
