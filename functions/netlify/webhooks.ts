import type { Config } from "@netlify/functions";
import { envRuntime } from "../../shared/runtime.ts";
import { handleWebhook } from "../../shared/webhooks/handle-webhook.ts";

/** `POST /api/webhooks/{provider}` on Netlify Functions (v2). */
export default (request: Request) => handleWebhook(request, envRuntime("netlify", process.env));

export const config: Config = { path: "/api/webhooks/:provider" };
