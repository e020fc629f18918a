import type { Config } from "@netlify/functions";
import { handleGoal } from "../../shared/handle-goal.ts";
import { envRuntime } from "../../shared/runtime.ts";

/** `POST /api/goals` on Netlify Functions (v2). */
export default (request: Request) => handleGoal(request, envRuntime("netlify", process.env));

export const config: Config = { path: "/api/goals" };
