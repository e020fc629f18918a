import { handleRequest } from "../../shared/routes.ts";
import { envRuntime } from "../../shared/runtime.ts";

/**
 * Every route on Deno (Deno Deploy, or `deno run` anywhere): settings from `Deno.env`, read once at
 * start as Deno Deploy sets them per deployment. PORT picks the port where one can be chosen.
 */
const env = Deno.env.toObject();
const runtime = envRuntime("deno", env);
Deno.serve({ port: Number(env.PORT || 8000) }, (request) => handleRequest(request, runtime));
