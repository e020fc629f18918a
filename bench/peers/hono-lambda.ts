// Peer (b): the same endpoint as a Hono user would write it for AWS Lambda, following Hono's and
// zod's docs: `hono/aws-lambda`, `hono/bearer-auth`, `@hono/zod-validator` with
// `import * as z from "zod"`. Settings come from environment variables (no Secrets Manager), and
// a DataFast failure is passed on as is (no retries, no timeout).
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { bearerAuth } from "hono/bearer-auth";
import * as z from "zod";

const payment = z.strictObject({
  amount: z.number().nonnegative(),
  currency: z.string().length(3),
  transaction_id: z.string().min(1).max(255),
  datafast_visitor_id: z.string().max(255).optional(),
  email: z.string().max(320).optional(),
  name: z.string().max(500).optional(),
  customer_id: z.string().max(255).optional(),
  renewal: z.boolean().optional(),
  refunded: z.boolean().optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
});

const app = new Hono();

app.post(
  "/api/payments",
  bearerAuth({ verifyToken: (token) => token === process.env.PAYMENTS_AUTH_TOKEN }),
  zValidator("json", payment),
  async (c) => {
    const response = await fetch(`${process.env.DATAFAST_API_URL ?? "https://datafa.st/api/v1"}/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${process.env.DATAFAST_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(c.req.valid("json")),
    });
    return c.body(await response.text(), response.status as 200, { "content-type": "application/json" });
  },
);

export const handler = handle(app);
