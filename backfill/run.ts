import { HttpError } from "../shared/http-error.ts";
import { type Payment, parsePayment } from "../shared/payment.ts";
import { type Counts, countSkipped, emptyCounts } from "./counts.ts";
import { type Failure, failuresPath, readFailures, writeFailures } from "./failures.ts";
import { ListingError, type ProviderApi } from "./provider-api.ts";
import { dataFastRecorder, type RecorderOptions } from "./recorder.ts";
import type { Listed, Source, Window } from "./source.ts";
import { fingerprint, openCheckpoint } from "./state.ts";

/** A payment this run would send: the provider's id for reports, and the DataFast payment. */
export interface Planned {
  id: string;
  kind: "payment" | "refund";
  payment: Payment;
}

/** What the run shows as it goes; see progress.ts. */
export interface Reporter {
  listing(counts: Counts): void;
  sending(counts: Counts): void;
  progress(counts: Counts): void;
  plan(planned: readonly Planned[], counts: Counts): void;
  summary(result: BackfillResult): void;
}

export interface BackfillOptions {
  source: Source;
  api: ProviderApi;
  /** The window to list; ignored with `retryFailed`, which replays the failures file instead. */
  window: Window;
  retryFailed: boolean;
  statePath: string;
  /** Where payments go (URL and website), so a state file is never reused for another target. */
  target: string;
  /** How to reach DataFast; absent on a dry run, which sends nothing. */
  dataFast: Omit<RecorderOptions, "onThrottled"> | undefined;
  concurrency: number;
  reporter: Reporter;
}

export interface BackfillResult {
  counts: Counts;
  failures: Failure[];
  failuresFile: string;
  /** Why the run stopped before the end (DataFast refused the key), if it did. */
  fatal: string | undefined;
}

/**
 * Lists the provider's payments and refunds in the window, maps each through the shared webhook
 * mapping, and records the ones not recorded before, checkpointing each confirmation.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillResult> {
  const { reporter } = options;
  const counts = emptyCounts();
  const checkpoint = openCheckpoint(options.statePath, options.target);
  const failuresFile = failuresPath(options.statePath);
  const previous = readFailures(failuresFile);
  const failures: Failure[] = [];
  const fail = (failure: Failure) => {
    failures.push(failure);
    counts.failed += 1;
  };

  const candidates: Planned[] = [];
  if (options.retryFailed) {
    for (const failure of previous) {
      counts.found += 1;
      if (failure.kind !== "listing" && failure.payment)
        candidates.push({ ...failure, kind: failure.kind, payment: failure.payment });
      // Without a payment there is nothing to replay: the data must be fixed and the window run again.
      else fail(failure);
    }
  } else {
    for (const [name, listing] of Object.entries(options.source.lists(options.window, options.api))) {
      await collect(name, listing, counts, candidates, fail, () => reporter.listing(counts));
    }
  }

  const plan: Planned[] = [];
  const planned = new Set<string>();
  for (const candidate of candidates) {
    const id = candidate.payment.transaction_id;
    const earlier = checkpoint.recorded(id);
    if (planned.has(id) || earlier !== undefined) {
      counts.duplicates += 1;
      // DataFast keeps the first payment of an id: sending changed data would not change it.
      if (earlier !== undefined && earlier !== fingerprint(candidate.payment)) {
        countSkipped(counts, "Changed since an earlier run recorded it (DataFast keeps the first)");
      }
      continue;
    }
    planned.add(id);
    plan.push(candidate);
  }
  counts.toSend = plan.length;

  const result = { counts, failures, failuresFile, fatal: undefined as string | undefined };
  if (!options.dataFast) {
    reporter.plan(plan, counts);
    return result;
  }
  const record = dataFastRecorder({
    ...options.dataFast,
    onThrottled: () => {
      counts.throttled += 1;
    },
  });
  counts.failedBeforeSending = counts.failed;
  reporter.sending(counts);
  const recordedIds = new Set<string>();
  result.fatal = await sendAll(plan, options.concurrency, async (item) => {
    const outcome = await record(item.payment);
    if (outcome.kind === "recorded") {
      checkpoint.markRecorded(item.payment);
      recordedIds.add(item.id);
      counts.recorded += 1;
      if (outcome.attributionDropped) counts.attributionDropped += 1;
      if (outcome.attributionDropped || item.payment.datafast_visitor_id === undefined) counts.unattributed += 1;
    } else if (outcome.kind === "failed") {
      fail({ id: item.id, kind: item.kind, reason: outcome.reason, payment: item.payment });
    }
    reporter.progress(counts);
    return outcome.kind === "fatal" ? outcome.reason : undefined;
  });

  // Earlier failures stay until they are recorded or fail anew; a fresh listing replaces old listing failures.
  const settled = new Set([...recordedIds, ...failures.map((failure) => failure.id)]);
  const kept = previous.filter(
    (failure) => !settled.has(failure.id) && (options.retryFailed || failure.kind !== "listing"),
  );
  writeFailures(failuresFile, [...kept, ...failures]);
  reporter.summary(result);
  return result;
}

/** Pages through one listing, mapping each object; bad data is a failure by id, never the end of the run. */
async function collect(
  name: string,
  listing: AsyncIterable<Listed>,
  counts: Counts,
  candidates: Planned[],
  fail: (failure: Failure) => void,
  tick: () => void,
): Promise<void> {
  try {
    for await (const listed of listing) {
      counts.found += 1;
      tick();
      const mapped = mapListed(listed);
      if (mapped.kind === "ignored") countSkipped(counts, mapped.reason);
      else if (mapped.kind === "invalid") fail({ id: listed.id, kind: listed.kind, reason: mapped.reason });
      else candidates.push({ id: listed.id, kind: listed.kind, payment: mapped.payment });
    }
  } catch (error) {
    if (!(error instanceof ListingError)) throw error;
    fail({ id: `${name} listing`, kind: "listing", reason: `${error.message}; the ${name} after it were not listed` });
  }
}

type Mapped =
  | { kind: "payment"; payment: Payment }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string };

function mapListed(listed: Listed): Mapped {
  try {
    const result = listed.map();
    if (result.kind === "ignored") return result;
    // Only a delivery bundles several payments (Mollie's refunds, FastSpring's batches); a listed object is one.
    if (result.kind === "payments") return { kind: "invalid", reason: "Maps to several payments, not one" };
    const parsed = parsePayment(result.payment);
    if (parsed.ok) return { kind: "payment", payment: parsed.payment };
    return { kind: "invalid", reason: `Not a valid payment${describeIssues(parsed.issues)}` };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { kind: "invalid", reason: `${error.message}${describeIssues(error.issues ?? [])}` };
  }
}

/** `: path: message; path: message`, or nothing when there are no issues. */
function describeIssues(issues: readonly { path: string; message: string }[]): string {
  if (issues.length === 0) return "";
  return `: ${issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; ")}`;
}

/**
 * Runs `work` over `items` with at most `concurrency` at once, in order. The first fatal reason
 * stops the hand-out (items in flight finish); it is returned.
 */
async function sendAll<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<string | undefined>,
): Promise<string | undefined> {
  let next = 0;
  let fatal: string | undefined;
  const worker = async () => {
    while (fatal === undefined && next < items.length) {
      const item = items[next++] as T;
      fatal ??= await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return fatal;
}
