import { SingleBar } from "cli-progress";
import { redactEmailsIn } from "../shared/log.ts";
import type { Counts } from "./counts.ts";
import { totalSkipped } from "./counts.ts";
import type { Planned, Reporter } from "./run.ts";

export interface ReporterOptions {
  provider: string;
  /** Machine-readable: one JSON object per line on `out`. */
  json: boolean;
  /** A progress bar (on a terminal) rather than periodic lines. */
  interactive: boolean;
  out: NodeJS.WritableStream;
  /** Where the bar and periodic lines go, so `out` holds only the plan and the summary. */
  err: NodeJS.WritableStream;
  now?: () => number;
  /** Least time between two periodic lines. */
  intervalMs?: number;
}

const PLAN_ROWS = 10;

/**
 * The run's display: a progress bar on a terminal (cli-progress), plain lines every few seconds
 * otherwise, JSON lines with --json; then the plan (dry run) or the summary table.
 */
export function createReporter(options: ReporterOptions): Reporter {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 5000;
  // Customer emails stay out of every line, whatever a provider or DataFast put in a message.
  const write = (line: string) => options.out.write(`${redactEmailsIn(line)}\n`);
  const emit = (event: string, fields: Record<string, unknown>) =>
    options.out.write(`${JSON.stringify(redactEmailsIn({ event, ...fields }))}\n`);
  let lastLine = Number.NEGATIVE_INFINITY;
  let sendStarted = now();
  let bar: SingleBar | undefined;

  const due = () => {
    if (now() - lastLine < interval) return false;
    lastLine = now();
    return true;
  };
  const rate = (counts: Counts) => {
    const minutes = (now() - sendStarted) / 60_000;
    const done = counts.recorded + sendFailed(counts);
    const perMinute = minutes > 0 ? done / minutes : 0;
    const left = counts.toSend - done;
    return { perMinute, etaSeconds: perMinute > 0 ? Math.round((left / perMinute) * 60) : undefined };
  };

  return {
    listing(counts) {
      if (!due()) return;
      if (options.json) emit("listing", { provider: options.provider, found: counts.found });
      else options.err.write(`${options.provider}: listing… ${counts.found} found\n`);
    },
    sending(counts) {
      sendStarted = now();
      lastLine = Number.NEGATIVE_INFINITY;
      const line = `${counts.found} found, ${counts.toSend} to record, ${counts.duplicates} recorded before`;
      if (options.json) emit("sending", { provider: options.provider, ...plain(counts) });
      else if (!options.interactive) options.err.write(`${options.provider}: ${line}\n`);
      else {
        bar = new SingleBar({
          format: `${options.provider} [{bar}] {value}/{total} | recorded {recorded} · failed {failed} · {rate}/min | ETA {eta_formatted}`,
          stream: options.err,
          hideCursor: true,
        });
        bar.start(counts.toSend, 0, { recorded: 0, failed: 0, rate: "0" });
      }
    },
    progress(counts) {
      const done = counts.recorded + sendFailed(counts);
      const { perMinute, etaSeconds } = rate(counts);
      if (bar) {
        bar.update(done, { recorded: counts.recorded, failed: counts.failed, rate: perMinute.toFixed(1) });
        return;
      }
      if (done < counts.toSend && !due()) return;
      if (options.json) emit("progress", { provider: options.provider, ...plain(counts), perMinute, etaSeconds });
      else {
        const eta = etaSeconds === undefined ? "" : `, ETA ${formatDuration(etaSeconds)}`;
        options.err.write(
          `${options.provider}: ${done}/${counts.toSend} done, ${counts.recorded} recorded, ${counts.failed} failed, ` +
            `${perMinute.toFixed(1)}/min${eta}\n`,
        );
      }
    },
    plan(planned, counts) {
      if (options.json) {
        emit("plan", {
          provider: options.provider,
          ...plain(counts),
          totals: totals(planned),
          first: planned.slice(0, PLAN_ROWS).map(({ payment: { email: _email, name: _name, ...row } }) => row),
        });
        return;
      }
      write(`Dry run: nothing is sent. ${options.provider} would record ${planned.length} of ${counts.found} listed.`);
      write("");
      write(
        table([
          ["id", "kind", "transaction_id", "amount", "currency", "time", "visitor"],
          ...planned
            .slice(0, PLAN_ROWS)
            .map((row) => [
              row.id,
              row.kind,
              row.payment.transaction_id,
              String(row.payment.amount),
              row.payment.currency,
              row.payment.timestamp ?? "(now)",
              row.payment.datafast_visitor_id ? "yes" : "no",
            ]),
        ]),
      );
      if (planned.length > PLAN_ROWS) write(`… and ${planned.length - PLAN_ROWS} more`);
      write("");
      write(
        table([
          ["currency", "payments", "refunds", "payment total", "refund total"],
          ...totals(planned).map((row) => [
            row.currency,
            String(row.payments),
            String(row.refunds),
            String(row.paid),
            String(row.refunded),
          ]),
        ]),
      );
      write("");
      write(summaryTable(counts));
      write(`DataFast requests: about ${planned.length} (one per payment, more when rate-limited)`);
    },
    summary(result) {
      bar?.stop();
      const { counts, failures } = result;
      if (options.json) {
        emit("summary", {
          provider: options.provider,
          ...plain(counts),
          failures: failures.map(({ id, kind, reason }) => ({ id, kind, reason })),
          failuresFile: failures.length > 0 ? result.failuresFile : undefined,
          fatal: result.fatal,
        });
        return;
      }
      write(summaryTable(counts));
      if (result.fatal) write(`Stopped early: ${result.fatal}`);
      if (failures.length > 0) {
        write("");
        write(
          table([
            ["failed id", "kind", "reason"],
            ...failures.slice(0, PLAN_ROWS).map((f) => [f.id, f.kind, f.reason.slice(0, 160)]),
          ]),
        );
        if (failures.length > PLAN_ROWS) write(`… and ${failures.length - PLAN_ROWS} more`);
        write(`Failures are in ${result.failuresFile}; replay them with --retry-failed.`);
      }
    },
  };
}

