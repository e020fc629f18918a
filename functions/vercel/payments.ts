import { handlePayment } from "../../shared/handle-payment.ts";
import { envRuntime } from "../../shared/runtime.ts";

/** `POST /api/payments` on Vercel (Node.js runtime, Web handler: every method reaches it). */
export default {
  fetch: (request: Request) => handlePayment(request, envRuntime("vercel", process.env)),
};
