import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import { afterAll, beforeAll } from "vitest";
import { isRecord } from "../../shared/is-record.ts";
import { providers } from "../../shared/webhooks/providers.ts";

/**
 * A distinctive sentinel for every secret setting (the webhook secrets follow whatever providers
 * exist), so a copy of one anywhere in an answer or a log line is found by plain search.
 */
export const sentinelSecrets: Readonly<
  Record<string, string> & { DATAFAST_API_KEY: string; PAYMENTS_AUTH_TOKEN: string }
> = {
  DATAFAST_API_KEY: "df_SENTINEL_apikey_5e1f0c27d9a4b3",
  PAYMENTS_AUTH_TOKEN: "tok_SENTINEL_auth_83b6a1f4c2e7",
  ...Object.fromEntries(
    Object.values(providers)
      .flatMap(({ secretName, otherSecretNames = [] }) => [secretName, ...otherSecretNames])
      .map((name) => [name, `whsec_${Buffer.from(`SENTINEL ${name}`).toString("base64")}`]),
  ),
};

/** A watched value found where it must never be. */
interface Leak {
  label: string;
  where: string;
}

export interface LeakWatch {
  /** Also watch for `value` (a customer email, another credential), named `label` in reports. */
  watch(label: string, value: string): void;
  /** Reads a response's headers and body into the record; returns the body text. */
  read(response: Response, where: string): Promise<string>;
  /** Every place a watched value appeared: answers, this process's output, child processes' output. */
  leaks(): Leak[];
  /** How much was scanned: answers read and output lines captured. */
  scanned(): { answers: number; logLines: number };
  /** The functions' JSON log lines captured so far, this process's and child processes', parsed. */
  logLines(): Record<string, unknown>[];
}

const consoleMethods = ["log", "info", "warn", "error", "debug"] as const;
const logTap = new URL("./log-tap.mjs", import.meta.url).href;

/**
 * Watches one test file for leaks of the sentinel secrets and of any value added with `watch`:
 * captures console and stdout/stderr of this process, and (through a preloaded tap) of child
 * processes started during the file, such as Vercel's dev server.
 */
export function useLeakWatch(): LeakWatch {
  const watched = new Map<string, string>(Object.entries(sentinelSecrets).map(([name, value]) => [value, name]));
  const answers: { where: string; text: string }[] = [];
  const output: string[] = [];
  const restore: (() => void)[] = [];
  let tapDir: string | undefined;
  let tapFile = "";

  beforeAll(() => {
    for (const method of consoleMethods) {
      const original = console[method];
      // Captured, not echoed: the function's log lines would drown the test report.
      console[method] = (...args: unknown[]) => {
        output.push(format(...args));
      };
      restore.push(() => {
        console[method] = original;
      });
    }
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      stream.write = function (this: typeof stream, chunk: unknown, ...rest: unknown[]) {
        output.push(String(chunk));
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof stream.write;
      restore.push(() => {
        stream.write = original;
      });
    }
    // Child processes inherit the environment: each one started from now on taps its output.
    tapDir = mkdtempSync(join(tmpdir(), "leak-watch-"));
    const saved = { LOG_TAP_FILE: process.env.LOG_TAP_FILE, NODE_OPTIONS: process.env.NODE_OPTIONS };
    tapFile = join(tapDir, "children.log");
    process.env.LOG_TAP_FILE = tapFile;
    process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ""} --import=${logTap}`.trim();
    restore.push(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
  });
  afterAll(() => {
    for (const undo of restore.splice(0).reverse()) undo();
    if (tapDir) rmSync(tapDir, { recursive: true, force: true });
  });

  const childOutput = () => {
    try {
      return readFileSync(tapFile, "utf8");
    } catch {
      return ""; // no child wrote anything yet
    }
  };

  const outputLines = () => [...output, childOutput()].join("\n").split("\n").filter(Boolean);

  return {
    watch(label, value) {
      watched.set(value, label);
    },
    async read(response, where) {
      const text = await response.text();
      answers.push({ where, text: `${[...response.headers].map((pair) => pair.join(": ")).join("\n")}\n\n${text}` });
      return text;
    },
    leaks() {
      const places = [
        ...answers,
        ...output.map((text) => ({ where: "process output", text })),
        { where: "child process output", text: childOutput() },
      ];
      const found: Leak[] = [];
      for (const { where, text } of places) {
        for (const [value, label] of watched) if (text.includes(value)) found.push({ label, where });
      }
      return found;
    },
    scanned() {
      return { answers: answers.length, logLines: outputLines().length };
    },
    logLines() {
      return outputLines().flatMap((line) => {
        try {
          const parsed: unknown = JSON.parse(line);
          return isRecord(parsed) && "route" in parsed ? [parsed] : [];
        } catch {
          return []; // not a log line of the functions
        }
      });
    },
  };
}
