import { HttpError } from "../http-error.ts";
import { excerpt } from "../log.ts";
import type { Payment } from "../payment.ts";
import { ignored, type WebhookResult } from "./event.ts";

/**
 * The goals a provider's lifecycle events become. DataFast's native integrations name four of
 * them (its visitor API lists `trial_started`, `subscription_started`, `subscription_renewed` and
 * `subscription_ended` among "automatic payment-provider goals"); the others are this project's,
 * in DataFast's goal-name alphabet.
 */
export type LifecycleGoalName =
  | "trial_started"
  | "subscription_started"
  | "subscription_renewed"
  | "subscription_cancelled"
  | "subscription_ended"
  | "payment_failed"
  | "payment_refunded"
  | "dispute_opened";

/** What a goal tells besides its name. A fixed set of keys: no email can get in. */
type GoalFacts = Partial<
  Record<
    "plan" | "amount" | "currency" | "transaction_id" | "subscription_id" | "reason",
    string | number | null | undefined
  >
>;

/** A goal a verified event stands for, before the webhook route sends it. */
export interface GoalDraft {
  name: LifecycleGoalName;
  datafast_visitor_id: string;
  facts: GoalFacts;
  /**
   * The transaction_id of the payment in the same delivery this goal follows: it is sent only when
   * DataFast newly recorded that payment, so a redelivery (answered as a duplicate) sends no goal
   * a second time.
   */
  after?: string;
}

/** A lifecycle goal of the visitor `visitorId` (none without one, or a blank one: DataFast needs the visitor). */
export function goal(
  name: LifecycleGoalName,
  visitorId: string | undefined,
  facts: GoalFacts = {},
): GoalDraft | undefined {
  return visitorId?.trim() ? { name, datafast_visitor_id: visitorId, facts } : undefined;
}

/** `result` with these goals (those without a visitor dropped); a payment's goals follow that payment. */
export function withGoals(result: WebhookResult, ...goals: Array<GoalDraft | undefined>): WebhookResult {
  const after = result.kind === "payment" ? paymentId(result.payment) : undefined;
  const drafts = goals.filter((draft) => draft !== undefined).map((draft) => ({ ...draft, ...(after && { after }) }));
  return drafts.length === 0 ? result : { ...result, goals: [...(result.goals ?? []), ...drafts] };
}

/**
 * An event that moves no money but is a step of a subscription: answered as ignored, with the goal
 * `read` finds. A payload that lacks what the goal needs gives no goal, never a 400: a goal must
 * not fail a delivery the provider would then retry for days.
 */
export function goalOnly(event: string, reason: string, read: () => GoalDraft | undefined): WebhookResult {
  return withGoals(ignored(event, reason), optionalGoal(read));
}

/** The goal `read` finds, or none when the payload lacks what it needs (a 400 of the mapping). */
export function optionalGoal(read: () => GoalDraft | undefined): GoalDraft | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) return undefined;
    throw error;
  }
}

function paymentId(payment: unknown): string | undefined {
  const id = (payment as { transaction_id?: unknown } | null)?.transaction_id;
  return typeof id === "string" ? id : undefined;
}

/**
 * The goals every recorded payment says by itself, whatever the provider: a renewal, a refund, a
 * free trial. Providers add only what their payments do not say (a subscription started, ended…).
 */
export function paymentGoals(payment: Payment): GoalDraft[] {
  const name: LifecycleGoalName | undefined = payment.refunded
    ? "payment_refunded"
    : payment.renewal
      ? "subscription_renewed"
      : payment.is_free_trial
        ? "trial_started"
        : undefined;
  const draft =
    name &&
    goal(name, payment.datafast_visitor_id, {
      amount: payment.amount,
      currency: payment.currency,
      transaction_id: payment.transaction_id,
    });
  return draft ? [{ ...draft, after: payment.transaction_id }] : [];
}

/** DataFast's metadata for a goal: strings of at most 255 characters, blanks dropped, emails masked. */
export function goalMetadata(provider: string, facts: GoalFacts): Record<string, string> {
  const entries = Object.entries({ provider, ...facts })
    .filter(([, value]) => value != null && String(value).trim() !== "")
    // Currencies as DataFast's payments have them: upper case.
    .map(([key, value]) => [key, excerpt(key === "currency" ? String(value).toUpperCase() : String(value), 254)]);
  return Object.fromEntries(entries);
}
