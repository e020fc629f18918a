import { describe, expect, test } from "vitest";
import { configuredEnv, useDataFast } from "../support/payments.ts";
import { platforms } from "../support/platforms.ts";
import { deployment, type ProviderCase, providerCases, rotated } from "./cases.ts";

/**
 * Every provider through every platform's real entry file (five Lambda event kinds, Netlify,
 * Vercel's dev server): the raw body bytes, headers and Gumroad's `?token=` must reach the
 * verifier intact. The full per-provider matrix is in providers.test.ts.
 */
const dataFast = useDataFast();

describe.each(platforms)("POST /api/webhooks/{provider} on $name", (platform) => {
  const isLambda = platform.name.startsWith("lambda");
  const invoke = (request: Request, base64 = false) =>
    platform.invoke("webhooks", request, configuredEnv(dataFast(), deployment), { base64 });

  describe.each(providerCases)("$provider", (provider: ProviderCase) => {
    const { body, headers, expected } = provider.payment;

    test("records a verified payment", async () => {
      const response = await invoke(provider.request(body, headers));
      expect(response.status).toBe(200);
      expect(dataFast().payments.get(String(expected.transaction_id))).toEqual(expected);
    });

    // Only API Gateway delivers bodies base64-encoded; the other platforms do not get this case.
    if (isLambda) {
      test("records a verified payment delivered base64-encoded", async () => {
        const response = await invoke(provider.request(body, headers), true);
        expect(response.status).toBe(200);
        expect(dataFast().payments.get(String(expected.transaction_id))).toEqual(expected);
      });
    }

    const [lifecycle] = provider.lifecycle ?? [];
    if (lifecycle) {
      test(`sends the goals of ${lifecycle.label}`, async () => {
        const response = await invoke(provider.request(lifecycle.body, lifecycle.headers));
        expect(response.status).toBe(200);
        expect(dataFast().goals.map(({ name, metadata }) => ({ name, metadata }))).toEqual(
          lifecycle.goals.map(({ name, metadata }) => ({
            name,
            metadata: { provider: provider.provider, ...metadata },
          })),
        );
      });
    }

    test("answers 401 for a bad signature, forwarding nothing", async () => {
      const response = await invoke(provider.request(body, headers, { secret: rotated[provider.secretName] }));
      expect(response.status).toBe(401);
      expect(((await response.json()) as { status: string }).status).toBe("error");
      expect(dataFast().requests).toHaveLength(0);
    });
  });
});
