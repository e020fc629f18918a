import { envRuntime } from "../../shared/runtime.ts";
import { handleWebhook } from "../../shared/webhooks/handle-webhook.ts";

/** `POST /api/webhooks/{provider}` on Vercel (Node.js runtime, Web handler). */
export default {
  fetch: (request: Request) => handleWebhook(request, envRuntime("vercel", process.env)),
};
