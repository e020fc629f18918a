import { requireBearer } from "./auth.ts";
import { PAYMENT_BODY_LIMIT, readJson } from "./body.ts";
import { HttpError } from "./http-error.ts";
import { parsePayment } from "./payment.ts";
import { recordPayment, requestDeadline } from "./record.ts";
import { requireMethod } from "./require-method.ts";
import type { Runtime } from "./runtime.ts";
import { serve } from "./serve.ts";
import { loadSecrets, requireSecret } from "./settings.ts";
import { requireUnreadBody } from "./unread-body.ts";

/**
 * `POST /api/payments`: a payment in DataFast's own create-payment JSON, from the merchant's
 * backend, authenticated with `Authorization: Bearer $PAYMENTS_AUTH_TOKEN`.
 */
export function handlePayment(request: Request, runtime: Runtime): Promise<Response> {
  return serve("payments", runtime, async (context) => {
    requireMethod(request, "POST");
    const secrets = await loadSecrets(runtime.secrets, requestDeadline(context), [
      "PAYMENTS_AUTH_TOKEN",
      "DATAFAST_API_KEY",
    ]);
    // Fail closed: without a token configured, nobody is let in.
    requireBearer(request, requireSecret(secrets, "PAYMENTS_AUTH_TOKEN"));
    requireUnreadBody(request);
    const body = await readJson(request, { maxBytes: PAYMENT_BODY_LIMIT, deadline: requestDeadline(context) });
    const parsed = parsePayment(body);
    if (!parsed.ok) {
      throw new HttpError(400, "Invalid payment", { issues: parsed.issues });
    }
    return recordPayment(parsed.payment, secrets, context);
  });
}
