import { handleWebhook } from "../../shared/webhooks/handle-webhook.ts";
import { lambdaHandler } from "./runtime.ts";

/** `POST /api/webhooks/{provider}` on AWS Lambda. Handler string: `functions/lambda/webhooks.handler`. */
export const handler = lambdaHandler("webhooks", handleWebhook);
