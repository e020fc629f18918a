import { Paddle } from "@paddle/paddle-node-sdk";
import Razorpay from "razorpay";
import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { sampleEvents } from "../../dev/webhook-events.ts";
import { nowSeconds, signers } from "../../dev/webhook-signing.ts";
import { providers } from "../../shared/webhooks/providers.ts";
import { rotated, secrets } from "./cases.ts";

/**
 * The signer `npm run send-webhook` and the tests use is checked twice: by our verifiers and, where
 * the provider publishes one, by the provider's own SDK, so signer and verifier cannot share a
 * misreading of the scheme.
 */
const names = Object.keys(providers);

function signed(name: string) {
  const provider = providers[name];
  const sign = signers[name];
  const build = sampleEvents[name];
  if (!provider || !sign || !build) throw new Error(`${name} lacks a signer or a sample event`);
  const secret = secrets[provider.secretName as keyof typeof secrets];
  const { body } = build({ kind: "payment", amount: 29.99, currency: "USD" });
  const signature = sign(body, [secret], { id: "msg_signing_test" });
  return { provider, secret, body, ...signature };
}

describe.each(names)("the %s signer", (name) => {
  test("is accepted by our verifier", () => {
    const { provider, secret, body, headers, query } = signed(name);
    const delivery = {
      url: new URL(`https://functions.example/api/webhooks/${name}${query}`),
      headers: new Headers(headers),
      body: Buffer.from(body),
    };
    expect(() =>
      provider.verify(delivery, [secret], { toleranceSeconds: 300, nowSeconds: nowSeconds() }),
    ).not.toThrow();
  });

  test("is refused by our verifier with another secret", () => {
    const { provider, body, headers, query } = signed(name);
    const another = rotated[provider.secretName as keyof typeof rotated];
    const delivery = {
      url: new URL(`https://functions.example/api/webhooks/${name}${query}`),
      headers: new Headers(headers),
      body: Buffer.from(body),
    };
    expect(() => provider.verify(delivery, [another], { toleranceSeconds: 300, nowSeconds: nowSeconds() })).toThrow(
      /Invalid/,
    );
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

  test("razorpay: Razorpay's validateWebhookSignature", () => {
    const { secret, body, headers } = signed("razorpay");
    const signature = headers["x-razorpay-signature"] ?? "";
    expect(Razorpay.validateWebhookSignature(body, signature, secret)).toBe(true);
    expect(Razorpay.validateWebhookSignature(body, signature, "another-secret")).toBe(false);
  });
});
