// Preloaded into child processes (NODE_OPTIONS=--import) by leak-watch.ts: copies everything the
// child writes to stdout and stderr into LOG_TAP_FILE, so a test can read a child's log lines.
import { appendFileSync } from "node:fs";

const file = process.env.LOG_TAP_FILE;
if (file) {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      appendFileSync(file, chunk);
      return write(chunk, ...rest);
    };
  }
}
