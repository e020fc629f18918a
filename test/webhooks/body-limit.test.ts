import { describe, expect, test } from "vitest";
import { WEBHOOK_BODY_LIMIT } from "../../shared/body.ts";
import { configuredEnv, errorOf, useDataFast } from "../support/payments.ts";
import { platforms } from "../support/platforms.ts";
import { type ProviderCase, providerCases, secrets } from "./cases.ts";

/**
 * Real deliveries outgrow 64 KiB (an order with many line items), and a provider resends a
 * refused delivery unchanged: refusing one loses the payment for good. Webhooks accept 1 MiB on
 * every platform, Lambda's base64-encoded bodies included.
 */
const dataFast = useDataFast();

const caseOf = (name: string): ProviderCase => {
  const found = providerCases.find((each) => each.provider === name);
  if (!found) throw new Error(`no case for ${name}`);
  return found;
};

/** The provider's payment with `count` line items added at the top level, as a big order has. */
function withLineItems(provider: ProviderCase, count: number): string {
  const items = Array.from({ length: count }, (_, index) => ({
    id: 866550311766439000 + index,
    title: `Line item ${index} with a descriptive product title`,
    sku: `SKU-${String(index).padStart(6, "0")}`,
    quantity: 1,
    price: "0.10",
    properties: [{ name: "engraving", value: "A gift for someone special, engraved by hand" }],
  }));
  // Spliced into the text: the bodies carry integers past 2^53 that a JSON round trip would change.
  return provider.payment.body.replace(/}\s*$/, `,"line_items":${JSON.stringify(items)}}`);
}

/** JSON followed by whitespace (still the same JSON) up to exactly `bytes`. */
const padTo = (body: string, bytes: number) => body + " ".repeat(bytes - Buffer.byteLength(body));

describe.each(platforms)("webhook body limit on $name", (platform) => {
  const encodings = platform.name.startsWith("lambda") ? [false, true] : [false];
  const invoke = (request: Request, base64: boolean) =>
    platform.invoke("webhooks", request, configuredEnv(dataFast(), secrets), { base64 });

  describe.each(encodings)("base64: %s", (base64) => {
    test.each(["shopify", "creem"])("records a correctly signed %s payment over 64 KiB", async (name) => {
      const provider = caseOf(name);
      const body = withLineItems(provider, 400);
      expect(Buffer.byteLength(body)).toBeGreaterThan(64 * 1024);
      const response = await invoke(provider.request(body, provider.payment.headers), base64);
      expect(response.status).toBe(200);
      const id = String(provider.payment.expected.transaction_id);
      expect(dataFast().payments.get(id)).toEqual(provider.payment.expected);
    });

    test("records a signed delivery of exactly 1 MiB and refuses one byte more with 413", async () => {
      const provider = caseOf("shopify");
      const atLimit = padTo(withLineItems(provider, 2000), WEBHOOK_BODY_LIMIT);
      expect((await invoke(provider.request(atLimit, provider.payment.headers), base64)).status).toBe(200);
      expect(dataFast().requests).toHaveLength(1);

      const overLimit = `${atLimit} `;
      const response = await invoke(provider.request(overLimit, provider.payment.headers), base64);
      expect(response.status).toBe(413);
      expect((await errorOf(response)).error.message).toBe(`Body is larger than ${WEBHOOK_BODY_LIMIT} bytes`);
      expect(dataFast().requests).toHaveLength(1);
    });
  });
});
