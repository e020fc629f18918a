import * as z from "zod/mini";
import { HttpError } from "../shared/http-error.ts";
import { isRecord } from "../shared/is-record.ts";
import { issueMessage } from "../shared/issue-messages.ts";
import type { WebhookResult } from "../shared/webhooks/event.ts";
import { ListingError } from "./provider-api.ts";
import type { Listed } from "./source.ts";

/** A page's envelope read with `schema`: one that does not fit is a broken listing, named with its problems. */
export function readPage<Schema extends z.ZodMiniType>(schema: Schema, body: unknown, where: string): z.infer<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => issueMessage(issue, body, { at: ["page"] }));
  throw new ListingError(`${where} answered a page of unexpected shape (${problems.join("; ").slice(0, 300)})`);
}

/** The id of a listed item as text, read leniently: a malformed item must still be named in the report. */
export function idOf(item: unknown, field: string, fallback: string): string {
  const value = isRecord(item) ? item[field] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value) : fallback;
}

/** A listed object whose mapping cannot even start (its related data could not be fetched). */
export function unmappableListed(kind: Listed["kind"], id: string, reason: string): Listed {
  return {
    kind,
    id,
    map: (): WebhookResult => {
      throw new HttpError(502, reason);
    },
  };
}

export const itemList = z.array(z.unknown());
