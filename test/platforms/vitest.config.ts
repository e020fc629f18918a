import { defineConfig } from "vitest/config";

// `npm run test:platforms`: the deploy configs proven with each platform's own CLI. Kept apart
// from `npm test` (vitest.config.ts only matches *.test.ts) because the CLIs are big and slow.
export default defineConfig({
  test: {
    include: ["test/platforms/**/*.platform.ts"],
    // Each file builds its platform once in beforeAll; real CLIs and servers take seconds.
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
