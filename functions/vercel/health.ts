import { handleHealth } from "../../shared/handle-health.ts";
import { envRuntime } from "../../shared/runtime.ts";

/** `GET /api/health` on Vercel (Node.js runtime, Web handler). */
export default {
  fetch: (request: Request) => handleHealth(request, envRuntime("vercel", process.env)),
};
