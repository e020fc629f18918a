// Preloaded into child processes (NODE_OPTIONS=--import) by leak-watch.ts: everything the child
// writes to stdout and stderr goes to LOG_TAP_FILE instead, where the test reads it (and where
// to look when such a child fails).
import { appendFileSync } from "node:fs";

const file = process.env.LOG_TAP_FILE;
if (file) {
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = (chunk, ...rest) => {
      appendFileSync(file, chunk);
      rest.find((arg) => typeof arg === "function")?.();
      return true;
    };
  }
}
