// A long-lived process holding one function warm, as a platform keeps a container. Modes:
// - "overhead": rounds of latency (the function and a bare fetch, call for call) and throughput;
// - "secrets-warm" / "secrets-cold": 1,000 sequential or 50 concurrent first invocations, for the
//   parent to count the GetSecretValue calls they cost.
// Started by bench/run.ts with stdout ignored (the functions log a line per request); it reports
// over the IPC channel.
import { performance } from "node:perf_hooks";
import { bareFetch, benchEnv, loadFunction, type PreparedCall, paymentRequest, type Reply } from "./invoke.ts";
import { percentile } from "./stats.ts";

export type WorkerMode = "overhead" | "secrets-warm" | "secrets-cold";

/** Latency percentiles in ms and requests per second, for one side of one round. */
export interface SideFigures {
  p50: number;
  p99: number;
  rps1: number;
  rps32: number;
}

export type WorkerResult =
  | { mode: "overhead"; rounds: { fn: SideFigures; bare: SideFigures }[] }
  | { mode: "secrets-warm" | "secrets-cold"; invocations: number };

const ROUNDS = 5;
const WARMUP_CALLS = 300;
const LATENCY_PAIRS = 1000;
const THROUGHPUT_WINDOW_MS = 500;
const SECRETS_WARM_INVOCATIONS = 1000;
const SECRETS_COLD_CONCURRENCY = 50;

const env = benchEnv();
const mode = (process.env.BENCH_MODE ?? "overhead") as WorkerMode;
const prepare = await loadFunction(env.bundle, env.shape);
const nextCall = () => prepare(paymentRequest(env.authToken));
const bare = () => bareFetch(env.apiUrl, env.apiKey);

/** Fails the run loudly: a figure for requests that did not succeed would be meaningless. */
function expectOk(reply: Reply): void {
  if (reply.status !== 200) throw new Error(`expected 200, got ${reply.status}: ${reply.body.slice(0, 300)}`);
}

async function timed(call: () => Promise<Reply>): Promise<number> {
  const started = performance.now();
  expectOk(await call());
  return performance.now() - started;
}

/** Completed requests per second with `concurrency` loops running for a fixed window. */
async function throughput(concurrency: number, call: () => Promise<Reply>): Promise<number> {
  const until = performance.now() + THROUGHPUT_WINDOW_MS;
  let completed = 0;
  const loop = async () => {
    while (performance.now() < until) {
      expectOk(await call());
      completed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return completed / ((performance.now() - started) / 1000);
}

async function overheadRound(): Promise<{ fn: SideFigures; bare: SideFigures }> {
  const fnTimes: number[] = [];
  const bareTimes: number[] = [];
  // Call for call, so drift in the machine or the stand-in hits both sides alike.
  for (let i = 0; i < LATENCY_PAIRS; i++) {
    const call: PreparedCall = await nextCall();
    bareTimes.push(await timed(bare));
    fnTimes.push(await timed(call));
  }
  const figures = (times: number[], rps1: number, rps32: number): SideFigures => {
    const sorted = times.sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), rps1, rps32 };
  };
  const viaFunction = async () => (await nextCall())();
  return {
    fn: figures(fnTimes, await throughput(1, viaFunction), await throughput(32, viaFunction)),
    bare: figures(bareTimes, await throughput(1, bare), await throughput(32, bare)),
  };
}

async function run(): Promise<WorkerResult> {
  switch (mode) {
    case "overhead": {
      for (let i = 0; i < WARMUP_CALLS; i++) {
        expectOk(await bare());
        expectOk(await (await nextCall())());
      }
      const rounds = [];
      for (let i = 0; i < ROUNDS; i++) rounds.push(await overheadRound());
      return { mode, rounds };
    }
    case "secrets-warm":
      for (let i = 0; i < SECRETS_WARM_INVOCATIONS; i++) expectOk(await (await nextCall())());
      return { mode, invocations: SECRETS_WARM_INVOCATIONS };
    case "secrets-cold": {
      const calls = await Promise.all(Array.from({ length: SECRETS_COLD_CONCURRENCY }, nextCall));
      for (const reply of await Promise.all(calls.map((call) => call()))) expectOk(reply);
      return { mode, invocations: SECRETS_COLD_CONCURRENCY };
    }
  }
}

process.send?.(await run(), () => process.disconnect());
