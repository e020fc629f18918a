import { sendGoal } from "./datafast.ts";
import type { Goal } from "./goal.ts";
import { answer, dataFastSender } from "./record.ts";
import type { RequestContext } from "./serve.ts";
import type { Secrets } from "./settings.ts";

/**
 * Records a valid goal in DataFast and answers for it: 2xx only when DataFast confirmed it with its
 * success answer. A goal DataFast refuses (404: a visitor without a pageview; 400: a bot) is a 422
 * with DataFast's message, as a refused payment is; the visitor id is the goal's whole point, so
 * there is no unattributed retry.
 */
export async function recordGoal(goal: Goal, secrets: Secrets, context: RequestContext): Promise<Response> {
  const { log } = context;
  log.goal = goal.name;
  const sender = dataFastSender(secrets, context);
  const outcome = await sender.send(sendGoal, goal);
  log.outcome = outcome.kind;
  return answer(outcome, sender.attempts(), {
    duplicate: { message: "DataFast already holds this goal", name: goal.name },
  });
}
