import type { CallShape } from "./invoke.ts";

/** Where a target's secret settings come from: env vars, Secrets Manager through the SDK, or the Lambda extension. */
type SecretsSource = "env" | "sdk" | "extension";

/** One payments endpoint under test: ours per platform, or a peer built the way a user might. */
export interface Target {
  id: string;
  label: string;
  /** The file the platform loads: `npm run build`'s under dist/, a deploy tool's under .cache/bench/deployed/, peers' under .cache/. */
  bundle: string;
  shape: CallShape;
  peer: boolean;
  secrets: SecretsSource;
  /** Most minified bytes the function may ship (ours only). */
  sizeGoalBytes?: number;
  /** Most extra ms a cold start may cost over the baseline process (ours only). */
  coldGoalMs?: number;
}

/** A peer is bundled from its entry exactly like our functions (`bundleFunction`). */
export interface PeerTarget extends Target {
  entry: string;
}

const LAMBDA = { shape: "lambda", peer: false, sizeGoalBytes: 320_000, coldGoalMs: 30 } as const;
const VERCEL = { shape: "vercel", peer: false, secrets: "env", sizeGoalBytes: 30_000, coldGoalMs: 8 } as const;
const NETLIFY = { shape: "netlify", peer: false, secrets: "env", sizeGoalBytes: 30_000, coldGoalMs: 8 } as const;

/** Ours as `npm run build` writes them. */
export const builtTargets: Target[] = [
  { id: "lambda", label: "Lambda", bundle: "dist/lambda/payments.mjs", secrets: "sdk", ...LAMBDA },
  {
    id: "lambda-extension",
    label: "Lambda, secret via extension",
    bundle: "dist/lambda-extension/payments.mjs",
    secrets: "extension",
    ...LAMBDA,
  },
  { id: "vercel", label: "Vercel", bundle: "dist/vercel/payments.mjs", ...VERCEL },
  { id: "netlify", label: "Netlify", bundle: "dist/netlify/payments.mjs", ...NETLIFY },
];

/** The directory bench/deployed.ts unpacks each deploy tool's payments function into. */
export const DEPLOYED_DIR = ".cache/bench/deployed";

/** Ours as each platform's own tool builds them (bench/deployed.ts), when tools/platforms is installed. */
export const deployedTargets: Target[] = [
  {
    id: "osls",
    label: "Lambda, osls package",
    bundle: `${DEPLOYED_DIR}/osls/functions/lambda/payments.mjs`,
    secrets: "sdk",
    ...LAMBDA,
  },
  {
    id: "vercel-build",
    label: "Vercel, vercel build",
    bundle: `${DEPLOYED_DIR}/vercel/functions/vercel/bundled/payments.mjs`,
    ...VERCEL,
  },
  {
    id: "netlify-build",
    label: "Netlify, netlify build",
    bundle: `${DEPLOYED_DIR}/netlify/payments.mjs`,
    ...NETLIFY,
  },
];

export const peerTargets: PeerTarget[] = [
  {
    id: "fetch-relay",
    label: "Peer: docs fetch relay",
    entry: "bench/peers/fetch-relay.ts",
    bundle: ".cache/bench/peers/fetch-relay.mjs",
    shape: "vercel",
    peer: true,
    secrets: "env",
  },
  {
    id: "hono-lambda",
    label: "Peer: Hono on Lambda",
    entry: "bench/peers/hono-lambda.ts",
    bundle: ".cache/bench/peers/hono-lambda.mjs",
    shape: "lambda",
    peer: true,
    secrets: "env",
  },
];

const COLUMN_ORDER = ["lambda", "osls", "lambda-extension", "vercel", "vercel-build", "netlify", "netlify-build"];

/** Every target, in the report's column order: each platform's built and deployed files side by side, then the peers. */
export const allTargets: Target[] = [
  ...[...builtTargets, ...deployedTargets].sort((a, b) => COLUMN_ORDER.indexOf(a.id) - COLUMN_ORDER.indexOf(b.id)),
  ...peerTargets,
];

/** Most minified bytes per bundle, by the platform directory it is built into. */
export const sizeGoals: Record<string, number> = {
  lambda: 320_000,
  "lambda-extension": 320_000,
  vercel: 30_000,
  netlify: 30_000,
  // One Worker holds every route: the goal is the webhooks one (payments alone: 30 kB).
  cloudflare: 40_000,
};

/** Warm latency of a function over a bare fetch of the same JSON, at most. */
export const warmGoals = { p50Ratio: 1.1, p99Ratio: 1.25 };

/** GetSecretValue calls allowed per scenario: the first invocation's, no more. */
export const secretCallsGoal = 1;

/** A webhooks function, cold-started with a signed Standard Webhooks payment beside its platform's payments function. */
export interface WebhookTarget extends Target {
  /** The payments target it is compared with. */
  paymentsId: string;
}

export const webhookTargets: WebhookTarget[] = builtTargets
  .filter((target) => target.id !== "lambda-extension")
  .map((target) => ({
    ...target,
    id: `${target.id}-webhooks`,
    label: `${target.label} webhooks`,
    bundle: target.bundle.replace("/payments.", "/webhooks."),
    paymentsId: target.id,
  }));

/** A webhooks function's cold start over its payments function's, at most. */
export const webhookColdGoalRatio = 1.1;
