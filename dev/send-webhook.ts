import { parseArgs } from "node:util";
import { toMinorUnits } from "../shared/currency.ts";
import { loadEnvFile } from "./env-file.ts";
import type { EventKind } from "./webhook-events.ts";
import { sendSampleWebhook } from "./webhook-sender.ts";

/**
 * `npm run send-webhook -- <provider> [--url URL] [--event payment|refund|renewal] [--amount N --currency XXX]`:
 * posts one signed sample event and prints the answer. Exits 1 unless the answer is a 2xx.
 */
const usage =
  "usage: npm run send-webhook -- <provider> [--url https://your-deployment] [--event payment|refund|renewal] [--amount 29.99] [--currency USD]";
const kinds: readonly EventKind[] = ["payment", "refund", "renewal"];

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      event: { type: "string", default: "payment" },
      amount: { type: "string", default: "29.99" },
      currency: { type: "string", default: "USD" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [provider] = positionals;
  if (values.help || !provider) throw new Error(usage);
  const kind = kinds.find((each) => each === values.event);
  if (!kind) throw new Error(`--event must be one of ${kinds.join(", ")}`);
  const amount = Number(values.amount);
  if (!(amount >= 0)) throw new Error("--amount must be a number like 29.99");
  // Refused here rather than rounded into a sample (29.999 USD would go out as 30.00).
  try {
    toMinorUnits(amount, values.currency);
  } catch (error) {
    throw new Error(`--amount ${values.amount} --currency ${values.currency}: ${(error as Error).message}`);
  }
  loadEnvFile();
  const sent = await sendSampleWebhook({
    provider,
    url: values.url,
    kind,
    amount,
    currency: values.currency.toUpperCase(),
    env: process.env,
  });
  console.log(`POST ${sent.url} (${kind}, ${values.amount} ${values.currency.toUpperCase()})`);
  console.log(`${sent.status} ${sent.body}`);
  if (sent.status < 200 || sent.status > 299) process.exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
