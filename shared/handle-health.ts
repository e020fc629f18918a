import { hasBearer } from "./auth.ts";
import { jsonResponse } from "./json-response.ts";
import { requestDeadline } from "./record.ts";
import { requireMethod } from "./require-method.ts";
import type { Runtime } from "./runtime.ts";
import { serve } from "./serve.ts";
import { goalsEnabled, loadSecrets, readDataFastSettings, type Secrets } from "./settings.ts";
import { VERSION } from "./version.ts";
import { type ProviderSettings, providerSettings } from "./webhooks/provider-settings.ts";

/** What every function needs to record a payment. */
const REQUIRED = ["DATAFAST_API_KEY", "PAYMENTS_AUTH_TOKEN"] as const;
/** Plain settings reported as present or missing; their defaults apply when missing. */
const OPTIONAL = [
  "DATAFAST_WEBSITE_ID",
  "DATAFAST_API_URL",
  "DATAFAST_TIMEOUT_MS",
  "DATAFAST_GOALS",
  "WEBHOOK_TOLERANCE_SECONDS",
];

/**
 * `GET /api/health`: 200 when this deployment can record payments (its secrets load and the
 * required ones are set, the plain settings parse), 503 when it cannot. Anonymous callers get only
 * `{"status":"ok"|"error"}`; a caller with the payments bearer token also gets which settings are
 * present or missing, which webhook providers are configured, the platform and the version.
 * Never a value: names and "present" / "missing" only.
 */
export function handleHealth(request: Request, runtime: Runtime): Promise<Response> {
  return serve("health", runtime, async (context) => {
    requireMethod(request, "GET", "HEAD");
    const problems: string[] = [];
    let secrets: Secrets = {};
    try {
      readDataFastSettings(runtime.env);
      goalsEnabled(runtime.env);
      secrets = await loadSecrets(runtime.secrets, requestDeadline(context), REQUIRED);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
    const missing = REQUIRED.filter((name) => !secrets[name]);
    if (missing.length > 0) problems.push(`Missing ${missing.join(", ")}`);
    const ok = problems.length === 0;
    context.log.outcome = ok ? "healthy" : "unhealthy";
    if (!ok) context.log.message = problems.join("; ");

    const status = ok ? "ok" : "error";
    const token = secrets.PAYMENTS_AUTH_TOKEN;
    const body =
      token && hasBearer(request, token)
        ? {
            status,
            platform: runtime.platform,
            version: VERSION,
            settings: Object.fromEntries(
              [
                ...REQUIRED.map((name) => [name, secrets[name]]),
                ...OPTIONAL.map((name) => [name, runtime.env[name]]),
              ].map(([name, value]) => [name, value ? "present" : "missing"]),
            ),
            providers: Object.fromEntries(
              Object.entries(providerSettings).map(([name, settings]) => {
                const missing = missingSettings(settings, secrets, runtime.env);
                return [name, missing.length === 0 ? "configured" : `not configured (${missing.join(", ")})`];
              }),
            ),
            ...(problems.length > 0 && { problems }),
          }
        : { status };
    return jsonResponse(ok ? 200 : 503, body, { "cache-control": "no-store" });
  });
}

/** The settings a provider needs that are not set: its secret, Chargebee's username, Square's URL. */
function missingSettings(settings: ProviderSettings, secrets: Secrets, env: Secrets): string[] {
  const { secretName, otherSecretNames = [], requiredSettings = [] } = settings;
  return [
    ...[secretName, ...otherSecretNames].filter((name) => !secrets[name]),
    ...requiredSettings.filter((name) => !env[name]),
  ];
}
