import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isRecord } from "../shared/is-record.ts";
import type { Payment } from "../shared/payment.ts";
import { writeAtomically } from "./atomic-file.ts";
import { SettingsError } from "./settings.ts";

const VERSION = 1;

/**
 * What a backfill has recorded so far: transaction_id -> fingerprint of the exact payment DataFast
 * confirmed. Written after every confirmation, so a run stopped at any point (Ctrl-C, SIGKILL, a
 * crash) is continued by running it again, and nothing confirmed is ever sent again.
 */
export interface Checkpoint {
  readonly path: string;
  /** The fingerprint of what was recorded under `transactionId`, if it was. */
  recorded(transactionId: string): string | undefined;
  /** Saves `payment` as confirmed, durably, before the call returns. */
  markRecorded(payment: Payment): void;
}

/**
 * Opens (or starts) the checkpoint at `path`. `target` names where payments go (DataFast URL and
 * website): a checkpoint made for another target is refused, since its ids say nothing there.
 */
export function openCheckpoint(path: string, target: string): Checkpoint {
  const recorded = existsSync(path) ? readState(path, target) : new Map<string, string>();
  return {
    path,
    recorded: (transactionId) => recorded.get(transactionId),
    markRecorded(payment) {
      recorded.set(payment.transaction_id, fingerprint(payment));
      writeAtomically(path, JSON.stringify({ version: VERSION, target, recorded: Object.fromEntries(recorded) }));
    },
  };
}

function readState(path: string, target: string): Map<string, string> {
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new SettingsError(`State file ${path} is not JSON; move it away to start over`);
  }
  if (!isRecord(state) || state.version !== VERSION || !isRecord(state.recorded)) {
    throw new SettingsError(
      `State file ${path} is not a backfill state (version ${VERSION}); move it away to start over`,
    );
  }
  if (state.target !== target) {
    throw new SettingsError(`State file ${path} belongs to another DataFast target; pass --state <file> for this one`);
  }
  return new Map(
    Object.entries(state.recorded).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** A short digest of a payment's exact content (keys sorted), to tell "the same" from "changed since". */
export function fingerprint(payment: Payment): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(payment).sort(([a], [b]) => a.localeCompare(b))));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}
