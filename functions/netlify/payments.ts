import type { Config } from "@netlify/functions";
import { handlePayment } from "../../shared/handle-payment.ts";
import { envRuntime } from "../../shared/runtime.ts";

/** `POST /api/payments` on Netlify Functions (v2). */
export default (request: Request) => handlePayment(request, envRuntime("netlify", process.env));

export const config: Config = { path: "/api/payments" };
