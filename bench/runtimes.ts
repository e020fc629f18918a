// The single-entry runtimes (workerd under `wrangler dev`, Deno, Bun) serving every route over
// loopback HTTP, started as `npm run start:<runtime>` starts them. Figures of another kind than
// the in-process ones: each includes the runtime's own HTTP server and a loopback round trip, and
// workerd's cold start includes wrangler (a Node CLI that bundles the Worker before starting it).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { type RuntimeName, runtimeBin, runtimes } from "../dev/runtimes.ts";
import { stopProcessGroup } from "../test/platforms/support.ts";
import { freePort } from "../test/support/net.ts";
import { paymentRequest } from "./invoke.ts";
import { percentile, type Spread, spread } from "./stats.ts";

const MEASURED: RuntimeName[] = ["cloudflare", "deno", "bun"];
const COLD_RUNS = 5;
const WARMUP_REQUESTS = 200;
const WARM_REQUESTS = 2000;
const START_TIMEOUT_MS = 60_000;

export interface RuntimeFigures {
  id: RuntimeName;
  /** From spawning the runtime to the answer of its first payment. */
  coldMs: Spread;
  /** One payment after another over one keep-alive connection pool. */
  warm: { p50Ms: number; p99Ms: number };
}

/** Every measurable runtime's figures with `settings` (DataFast's stand-in among them), or why there are none. */
export async function measureRuntimes(
  settings: Record<string, string>,
  progress: (message: string) => void,
): Promise<{ figures: RuntimeFigures[]; notes: string[] }> {
  const payment = (origin: string) => paymentRequest(settings.PAYMENTS_AUTH_TOKEN ?? "", origin);
  const root = process.cwd();
  if (!existsSync(runtimeBin(root, runtimes.deno))) {
    return { figures: [], notes: ["The runtimes are not installed (tools/platforms): no workerd, Deno or Bun row."] };
  }
  const figures: RuntimeFigures[] = [];
  for (const id of MEASURED) {
    const cold: number[] = [];
    let warm: RuntimeFigures["warm"] | undefined;
    for (let run = 0; run < COLD_RUNS; run++) {
      progress(`runtime ${id}: cold start ${run + 1}/${COLD_RUNS}`);
      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      const launch = runtimes[id];
      const started = performance.now();
      const child = spawn(runtimeBin(root, launch), launch.args(port), {
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...settings, ...launch.env(port) },
        stdio: "ignore",
        detached: true,
      });
      try {
        await firstAnswer(child, () => payment(origin));
        cold.push(performance.now() - started);
        if (run === COLD_RUNS - 1) {
          progress(`runtime ${id}: warm`);
          warm = await warmLatency(() => payment(origin));
        }
      } finally {
        await stopProcessGroup(child);
      }
    }
    figures.push({ id, coldMs: spread(cold), warm: warm as RuntimeFigures["warm"] });
  }
  return { figures, notes: [] };
}

/** Sends `request()` until the runtime answers 200 (a refused connection means not listening yet). */
async function firstAnswer(child: ChildProcess, request: () => Request): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the runtime exited with ${child.exitCode} before answering`);
    const status = await fetch(request()).then(
      (response) => response.arrayBuffer().then(() => response.status),
      () => undefined,
    );
    if (status === 200) return;
    if (status !== undefined) throw new Error(`the runtime answered its first payment with ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the runtime did not answer within ${START_TIMEOUT_MS} ms`);
}

async function warmLatency(request: () => Request): Promise<RuntimeFigures["warm"]> {
  const times: number[] = [];
  for (let index = 0; index < WARMUP_REQUESTS + WARM_REQUESTS; index++) {
    const started = performance.now();
    const response = await fetch(request());
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`a warm payment was answered ${response.status}`);
    if (index >= WARMUP_REQUESTS) times.push(performance.now() - started);
  }
  const sorted = times.toSorted((a, b) => a - b);
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}
