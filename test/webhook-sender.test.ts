import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { WebhooksHelper } from "square";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sendSampleWebhook } from "../dev/webhook-sender.ts";
import { freePort } from "./support/net.ts";

/** What `npm run send-webhook --url` sends a deployment: a loopback server records each delivery. */
const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
const deployment = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  received.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
  res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => deployment.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(deployment.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => deployment.close(() => resolve())));

const send = (provider: string, url: string, env: NodeJS.ProcessEnv) =>
  sendSampleWebhook({ provider, url, kind: "payment", amount: 29.99, currency: "USD", env });

describe("npm run send-webhook against a deployment", () => {
  test.each([
    ["paypal", /PayPal signs with its own private key.*webhooks simulator/],
    ["mollie", /Mollie signs nothing.*test-mode payment/],
  ])("explains, sending nothing, why %s cannot be sent a sample", async (provider, reason) => {
    // Nothing listens there: an attempt to send would fail otherwise.
    const url = `http://127.0.0.1:${await freePort()}`;
    await expect(send(provider, url, { PAYPAL_WEBHOOK_ID: "WH1", MOLLIE_API_KEY: "live_x" })).rejects.toThrow(reason);
  });

  test("signs Square's SQUARE_WEBHOOK_URL when set (the URL Square was given), else the URL it posts to", async () => {
    const key = "sq_sig_sender_test";
    const registered = "https://shop.example/api/webhooks/square";
    for (const [env, signedUrl] of [
      [{ SQUARE_WEBHOOK_SIGNATURE_KEY: key, SQUARE_WEBHOOK_URL: registered }, registered],
      [{ SQUARE_WEBHOOK_SIGNATURE_KEY: key }, `${base}/api/webhooks/square`],
    ] as const) {
      expect((await send("square", base, env)).status).toBe(200);
      const delivery = received.at(-1);
      const valid = await WebhooksHelper.verifySignature({
        requestBody: delivery?.body ?? "",
        signatureHeader: String(delivery?.headers["x-square-hmacsha256-signature"]),
        signatureKey: key,
        notificationUrl: signedUrl,
      });
      expect(valid).toBe(true);
    }
  });

  test("sends Chargebee's Basic credentials, and names the username when it is not set", async () => {
    const env = { CHARGEBEE_WEBHOOK_USERNAME: "cb_user", CHARGEBEE_WEBHOOK_PASSWORD: "cb_password_1" };
    expect((await send("chargebee", base, env)).status).toBe(200);
    expect(received.at(-1)?.headers.authorization).toBe(`Basic ${btoa("cb_user:cb_password_1")}`);
    await expect(send("chargebee", base, { CHARGEBEE_WEBHOOK_PASSWORD: "cb_password_1" })).rejects.toThrow(
      "Set CHARGEBEE_WEBHOOK_USERNAME",
    );
  });
});
