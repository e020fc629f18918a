/** The running tally a backfill reports and ends with. */
export interface Counts {
  /** Payments and refunds the provider listed in the window. */
  found: number;
  /** Valid payments not recorded before: what this run sends. */
  toSend: number;
  recorded: number;
  /** Recorded without a visitor id (paid before the checkout carried one, or dropped by DataFast). */
  unattributed: number;
  /** Sent with a visitor id DataFast refused, then recorded without it. */
  attributionDropped: number;
  /** Already recorded by an earlier run, or listed twice: not sent again. */
  duplicates: number;
  /** Listed objects that are not money (a pending refund, an invoice payment): reason -> count. */
  skipped: Map<string, number>;
  failed: number;
  /** Of `failed`, those before sending began (listing, mapping): progress counts only the rest. */
  failedBeforeSending: number;
  /** Times DataFast asked the run to slow down. */
  throttled: number;
}

export function emptyCounts(): Counts {
  return {
    found: 0,
    toSend: 0,
    recorded: 0,
    unattributed: 0,
    attributionDropped: 0,
    duplicates: 0,
    skipped: new Map(),
    failed: 0,
    failedBeforeSending: 0,
    throttled: 0,
  };
}

export function countSkipped(counts: Counts, reason: string): void {
  counts.skipped.set(reason, (counts.skipped.get(reason) ?? 0) + 1);
}

export function totalSkipped(counts: Counts): number {
  return [...counts.skipped.values()].reduce((sum, count) => sum + count, 0);
}
