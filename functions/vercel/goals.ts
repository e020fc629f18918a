import { handleGoal } from "../../shared/handle-goal.ts";
import { envRuntime } from "../../shared/runtime.ts";

/** `POST /api/goals` on Vercel (Node.js runtime, Web handler: every method reaches it). */
export default {
  fetch: (request: Request) => handleGoal(request, envRuntime("vercel", process.env)),
};
