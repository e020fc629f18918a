// A fresh process that serves ONE payment and reports how long after its own start the answer
// was complete. Run with an empty BENCH_BUNDLE it is the baseline: the same single request as a
// bare fetch, importing nothing. Started by bench/run.ts, it reports over the IPC channel.
import { performance } from "node:perf_hooks";
import { bareFetch, benchEnv, loadFunction, type Reply, requestToSend } from "./invoke.ts";

export interface ColdResult {
  /** Milliseconds from process start (performance.timeOrigin) to the complete answer. */
  ms: number;
  status: number;
}

const env = benchEnv();
let reply: Reply;
if (env.bundle) {
  const prepare = await loadFunction(env.bundle, env.shape);
  reply = await (await prepare(requestToSend(env.authToken)))();
} else {
  reply = await bareFetch(env.apiUrl, env.apiKey);
}
const result: ColdResult = { ms: performance.now(), status: reply.status };
process.send?.(result, () => process.disconnect());
