import type { Config } from "@netlify/functions";
import { handleHealth } from "../../shared/handle-health.ts";
import { envRuntime } from "../../shared/runtime.ts";

/** `GET /api/health` on Netlify Functions (v2). */
export default (request: Request) => handleHealth(request, envRuntime("netlify", process.env));

export const config: Config = { path: "/api/health" };
