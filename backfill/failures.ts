import { existsSync, readFileSync, rmSync } from "node:fs";
import { isRecord } from "../shared/is-record.ts";
import { type Payment, parsePayment } from "../shared/payment.ts";
import { writeAtomically } from "./atomic-file.ts";
import { SettingsError } from "./settings.ts";

/** Something that did not make it into DataFast, and why. */
export interface Failure {
  /** The provider's id of the object (or of the page, for a listing that broke off). */
  id: string;
  kind: "payment" | "refund" | "listing";
  reason: string;
  /** The mapped payment when there is one: what `--retry-failed` sends again. */
  payment?: Payment;
}

/** The failures file beside a state file: `x.json` -> `x.failures.json`. */
export function failuresPath(statePath: string): string {
  return statePath.replace(/(\.json)?$/, ".failures.json");
}

export function readFailures(path: string): Failure[] {
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new SettingsError(`Failures file ${path} is not JSON; move it away to start over`);
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.failures))
    throw new SettingsError(`Failures file ${path} has no "failures" list`);
  return parsed.failures.flatMap((entry): Failure[] => {
    if (!isRecord(entry) || typeof entry.id !== "string" || typeof entry.reason !== "string") return [];
    const kind = entry.kind === "refund" || entry.kind === "listing" ? entry.kind : "payment";
    // A hand-edited payment is checked again like any other, never sent unchecked.
    const checked = entry.payment === undefined ? undefined : parsePayment(entry.payment);
    return [{ id: entry.id, kind, reason: entry.reason, ...(checked?.ok && { payment: checked.payment }) }];
  });
}

/** Saves the failures (atomically); an empty list removes the file, so its presence means work left. */
export function writeFailures(path: string, failures: readonly Failure[]): void {
  if (failures.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  writeAtomically(path, `${JSON.stringify({ failures }, null, 2)}\n`);
}
