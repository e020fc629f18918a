import { parseGoal } from "./goal.ts";
import { HttpError } from "./http-error.ts";
import { recordGoal } from "./record-goal.ts";
import { readRelayRequest } from "./relay-request.ts";
import type { Runtime } from "./runtime.ts";
import { serve } from "./serve.ts";

/**
 * `POST /api/goals`: a goal in DataFast's own create-goal JSON, from the merchant's backend (a
 * signup, an upgrade), authenticated like `/api/payments` with `Authorization: Bearer
 * $PAYMENTS_AUTH_TOKEN`.
 */
export function handleGoal(request: Request, runtime: Runtime): Promise<Response> {
  return serve("goals", runtime, async (context) => {
    const { secrets, body } = await readRelayRequest(request, context);
    const parsed = parseGoal(body);
    if (!parsed.ok) {
      throw new HttpError(400, "Invalid goal", { issues: parsed.issues });
    }
    return recordGoal(parsed.goal, secrets, context);
  });
}
