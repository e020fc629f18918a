import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type DataFastStandIn,
  type RandomFaults,
  randomFaults,
  startDataFastStandIn,
} from "../../dev/datafast-standin.ts";
import { parsePayment } from "../../shared/payment.ts";
import { sentinelSecrets, useLeakWatch } from "../support/leak-watch.ts";
import { type Env, type Platform, platforms } from "../support/platforms.ts";
import { inPool, postPayment, scaled, soakTimeout, writeFigures } from "./harness.ts";

/*
 * Invariants, checked for every answer a function gives while DataFast misbehaves:
 * 1. A 2xx means DataFast holds the payment at that moment. (A 200 whose body is garbled is not
 *    DataFast's success answer, so it is not taken as one: the payment is resent, and DataFast,
 *    which recorded it, answers the resend as a duplicate, marked X-DataFast-Duplicate.)
 * 2. So a payment DataFast never recorded only ever got non-2xx answers, and the sender keeps it.
 *    The converse is NOT promised: when DataFast records but its answer is lost, the function
 *    answers 5xx and the sender's retry is deduplicated by transaction_id.
 * 3. DataFast holds exactly the data sent (validated and normalised), never a second version.
 * 4. Under DataFast faults the only answers are 200, 502 and 503 with Retry-After.
 * 5. Every answer works to the time budget (DATAFAST_TIMEOUT_MS, or Lambda's remaining time less
 *    its margin), as its log line reports. That it then answers on time is the code's to keep
 *    (each wait and attempt bounded by the time left, datafast.test.ts on a logical clock) and the
 *    machine's: wall-clock times here include every platform and DataFast sharing one busy event
 *    loop, so they are figures (slowestAnswerOverBudgetMs), not an assertion.
 * 6. Once DataFast recovers, one more delivery of each payment still unanswered records it.
 */

const SEED = Number(process.env.FAULT_SEED ?? 20_251_126);
const PAYMENTS_PER_PLATFORM = scaled(20, 250);
const CONCURRENCY = 6;
// Like a payment provider, every non-2xx is retried: a few times while DataFast is faulty (real
// providers keep going for days; the recovery test below plays their later retries).
const SENDER_ATTEMPTS = 3;
const TIMEOUT_MS = 1500;
// Lambda gets less time than DATAFAST_TIMEOUT_MS so its own deadline is the one that binds.
const LAMBDA_REMAINING_MS = 1800;
const LAMBDA_DEADLINE_MARGIN_MS = 500;

let dataFast: DataFastStandIn;
let faults: RandomFaults;
let env: Env;
const leakWatch = useLeakWatch();

beforeAll(async () => {
  dataFast = await startDataFastStandIn({
    acceptKey: (key) => key === sentinelSecrets.DATAFAST_API_KEY,
    unknownVisitor: (id) => id.startsWith("unknown-"),
  });
  faults = randomFaults({
    seed: SEED,
    // Over half the requests fail: enough that some payments outlast the sender's retries.
    rates: { status500: 0.1, status502: 0.08, rateLimited: 0.1, hang: 0.08, reset: 0.08, garbled: 0.06, slow: 0.06 },
    retryAfterSeconds: [0, 1, 30],
    slowMs: [100, 1200],
  });
  dataFast.fault = faults.fault;
  env = { ...sentinelSecrets, DATAFAST_API_URL: dataFast.url, DATAFAST_TIMEOUT_MS: String(TIMEOUT_MS) };
  // Start Vercel's dev server and load every function before the clock matters: a cold start is
  // the platform's time, not the function's budget.
  const warmUp = new Request("https://functions.example/api/payments", { method: "GET" });
  await Promise.all(platforms.map((platform) => platform.invoke("payments", warmUp.clone(), env)));
});
afterAll(() => dataFast?.close());

/** One answer the sender got, with what DataFast held at that moment. */
interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
  duplicate: boolean;
  recordedWhenAnswered: boolean;
}

interface Delivery {
  platform: Platform;
  sent: Record<string, unknown>;
  /** What DataFast must hold: the validated payment, without the visitor id it does not know. */
  expected: Record<string, unknown>;
  answers: Answer[];
}

