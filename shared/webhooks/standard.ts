import { parseJson } from "../body.ts";
import type { WebhookProvider } from "./providers.ts";
import { verifyStandardWebhook } from "./standard-webhooks-signature.ts";

/**
 * Any backend that signs DataFast's own payment JSON (the body of /api/payments) with a
 * Standard Webhooks secret instead of sending a bearer token. The body is the payment.
 */
export const standard: WebhookProvider = {
  secretName: "STANDARD_WEBHOOK_SECRET",
  verify: verifyStandardWebhook("STANDARD_WEBHOOK_SECRET", "whsec"),
  read: ({ body }) => ({ kind: "payment", event: "payment", payment: parseJson(body) }),
};
