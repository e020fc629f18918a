import type { WebhookResult } from "../shared/webhooks/event.ts";
import type { ProviderApi } from "./provider-api.ts";

/** The time span to import: `since` inclusive, `until` exclusive. */
export interface Window {
  since: Date;
  until: Date;
}

/** One object a provider lists (a payment or a refund), mapped exactly as its webhook is. */
export interface Listed {
  kind: "payment" | "refund";
  /** The provider's own id, to name the object in reports (the DataFast transaction_id may differ). */
  id: string;
  /** The shared webhook mapping; throws an HttpError naming the problem when the data cannot be mapped. */
  map(): WebhookResult;
}

/** A provider's list API, as the backfill uses it. */
export interface Source {
  /** Settings that hold its read-only API credential (all required). */
  credentials: readonly string[];
  /** The production API base URL (a shop's own, for Shopify); `<PROVIDER>_API_URL` replaces it (sandboxes, stand-ins). */
  apiUrl(credentials: Readonly<Record<string, string>>): string;
  /** The request headers that authenticate with those credentials. */
  headers(credentials: Readonly<Record<string, string>>): Record<string, string>;
  /** One listing per kind of object, each paging through the window on its own. */
  lists(window: Window, api: ProviderApi): Record<string, AsyncIterable<Listed>>;
}