const deliveries: Delivery[] = [];
const unansweredUntilRecovery: Delivery[] = [];
const LAMBDA_BUDGET_MS = Math.min(TIMEOUT_MS, LAMBDA_REMAINING_MS - LAMBDA_DEADLINE_MARGIN_MS);
const budgetMs = (platform: Platform) => (platform.name.startsWith("lambda") ? LAMBDA_BUDGET_MS : TIMEOUT_MS);

function paymentsFor(platform: Platform): Delivery[] {
  const prefix = platform.name.replace(/\W+/g, "-");
  return Array.from({ length: PAYMENTS_PER_PLATFORM }, (_, i) => {
    const transactionId = `${prefix}-${i}`;
    const visitor = i % 5 === 0 ? `unknown-${i}` : `0b7e${String(i).padStart(4, "0")}-5d7a-4c1e-9f00-1a2b3c4d5e6f`;
    const sent = {
      amount: (i * 137) % 10_000,
      currency: ["usd", "EUR", "jpy"][i % 3],
      transaction_id: transactionId,
      datafast_visitor_id: visitor,
      customer_email: `buyer.${transactionId}@example.com`,
      ...(i % 4 === 0 && { renewal: true }),
    };
    leakWatch.watch("customer email", sent.customer_email);
    const parsed = parsePayment(sent);
    if (!parsed.ok) throw new Error(`test payment ${transactionId} is invalid`);
    const { datafast_visitor_id, ...unattributed } = parsed.payment;
    const expected = visitor.startsWith("unknown-") ? unattributed : parsed.payment;
    return { platform, sent, expected, answers: [] };
  });
}

async function deliverOnce(delivery: Delivery): Promise<Answer> {
  const { platform, sent } = delivery;
  const started = performance.now();
  const response = await platform.invoke("payments", postPayment(sent), env, { remainingMs: LAMBDA_REMAINING_MS });
  const ms = performance.now() - started;
  const answer = {
    status: response.status,
    ms,
    retryAfter: response.headers.get("retry-after"),
    duplicate: response.headers.get("x-datafast-duplicate") === "true",
    recordedWhenAnswered: dataFast.payments.has(String(sent.transaction_id)),
  };
  await leakWatch.read(response, `answer on ${platform.name}`);
  delivery.answers.push(answer);
  return answer;
}

/** Everything wrong with one delivery's answers, as readable lines (empty when all invariants hold). */
function violations(delivery: Delivery): string[] {
  const id = delivery.sent.transaction_id;
  return delivery.answers.flatMap((answer, i) => {
    const at = `${id} answer ${i + 1} (${answer.status})`;
    const found: string[] = [];
    const ok = answer.status >= 200 && answer.status < 300;
    if (ok && !answer.recordedWhenAnswered) found.push(`${at}: 2xx but DataFast does not hold it (LOST)`);
    if (!ok && ![502, 503].includes(answer.status)) found.push(`${at}: not 200, 502 or 503`);
    if (answer.status === 503 && !answer.retryAfter) found.push(`${at}: 503 without Retry-After`);
    if (answer.duplicate && answer.status !== 200) found.push(`${at}: marked duplicate but not 200`);
    return found;
  });
}

