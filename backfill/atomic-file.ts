import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Replaces `path` with `text` in one step: written to a temporary file beside it, then renamed
 * over it. A rename is atomic, so a crash or SIGKILL leaves the old file or the new one, never half.
 */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  // Owner-only: the failures file holds payments, customer emails included.
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}
