// Prints the plain "N passed, N failed" line CI reads, summed over vitest JSON reports. It counts
// tests only (vitest also counts each describe block of a failing test as a failed suite); a test
// file that failed outside any test (it did not load, a hook threw) and a missing report are
// named on stderr, noted on the line, and fail the run too.
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
const broken = [];
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    broken.push(`no test report at ${file}`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  for (const result of report.testResults ?? []) {
    const failedTests = result.assertionResults.filter((test) => test.status === "failed").length;
    if (result.status === "failed" && failedTests === 0) {
      broken.push(`${result.name} failed outside any test: ${String(result.message).split("\n")[0]}`);
    }
  }
}
for (const problem of broken) console.error(problem);
const errors = broken.length === 1 ? "1 run error" : `${broken.length} run errors`;
const notes = [skipped && `${skipped} skipped`, broken.length && `${errors} (see stderr)`];
console.log([`${passed} passed, ${failed} failed`, ...notes.filter(Boolean)].join(", "));
process.exitCode = failed > 0 || broken.length > 0 || passed === 0 ? 1 : 0;
