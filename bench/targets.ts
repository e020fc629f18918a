import type { CallShape } from "./invoke.ts";

/** One payments endpoint under test: ours per platform, or a peer built the way a user might. */
export interface Target {
  id: string;
  label: string;
  entry: string;
  /** Where its bundle lands: ours under dist/ (`npm run build`), the peers under .cache/. */
  bundle: string;
  shape: CallShape;
  peer: boolean;
  /** Reads its secrets from AWS Secrets Manager (through the real SDK) rather than env vars. */
  secretsManager: boolean;
  /** Most extra ms a cold start may cost over the baseline process (ours only). */
  coldGoalMs?: number;
}

export const targets: Target[] = [
  {
    id: "lambda",
    label: "Lambda",
    entry: "functions/lambda/payments.ts",
    bundle: "dist/lambda/payments.mjs",
    shape: "lambda",
    peer: false,
    secretsManager: true,
    coldGoalMs: 40,
  },
  {
    id: "vercel",
    label: "Vercel",
    entry: "functions/vercel/payments.ts",
    bundle: "dist/vercel/payments.mjs",
    shape: "vercel",
    peer: false,
    secretsManager: false,
    coldGoalMs: 10,
  },
  {
    id: "netlify",
    label: "Netlify",
    entry: "functions/netlify/payments.ts",
    bundle: "dist/netlify/payments.mjs",
    shape: "netlify",
    peer: false,
    secretsManager: false,
    coldGoalMs: 10,
  },
  {
    id: "fetch-relay",
    label: "Peer: docs fetch relay",
    entry: "bench/peers/fetch-relay.ts",
    bundle: ".cache/bench/peers/fetch-relay.mjs",
    shape: "vercel",
    peer: true,
    secretsManager: false,
  },
  {
    id: "hono-lambda",
    label: "Peer: Hono on Lambda",
    entry: "bench/peers/hono-lambda.ts",
    bundle: ".cache/bench/peers/hono-lambda.mjs",
    shape: "lambda",
    peer: true,
    secretsManager: false,
  },
];

/** Most minified bytes per bundle, by the platform directory it is built into. */
export const sizeGoals: Record<string, number> = { lambda: 320_000, vercel: 30_000, netlify: 30_000 };

/** Warm latency of a function over a bare fetch of the same JSON, at most. */
export const warmGoals = { p50Ratio: 1.1, p99Ratio: 1.25 };

/** GetSecretValue calls allowed per scenario: the first invocation's, no more. */
export const secretCallsGoal = 1;
