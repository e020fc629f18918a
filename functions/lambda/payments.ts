import { handlePayment } from "../../shared/handle-payment.ts";
import { lambdaHandler } from "./runtime.ts";

/** `POST /api/payments` on AWS Lambda. Handler string: `functions/lambda/payments.handler`. */
export const handler = lambdaHandler("payments", handlePayment);
