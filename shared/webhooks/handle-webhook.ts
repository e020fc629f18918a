import { HttpError } from "../http-error.ts";
import type { Runtime } from "../runtime.ts";
import { serve } from "../serve.ts";
import { providers } from "./providers.ts";

/**
 * `POST /api/webhooks/{provider}`: a payment provider's webhook, verified on the raw body and
 * mapped to a DataFast payment. The provider is the last segment of the path.
 */
export function handleWebhook(request: Request, runtime: Runtime): Promise<Response> {
  const name = new URL(request.url).pathname.split("/").filter(Boolean).at(-1) ?? "";
  return serve(`webhooks/${name}`, runtime, async () => {
    const provider = Object.hasOwn(providers, name) ? providers[name] : undefined;
    if (!provider) throw new HttpError(404, `Unknown webhook provider "${name.slice(0, 40)}"`);
    if (request.method !== "POST") {
      throw new HttpError(405, `Method ${request.method} not allowed`, { headers: { allow: "POST" } });
    }
    throw new HttpError(501, `Webhooks from ${name} are not wired yet`);
  });
}
