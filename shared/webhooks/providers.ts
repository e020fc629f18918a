/** A payment provider whose webhooks can be recorded. */
export interface WebhookProvider {
  /** The setting (env var / Lambda secret key) that holds this provider's webhook secret. */
  secretName: string;
}

/** Every provider, by the `{provider}` segment of `/api/webhooks/{provider}`. */
export const providers: Record<string, WebhookProvider> = {};
