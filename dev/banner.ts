import { providers } from "../shared/webhooks/providers.ts";

export interface BannerFacts {
  base: string;
  /** The sandbox stand-in's listing, when payments go there. */
  sandbox: boolean;
  apiUrl: string;
  /** The token when this run made it up (then it may be printed); undefined when it is the user's own. */
  generatedToken: string | undefined;
  /** Webhook secrets this run made up, by setting name. */
  generatedSecrets: Record<string, string>;
  secretsFile: string;
  envFileLoaded: boolean;
  /** What the sandbox could not set up. */
  notes: string[];
  /** The one runtime serving the routes (`npm run start:deno`…); unset for `npm start`'s Node server. */
  runtime?: string;
}

/** What `npm start` prints once listening: where things go, what to paste. */
export function banner(facts: BannerFacts): string {
  const { base, generatedToken, generatedSecrets, runtime } = facts;
  const generatedNames = Object.keys(generatedSecrets);
  const tokenLines = generatedToken
    ? [
        "Generated PAYMENTS_AUTH_TOKEN for this run (local only). Paste this first:",
        `  export PAYMENTS_AUTH_TOKEN=${generatedToken}`,
      ]
    : [
        `Using PAYMENTS_AUTH_TOKEN from ${facts.envFileLoaded ? "the environment or .env" : "the environment"}` +
          " (the curl below reads it from your shell: export it there too).",
      ];
  return [
    facts.sandbox
      ? `Sandbox mode: no DATAFAST_API_KEY, so payments and goals go to a local DataFast stand-in${runtime ? "" : ` (list: GET ${base}/_sandbox/payments, ${base}/_sandbox/goals)`}.`
      : `Forwarding payments to ${facts.apiUrl}.`,
    ...(facts.envFileLoaded ? ["Settings read from .env (the environment wins where both set one)."] : []),
    runtime
      ? `Listening on ${base} (${runtime}): /api/payments, /api/goals, /api/health and /api/webhooks/{provider}.`
      : `Listening on ${base}: /api/payments, /api/goals, /api/health and /api/webhooks/{provider}, also per platform under /lambda, /vercel and /netlify.`,
    `Webhook routes: ${Object.keys(providers)
      .map((name) => `/api/webhooks/${name}`)
      .join(", ")}`,
    ...(generatedNames.length > 0
      ? [
          `Generated webhook secrets for this run (local only; saved for npm run send-webhook in ${facts.secretsFile}):`,
          ...generatedNames.map((name) => `  ${name}=${generatedSecrets[name]}`),
        ]
      : []),
    ...facts.notes,
    ...tokenLines,
    "Try:",
    `  curl -i ${base}/api/payments -H "Authorization: Bearer $PAYMENTS_AUTH_TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"amount":29.99,"currency":"USD","transaction_id":"payment_456"}'`,
    `  ${new URL(base).port === "8787" ? "" : `PORT=${new URL(base).port} `}npm run send-webhook -- paddle   # any provider: a signed sample event to this server`,
    `  curl -i ${base}/api/health -H "Authorization: Bearer $PAYMENTS_AUTH_TOKEN"`,
  ].join("\n");
}
