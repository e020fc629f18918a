import { Paddle } from "@paddle/paddle-node-sdk";
import Razorpay from "razorpay";
import { WebhooksHelper } from "square";
import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { sampleEvents } from "../../dev/webhook-events.ts";
import { nowSeconds, signers } from "../../dev/webhook-signing.ts";
import { providers } from "../../shared/webhooks/providers.ts";
import { paypalSigning, rotated, secrets, settings } from "./cases.ts";

/**
 * The signer `npm run send-webhook` and the tests use is checked twice: by our verifiers and, where
 * the provider publishes one, by the provider's own SDK, so signer and verifier cannot share a
 * misreading of the scheme. Mollie is not here: it signs nothing, and its verification (fetching
 * the payment) is tested in provider-apis.test.ts.
 */
const names = Object.keys(providers).filter((name) => name !== "mollie");

/** What the schemes sign with besides the secret: the test deployment's (see cases.ts). */
const signing = {
  id: "msg_signing_test",
  notificationUrl: settings.SQUARE_WEBHOOK_URL,
  username: settings.CHARGEBEE_WEBHOOK_USERNAME,
  paypal: paypalSigning,
};

function signed(name: string) {
  const provider = providers[name];
  const sign = signers[name];
  const build = sampleEvents[name];
  if (!provider || !sign || !build) throw new Error(`${name} lacks a signer or a sample event`);
  const secret = secrets[provider.secretName as keyof typeof secrets];
  const { body } = build({ kind: "payment", amount: 29.99, currency: "USD" });
  const signature = sign(body, [secret], signing);
  return { provider, secret, body, ...signature };
}

/** Our verifier's verdict on a signed delivery, with the test deployment's settings. */
async function verifyWith(name: string, secret: string) {
  const { provider, body, headers, query } = signed(name);
  const delivery = {
    url: new URL(`https://functions.example/api/webhooks/${name}${query}`),
    headers: new Headers(headers),
    body: Buffer.from(body),
  };
  const context = {
    env: settings,
    secrets: { ...secrets, ...settings },
    webhookSecrets: [secret],
    fetch,
    deadline: Date.now() + 5000,
  };
  return provider.verify(delivery, [secret], { toleranceSeconds: 300, nowSeconds: nowSeconds() }, context);
}

describe.each(names)("the %s signer", (name) => {
  const provider = providers[name];
  const secretName = provider?.secretName as keyof typeof secrets;

  test("is accepted by our verifier", async () => {
    await expect(verifyWith(name, secrets[secretName])).resolves.toBeUndefined();
  });

  test("is refused by our verifier with another secret", async () => {
    await expect(verifyWith(name, rotated[secretName])).rejects.toThrow(/Invalid/);
  });
});

describe("the providers' own SDK verifiers accept our signatures", () => {
  test.each(["standard", "dodo"])("%s: the standardwebhooks library with the whsec_ secret", (name) => {
    const { secret, body, headers } = signed(name);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  test("whop: the standardwebhooks library with btoa(secret), as Whop's SDK passes it", () => {
    const { secret, body, headers } = signed("whop");
    const key = Buffer.from(secret, "utf8").toString("base64");
    expect(new Webhook(key).verify(body, headers)).toMatchObject({ type: "payment.succeeded" });
  });

  test("paddle: Paddle's Node SDK (Webhooks.isSignatureValid and unmarshal)", async () => {
    const { secret, body, headers } = signed("paddle");
    const signature = headers["paddle-signature"] ?? "";
    // The SDK's crypto is wired up by the Paddle client, as in Paddle's docs; it makes no request.
    const { webhooks } = new Paddle("pdl_sdbx_apikey_unused");
    expect(await webhooks.isSignatureValid(body, secret, signature)).toBe(true);
    expect(await webhooks.isSignatureValid(body, "another-secret", signature)).toBe(false);
    expect((await webhooks.unmarshal(body, secret, signature)).eventType).toBe("transaction.completed");
  });

  test("square: Square's WebhooksHelper.verifySignature with the notification URL", async () => {
    const { secret, body, headers } = signed("square");
    const verify = (signatureKey: string) =>
      WebhooksHelper.verifySignature({
        requestBody: body,
        signatureHeader: headers["x-square-hmacsha256-signature"] ?? "",
        signatureKey,
        notificationUrl: settings.SQUARE_WEBHOOK_URL,
      });
    expect(await verify(secret)).toBe(true);
    expect(await verify("another-key")).toBe(false);
  });

  test("razorpay: Razorpay's validateWebhookSignature", () => {
    const { secret, body, headers } = signed("razorpay");
    const signature = headers["x-razorpay-signature"] ?? "";
    expect(Razorpay.validateWebhookSignature(body, signature, secret)).toBe(true);
    expect(Razorpay.validateWebhookSignature(body, signature, "another-secret")).toBe(false);
  });
});
