import { afterEach, beforeEach, type MockInstance, vi } from "vitest";

/**
 * Keeps the functions' log lines (console.log and console.error) out of the test output for every
 * test of the calling file, and returns a reader of what the current test logged, one string a line.
 */
export function captureConsoleLines(): () => string[] {
  let spies: MockInstance[] = [];
  beforeEach(() => {
    spies = [
      vi.spyOn(console, "log").mockImplementation(() => {}),
      vi.spyOn(console, "error").mockImplementation(() => {}),
    ];
  });
  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });
  return () => spies.flatMap((spy) => spy.mock.calls.map((call) => String(call[0])));
}
