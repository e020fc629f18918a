import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real servers and child processes (Vercel's dev server) take a moment to start.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
