import { readBody, WEBHOOK_BODY_LIMIT } from "../body.ts";
import { HttpError } from "../http-error.ts";
import { jsonResponse } from "../json-response.ts";
import { excerpt } from "../log.ts";
import { type Payment, parsePayment } from "../payment.ts";
import { recordPayment, requestDeadline } from "../record.ts";
import { requireMethod } from "../require-method.ts";
import type { Runtime } from "../runtime.ts";
import { serve } from "../serve.ts";
import { goalsEnabled, loadSecrets, positiveInteger, requireSecret } from "../settings.ts";
import { requireUnreadBody } from "../unread-body.ts";
import type { WebhookResult } from "./event.ts";
import { type GoalDraft, paymentGoals } from "./goals.ts";
import { providers } from "./providers.ts";
import { sendGoals } from "./send-goals.ts";
import { DEFAULT_TOLERANCE_SECONDS } from "./verification.ts";

/**
 * `POST /api/webhooks/{provider}`: a payment provider's webhook, verified on the raw body and
 * mapped to a DataFast payment. The provider is the last segment of the path.
 *
 * 200 when recorded or deliberately ignored; 401 when not authentic (nothing forwarded); 400 when
 * authentic but not mappable; 5xx when DataFast did not record it, so the provider retries.
 */
export function handleWebhook(request: Request, runtime: Runtime): Promise<Response> {
  const url = new URL(request.url);
  const name = providerName(url);
  return serve(`webhooks/${name ?? "?"}`, runtime, async (context) => {
    const provider = name !== undefined && Object.hasOwn(providers, name) ? providers[name] : undefined;
    if (!provider || name === undefined) {
      const known = Object.keys(providers).join(", ");
      throw new HttpError(404, `Unknown webhook provider${name ? ` "${name}"` : ""}; known: ${known}`);
    }
    requireMethod(request, "POST");
    const secrets = await loadSecrets(runtime.secrets, requestDeadline(context), [
      provider.secretName,
      ...(provider.otherSecretNames ?? []),
      "DATAFAST_API_KEY",
    ]);
    // Fail closed: without a secret configured nothing is accepted. While rotating, the setting
    // may hold the old and the new secret separated by whitespace.
    const webhookSecrets = requireSecret(secrets, provider.secretName).split(/\s+/).filter(Boolean);
    const policy = {
      toleranceSeconds: positiveInteger(runtime.env, "WEBHOOK_TOLERANCE_SECONDS", DEFAULT_TOLERANCE_SECONDS),
      nowSeconds: Math.floor(Date.now() / 1000),
    };
    requireUnreadBody(request);
    const body = await readBody(request, { maxBytes: WEBHOOK_BODY_LIMIT, deadline: requestDeadline(context) });
    const delivery = { url, headers: request.headers, body };
    const call = {
      env: runtime.env,
      secrets,
      webhookSecrets,
      // Bound: Workers refuse a `fetch` called as another object's method ("Illegal invocation").
      fetch: runtime.fetch ?? fetch.bind(globalThis),
      deadline: requestDeadline(context),
    };
    const goalsOn = goalsEnabled(runtime.env);
    await provider.verify(delivery, webhookSecrets, policy, call);

    const result = await provider.read(delivery, call);
    const event = excerpt(result.event, 100);
    context.log.event = event;
    // Goals only after the payments, and only those of payments DataFast newly recorded.
    const sendGoalsAfter = (recorded: readonly Payment[]) =>
      goalsOn ? sendGoals(goalsToSend(result, recorded), name, secrets, context) : undefined;
    if (result.kind === "ignored") {
      context.log.outcome = "ignored";
      context.log.message = result.reason;
      await sendGoalsAfter([]);
      return jsonResponse(200, { status: "ignored", reason: result.reason });
    }
    // All are checked before any is sent; each is then recorded in turn (a failure answers 5xx and
    // the provider's retry resends them all, which DataFast deduplicates).
    const valid = (result.kind === "payments" ? result.payments : [result.payment]).map((draft) => {
      const parsed = parsePayment(draft);
      if (parsed.ok) return parsed.payment;
      throw new HttpError(400, `Cannot map this ${name} ${event} event to a valid payment`, {
        issues: parsed.issues,
      });
    });
    // Never empty: `payments()` answers ignored rather than an empty list.
    let response!: Response;
    const recorded: Payment[] = [];
    for (const payment of valid) {
      response = await recordPayment(payment, secrets, context);
      if (!response.headers.has("x-datafast-duplicate")) recorded.push(payment);
    }
    await sendGoalsAfter(recorded);
    return response;
  });
}

/**
 * The `{provider}` segment of the path when it can be a provider's name. Anything else is never
 * echoed into an answer or a log line: a mistyped URL can carry a secret (`gumroad;token=…`).
 */
function providerName(url: URL): string | undefined {
  const segment = url.pathname.split("/").filter(Boolean).at(-1) ?? "";
  return /^[a-z0-9-]{1,32}$/.test(segment) ? segment : undefined;
}

/**
 * The goals of a delivery once its payments are settled: each newly recorded payment's own
 * (renewal, refund, trial), then the provider's lifecycle goals, those that follow a payment only
 * when DataFast newly recorded it. A redelivery, whose payments DataFast already holds, sends none
 * of them again.
 */
function goalsToSend(result: WebhookResult, recorded: readonly Payment[]): GoalDraft[] {
  const fresh = new Set(recorded.map((payment) => payment.transaction_id));
  const lifecycle = (result.goals ?? []).filter((draft) => draft.after === undefined || fresh.has(draft.after));
  return [...recorded.flatMap(paymentGoals), ...lifecycle];
}
