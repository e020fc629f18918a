import { HttpError } from "./http-error.ts";
import { parsePayment } from "./payment.ts";
import { recordPayment } from "./record.ts";
import { readRelayRequest } from "./relay-request.ts";
import type { Runtime } from "./runtime.ts";
import { serve } from "./serve.ts";

/**
 * `POST /api/payments`: a payment in DataFast's own create-payment JSON, from the merchant's
 * backend, authenticated with `Authorization: Bearer $PAYMENTS_AUTH_TOKEN`.
 */
export function handlePayment(request: Request, runtime: Runtime): Promise<Response> {
  return serve("payments", runtime, async (context) => {
    const { secrets, body } = await readRelayRequest(request, context);
    const parsed = parsePayment(body);
    if (!parsed.ok) {
      throw new HttpError(400, "Invalid payment", { issues: parsed.issues });
    }
    return recordPayment(parsed.payment, secrets, context);
  });
}