/** Failures of sending (not of listing or mapping), for progress through the plan. */
function sendFailed(counts: Counts): number {
  return counts.failed - counts.failedBeforeSending;
}

function plain(counts: Counts) {
  const { skipped, failedBeforeSending: _internal, ...rest } = counts;
  return { ...rest, skipped: Object.fromEntries(skipped) };
}

function summaryTable(counts: Counts): string {
  const rows: string[][] = [
    ["found", String(counts.found)],
    ["recorded", String(counts.recorded)],
    ["  of which unattributed", String(counts.unattributed)],
    ["  of which visitor id dropped", String(counts.attributionDropped)],
    ["duplicates (recorded before)", String(counts.duplicates)],
    ["skipped", String(totalSkipped(counts))],
    ...[...counts.skipped].map(([reason, count]) => [`  ${reason.slice(0, 70)}`, String(count)]),
    ["failed", String(counts.failed)],
    ["slowed down by DataFast", `${counts.throttled}×`],
  ];
  return table(rows);
}

interface CurrencyTotal {
  currency: string;
  payments: number;
  refunds: number;
  paid: number;
  refunded: number;
}

/** Sums per currency, added in integer thousandths so the totals print exactly. */
function totals(planned: readonly Planned[]): CurrencyTotal[] {
  const byCurrency = new Map<string, CurrencyTotal>();
  for (const { kind, payment } of planned) {
    const row = byCurrency.get(payment.currency) ?? {
      currency: payment.currency,
      payments: 0,
      refunds: 0,
      paid: 0,
      refunded: 0,
    };
    const thousandths = Math.round(payment.amount * 1000);
    if (kind === "refund") {
      row.refunds += 1;
      row.refunded = (Math.round(row.refunded * 1000) + thousandths) / 1000;
    } else {
      row.payments += 1;
      row.paid = (Math.round(row.paid * 1000) + thousandths) / 1000;
    }
    byCurrency.set(payment.currency, row);
  }
  return [...byCurrency.values()];
}

/** Left-aligned columns, numbers right-aligned. */
function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          /^-?[\d.]+×?$/.test(cell) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
