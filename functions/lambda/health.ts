import { handleHealth } from "../../shared/handle-health.ts";
import { lambdaHandler } from "./runtime.ts";

/** `GET /api/health` on AWS Lambda. Handler string: `functions/lambda/health.handler`. */
export const handler = lambdaHandler("health", handleHealth);
