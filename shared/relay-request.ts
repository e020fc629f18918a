import { requireBearer } from "./auth.ts";
import { PAYMENT_BODY_LIMIT, readJson } from "./body.ts";
import { requestDeadline } from "./record.ts";
import { requireMethod } from "./require-method.ts";
import type { RequestContext } from "./serve.ts";
import { loadSecrets, requireSecret, type Secrets } from "./settings.ts";
import { requireUnreadBody } from "./unread-body.ts";

/**
 * What `POST /api/payments` and `POST /api/goals` check before they look at the body's meaning:
 * the method, the secrets, `Authorization: Bearer $PAYMENTS_AUTH_TOKEN`, and a JSON body within
 * the size and time limits. Returns the secrets and the decoded body.
 */
export async function readRelayRequest(
  request: Request,
  context: RequestContext,
): Promise<{ secrets: Secrets; body: unknown }> {
  requireMethod(request, "POST");
  const secrets = await loadSecrets(context.runtime.secrets, requestDeadline(context), [
    "PAYMENTS_AUTH_TOKEN",
    "DATAFAST_API_KEY",
  ]);
  // Fail closed: without a token configured, nobody is let in.
  requireBearer(request, requireSecret(secrets, "PAYMENTS_AUTH_TOKEN"));
  requireUnreadBody(request);
  const body = await readJson(request, { maxBytes: PAYMENT_BODY_LIMIT, deadline: requestDeadline(context) });
  return { secrets, body };
}
