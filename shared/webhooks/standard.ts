import { parseJson } from "../body.ts";
import { providerSettings } from "./provider-settings.ts";
import type { WebhookProvider } from "./providers.ts";
import { verifyStandardWebhook } from "./standard-webhooks-signature.ts";

/**
 * Any backend that signs DataFast's own payment JSON (the body of /api/payments) with a
 * Standard Webhooks secret instead of sending a bearer token. The body is the payment.
 */
export const standard: WebhookProvider = {
  ...providerSettings.standard,
  verify: verifyStandardWebhook(providerSettings.standard.secretName, "whsec"),
  read: ({ body }) => ({ kind: "payment", event: "payment", payment: parseJson(body) }),
};
