import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const script = fileURLToPath(new URL("../scripts/test-summary.mjs", import.meta.url));
const report = (name: string) => fileURLToPath(new URL(`fixtures/vitest-reports/${name}.json`, import.meta.url));

/** Runs the summary the way .ci/run does, on real vitest reports. */
function summarize(...reports: string[]) {
  const run = spawnSync(process.execPath, [script, ...reports], { encoding: "utf8" });
  return { line: run.stdout.trim(), stderr: run.stderr, exitCode: run.status };
}

describe("scripts/test-summary.mjs", () => {
  test("counts one failing test as one, not its file and describe blocks too", () => {
    expect(summarize(report("one-failing"))).toEqual({ line: "2 passed, 1 failed", stderr: "", exitCode: 1 });
  });

  test("fails the run for a file that did not load, naming it, while counting tests only", () => {
    const { line, stderr, exitCode } = summarize(report("load-error"));
    expect(line).toBe("2 passed, 0 failed, 1 run error (see stderr)");
    expect(stderr).toBe("test/load-error/b.test.ts failed outside any test: cannot load\n");
    expect(exitCode).toBe(1);
  });

  test("passes a green run, summing reports and naming skipped tests", () => {
    expect(summarize(report("passing"), report("passing"))).toEqual({
      line: "2 passed, 0 failed, 2 skipped",
      stderr: "",
      exitCode: 0,
    });
  });

  test("fails the run for a missing report", () => {
    const { line, stderr, exitCode } = summarize(report("passing"), "/nonexistent/platforms.json");
    expect(line).toBe("1 passed, 0 failed, 1 skipped, 1 run error (see stderr)");
    expect(stderr).toContain("no test report at /nonexistent/platforms.json");
    expect(exitCode).toBe(1);
  });

  test("fails a run in which nothing passed", () => {
    expect(summarize().exitCode).toBe(1);
  });
});
