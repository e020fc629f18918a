import { handleGoal } from "../../shared/handle-goal.ts";
import { lambdaHandler } from "./runtime.ts";

/** `POST /api/goals` on AWS Lambda. Handler string: `functions/lambda/goals.handler`. */
export const handler = lambdaHandler("goals", handleGoal);
