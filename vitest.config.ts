import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real servers and child processes (Vercel's dev server) take a moment to start.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The functions log one JSON line per request, and many tests fail requests on purpose: their
    // output is shown for a failing test only, so a green run is a short summary.
    silent: "passed-only",
    // Real servers are slow on a busy machine; only a really slow test is worth a line.
    slowTestThreshold: 10_000,
    coverage: {
      provider: "v8",
      include: ["shared/**/*.ts", "functions/**/*.ts"],
      // The Vercel entries run under Vercel's own dev server, and the Worker, Deno and Bun entries
      // under their own runtimes (npm run test:platforms): child processes this coverage cannot
      // see. They are a few lines each and every contract test runs through them.
      exclude: ["functions/vercel/**", "functions/cloudflare/**", "functions/deno/**", "functions/bun/**"],
      // `text` names every uncovered line in the CI log; the thresholds fail the run.
      reporter: ["text", "json-summary"],
      reportsDirectory: ".cache/coverage",
      thresholds: { lines: 90, branches: 90, functions: 90, statements: 90 },
    },
  },
});
