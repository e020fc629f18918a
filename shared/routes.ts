import { handleGoal } from "./handle-goal.ts";
import { handleHealth } from "./handle-health.ts";
import { handlePayment } from "./handle-payment.ts";
import { errorResponse } from "./json-response.ts";
import type { Route, Runtime } from "./runtime.ts";
import { handleWebhook } from "./webhooks/handle-webhook.ts";

/**
 * Every route the functions serve, by name and path (`:segment` matches one path segment). A
 * platform with one entry for all of them (a Worker, Deno, Bun) dispatches here with
 * `handleRequest`; Lambda, Vercel and Netlify give each route its own function.
 */
const routes = {
  payments: { path: "/api/payments", handle: handlePayment },
  goals: { path: "/api/goals", handle: handleGoal },
  webhooks: { path: "/api/webhooks/:provider", handle: handleWebhook },
  health: { path: "/api/health", handle: handleHealth },
} satisfies Record<string, { path: string; handle: Route }>;

export type RouteName = keyof typeof routes;

const matchers = Object.entries(routes).map(([name, { path }]) => ({
  name: name as RouteName,
  pattern: new RegExp(`^${path.replace(/:\w+/g, "[^/]+")}$`),
}));

/** The route `pathname` names, if any. */
export function routeNamed(pathname: string): RouteName | undefined {
  return matchers.find(({ pattern }) => pattern.test(pathname))?.name;
}

// The path is not echoed: a mistyped webhook URL can carry a secret (Gumroad's token).
export const NO_ROUTE = "No route here: try /api/payments, /api/goals or /api/webhooks/{provider}";

/** One request to whichever route its path names; 404 in the JSON envelope when none. */
export async function handleRequest(request: Request, runtime: Runtime): Promise<Response> {
  const name = routeNamed(new URL(request.url).pathname);
  return name ? routes[name].handle(request, runtime) : errorResponse(404, NO_ROUTE);
}
