/** The settings a provider's webhooks are verified with, by name: never their values. */
export interface ProviderSettings {
  /** The setting (env var / Lambda secret key) that holds this provider's webhook secret. */
  secretName: string;
  /** Further secret settings it needs (Chargebee's username), loaded and guarded like `secretName`. */
  otherSecretNames?: readonly string[];
  /** Plain settings it cannot verify without (Square's SQUARE_WEBHOOK_URL). */
  requiredSettings?: readonly string[];
}

/**
 * Every provider's settings, by the `{provider}` segment of `/api/webhooks/{provider}`: the one
 * place their names are written. Kept apart from the providers' code and schemas so that the
 * health route can tell which providers are configured without loading any of them.
 */
export const providerSettings = {
  standard: { secretName: "STANDARD_WEBHOOK_SECRET" },
  dodo: { secretName: "DODO_WEBHOOK_SECRET" },
  whop: { secretName: "WHOP_WEBHOOK_SECRET" },
  paddle: { secretName: "PADDLE_WEBHOOK_SECRET" },
  creem: { secretName: "CREEM_WEBHOOK_SECRET" },
  shopify: { secretName: "SHOPIFY_WEBHOOK_SECRET" },
  razorpay: { secretName: "RAZORPAY_WEBHOOK_SECRET" },
  paystack: { secretName: "PAYSTACK_SECRET_KEY" },
  gumroad: { secretName: "GUMROAD_WEBHOOK_TOKEN" },
  revenuecat: { secretName: "REVENUECAT_WEBHOOK_AUTH" },
  paypal: { secretName: "PAYPAL_WEBHOOK_ID" },
  mollie: { secretName: "MOLLIE_API_KEY" },
  chargebee: { secretName: "CHARGEBEE_WEBHOOK_PASSWORD", otherSecretNames: ["CHARGEBEE_WEBHOOK_USERNAME"] },
  fastspring: { secretName: "FASTSPRING_WEBHOOK_SECRET" },
  square: { secretName: "SQUARE_WEBHOOK_SIGNATURE_KEY", requiredSettings: ["SQUARE_WEBHOOK_URL"] },
} as const satisfies Record<string, ProviderSettings>;
