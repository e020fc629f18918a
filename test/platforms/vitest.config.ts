import { defineConfig } from "vitest/config";

// `npm run test:platforms`: the deploy configs proven with each platform's own CLI, and the
// contract suites run on the single-entry runtimes (workerd, Deno, Bun). Kept apart from `npm test`
// (vitest.config.ts only matches *.test.ts) because the CLIs are big and slow.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "tools",
          include: ["test/platforms/**/*.platform.ts"],
          // Each file builds its platform once in beforeAll; real CLIs and servers take seconds.
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: "runtimes",
          // The suites that run every case on every platform, here on the runtimes
          // (test/support/platforms.ts): `npm test` runs them on the Node platforms.
          include: ["test/relays.test.ts", "test/webhooks/platforms.test.ts", "test/webhooks/body-limit.test.ts"],
          env: { TEST_RUNTIMES: "1" },
          // A case may start its runtime (wrangler dev takes seconds).
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