describe("payments pushed through every platform while DataFast misbehaves", () => {
  test.concurrent.each(platforms)(
    "$name: nothing lost, nothing recorded twice, only 200, 502 or 503",
    async (platform) => {
      const batch = paymentsFor(platform);
      deliveries.push(...batch);
      await inPool(batch, CONCURRENCY, async (delivery) => {
        for (let attempt = 1; attempt <= SENDER_ATTEMPTS; attempt++) {
          const { status } = await deliverOnce(delivery);
          if (status >= 200 && status < 300) return;
        }
      });
      expect(batch.flatMap(violations)).toEqual([]);
      const corrupted = batch.filter(({ sent, expected }) => {
        const held = dataFast.payments.get(String(sent.transaction_id));
        return held !== undefined && !isDeepStrictEqual(held, expected);
      });
      expect(corrupted.map(({ sent }) => sent.transaction_id)).toEqual([]);
    },
    soakTimeout,
  );

  test(
    "once DataFast recovers, one more delivery records every payment still unanswered",
    async () => {
      dataFast.fault = undefined;
      const unanswered = deliveries.filter(({ answers }) => !answers.some(({ status }) => status < 300));
      unansweredUntilRecovery.push(...unanswered);
      const retried = await inPool(unanswered, CONCURRENCY, deliverOnce);
      expect(retried.map(({ status }) => status).filter((status) => status !== 200)).toEqual([]);
      const missing = deliveries.filter(({ sent }) => !dataFast.payments.has(String(sent.transaction_id)));
      expect(missing.map(({ sent }) => sent.transaction_id)).toEqual([]);
      expect(unanswered.flatMap(violations)).toEqual([]);
    },
    soakTimeout,
  );

  test("no transaction_id ever reached DataFast with two different versions of its data", () => {
    expect(dataFast.duplicates.filter(({ differs }) => differs)).toEqual([]);
  });

  test("every answer worked to its platform's time budget, as its log line reports", () => {
    const budgets = leakWatch
      .logLines()
      // The warm-up requests (a GET each) carry no payment.
      .filter(({ route, transaction_id }) => route === "payments" && transaction_id !== undefined)
      .map(({ transaction_id, budget_ms }) => ({ id: String(transaction_id), budget: Number(budget_ms) }));
    const answered = deliveries.flatMap(({ platform, sent, answers }) =>
      answers.map(() => ({ id: String(sent.transaction_id), budget: budgetMs(platform) })),
    );
    // One log line per answer, none given more time than its platform grants.
    expect(budgets.map(({ id }) => id).sort()).toEqual(answered.map(({ id }) => id).sort());
    const allowed = new Map(answered.map(({ id, budget }) => [id, budget]));
    const over = budgets.filter(({ id, budget }) => !(budget > 0 && budget <= (allowed.get(id) ?? 0)));
    expect(over).toEqual([]);
  });

  test("no secret or customer email in any answer, header or log line", () => {
    expect(leakWatch.leaks()).toEqual([]);
  });
});

afterAll(() => {
  const answers = deliveries.flatMap(({ answers }) => answers);
  const injected = faults ? Object.values(faults.injected).reduce((sum, count) => sum + count, 0) : 0;
  const slowest = Math.max(
    0,
    ...deliveries.flatMap(({ platform, answers }) => answers.map(({ ms }) => ms - budgetMs(platform))),
  );
  writeFigures("payments-under-faults", {
    seed: SEED,
    platforms: platforms.map(({ name }) => name),
    paymentsPushed: deliveries.length,
    deliveries: answers.length,
    dataFastRequests: dataFast?.requests.length,
    faultsInjected: injected,
    faultsByKind: faults?.injected,
    answered2xx: answers.filter(({ status }) => status < 300).length,
    // Recorded at DataFast, but that answer was not a 2xx: the sender's retry was deduplicated.
    recordedButAnsweredNon2xx: answers.filter(
      ({ status, recordedWhenAnswered }) => status >= 300 && recordedWhenAnswered,
    ).length,
    unansweredUntilRecovery: unansweredUntilRecovery.length,
    lost: deliveries.filter(({ sent }) => !dataFast?.payments.has(String(sent.transaction_id))).length,
    lostAnswers: answers.filter(({ status, recordedWhenAnswered }) => status < 300 && !recordedWhenAnswered).length,
    // Resends of a payment DataFast held (its answer was lost or garbled), answered as duplicates.
    answeredDuplicate: answers.filter(({ duplicate }) => duplicate).length,
    conflicts: dataFast?.duplicates.filter(({ differs }) => differs).length,
    leaked: leakWatch.leaks().length,
    scanned: leakWatch.scanned(),
    slowestAnswerOverBudgetMs: Math.round(slowest),
    budgetMs: { default: TIMEOUT_MS, lambda: LAMBDA_BUDGET_MS },
  });
});
