import { sendGoal } from "../datafast.ts";
import { requestDeadline } from "../record.ts";
import type { RequestContext } from "../serve.ts";
import { readDataFastSettings, type Secrets } from "../settings.ts";
import { type GoalDraft, goalMetadata } from "./goals.ts";

/**
 * How long goals may hold up a webhook's answer, whatever the request's budget. The payment is
 * already settled; a provider that gives up waiting redelivers, and its goal-only events would then
 * send their goals again.
 */
const GOAL_BUDGET_MS = 2000;

/**
 * Sends a delivery's goals to DataFast once its payments are settled, and logs what became of each
 * (`goals`: "name outcome, …"). It never throws and never changes the answer: the payment decided
 * that. DataFast may not deduplicate goals, so a goal is never the reason for a 5xx that would make
 * the provider redeliver (and the goal be sent again); a goal DataFast refuses (a visitor without a
 * pageview, a bot) or fails to take in time is logged and dropped.
 */
export async function sendGoals(
  drafts: readonly GoalDraft[],
  provider: string,
  secrets: Secrets,
  context: RequestContext,
): Promise<void> {
  if (drafts.length === 0) return;
  const outcomes = await Promise.all(drafts.map((draft) => sendOne(draft, provider, secrets, context)));
  context.log.goals = outcomes.join(", ");
}

async function sendOne(draft: GoalDraft, provider: string, secrets: Secrets, context: RequestContext): Promise<string> {
  try {
    // Valid by construction: a name of the fixed set, fixed metadata keys, values cut to DataFast's
    // 255 characters, a visitor id that is never blank.
    const goal = {
      datafast_visitor_id: draft.datafast_visitor_id,
      name: draft.name,
      metadata: goalMetadata(provider, draft.facts),
    };
    const apiKey = secrets.DATAFAST_API_KEY;
    if (!apiKey) return `${draft.name} failed (DATAFAST_API_KEY is not set)`;
    const { runtime } = context;
    const outcome = await sendGoal(goal, {
      ...readDataFastSettings(runtime.env),
      apiKey,
      deadline: Math.min(requestDeadline(context), Date.now() + GOAL_BUDGET_MS),
      ...(runtime.fetch && { fetch: runtime.fetch }),
    });
    const status = "status" in outcome && outcome.status !== undefined ? ` ${outcome.status}` : "";
    return `${draft.name} ${outcome.kind}${status}`;
  } catch (error) {
    return `${draft.name} failed (${error instanceof Error ? error.message : String(error)})`;
  }
}
