import { build } from "esbuild";
import { expect, test } from "vitest";

/**
 * The core runs on Workers without nodejs_compat, Deno and Bun: bundled for no platform in
 * particular, it (zod included) must resolve without a Node built-in and name no Node global. The
 * lint stops `node:` imports and `process`/`Buffer` in shared/ itself; this also covers what it imports.
 */
test.each(["shared/handle-payment.ts", "shared/webhooks/handle-webhook.ts", "shared/handle-health.ts"])(
  "%s bundles for a neutral platform with no Node built-in or global",
  async (entry) => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      logLevel: "silent",
    });
    const code = result.outputFiles.map((file) => file.text).join("");
    expect(code).not.toMatch(/\bprocess\.|\bBuffer\.|\brequire\(|from ["']node:/);
  },
);
