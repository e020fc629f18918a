import { chargebee } from "./chargebee.ts";
import { creem } from "./creem.ts";
import { dodo } from "./dodo.ts";
import type { WebhookResult } from "./event.ts";
import { fastspring } from "./fastspring.ts";
import { gumroad } from "./gumroad.ts";
import { mollie } from "./mollie.ts";
import { paddle } from "./paddle.ts";
import { paypal } from "./paypal.ts";
import { paystack } from "./paystack.ts";
import type { ProviderSettings, providerSettings } from "./provider-settings.ts";
import { razorpay } from "./razorpay.ts";
import { revenuecat } from "./revenuecat.ts";
import { shopify } from "./shopify.ts";
import { square } from "./square.ts";
import { standard } from "./standard.ts";
import type { ProviderContext, Verify, WebhookRequest } from "./verification.ts";
import { whop } from "./whop.ts";

/** A payment provider whose webhooks can be recorded: its settings (from provider-settings.ts) and its code. */
export interface WebhookProvider extends ProviderSettings {
  /** Authenticates the raw request; throws a 401 unless it is genuine and fresh. */
  verify: Verify;
  /** Reads a verified delivery: the payment(s) it stands for, or why it is not one. */
  read(request: WebhookRequest, context: ProviderContext): WebhookResult | Promise<WebhookResult>;
}

/** Every provider, by the `{provider}` segment of `/api/webhooks/{provider}`: those of the settings table. */
export const providers: Record<string, WebhookProvider> = {
  standard,
  dodo,
  whop,
  paddle,
  creem,
  shopify,
  razorpay,
  paystack,
  gumroad,
  revenuecat,
  paypal,
  mollie,
  chargebee,
  fastspring,
  square,
} satisfies Record<keyof typeof providerSettings, WebhookProvider>;
