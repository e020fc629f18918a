// `npm run bench`: what a serverless user pays for each payments function (bundle size, cold
// start, warm overhead, Secrets Manager calls) side by side with two peers, in one process tree
// on this machine: the files `npm run build` writes and, when tools/platforms is installed, the
// ones the deploy tools write (bench/deployed.ts); then the single-entry runtimes over HTTP
// (bench/runtimes.ts). Prints a markdown table, or with --json the same figures as one JSON
// object. Progress goes to stderr so stdout is only the report.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { cpus, platform, release } from "node:os";
import { build } from "esbuild";
import { startDataFastStandIn } from "../dev/datafast-standin.ts";
import { buildAll, bundleFunction } from "../scripts/build.mjs";
import { extensionEnv, sdkEnv, startSecretsManagerStandIn } from "../test/support/secrets-manager-standin.ts";
import { type ProviderCase, providerCases, secrets as webhookSecrets } from "../test/webhooks/cases.ts";
import type { ColdResult } from "./cold-probe.ts";
import { buildDeployed } from "./deployed.ts";
import { type BenchReport, type BundleFigures, type TargetFigures, toMarkdown } from "./report.ts";
import { measureRuntimes } from "./runtimes.ts";
import { type Spread, spread } from "./stats.ts";
import { builtTargets, peerTargets, sizeGoals, type Target, type WebhookTarget, webhookTargets } from "./targets.ts";
import type { SideFigures, WorkerMode, WorkerResult } from "./warm-worker.ts";

const COLD_RUNS = 25;
const SECRETS_RUNS = 3;
const LARGEST_INPUTS = 3;
// A child that takes longer than this is stuck: fail the bench rather than hang it.
const CHILD_TIMEOUT_MS = 120_000;
const SECRET_ID = "datafast/bench";
const CHILDREN_DIR = ".cache/bench";

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

progress("bundling functions, peers and bench processes");
const bundles = await buildAll();
const deployed = await buildDeployed(progress);
const targets = [...builtTargets, ...deployed.targets, ...peerTargets];
await build({
  entryPoints: ["bench/cold-probe.ts", "bench/warm-worker.ts"],
  outdir: CHILDREN_DIR,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
});

const apiKey = `df_bench_${randomBytes(12).toString("hex")}`;
const authToken = randomBytes(24).toString("base64url");
// Every figure sends the same payment again and again: each send must take the recording path.
const dataFast = await startDataFastStandIn({ acceptKey: (key) => key === apiKey, deduplicate: false });
// The stand-in remembers every request; the bench sends hundreds of thousands.
const forgetRequests = setInterval(() => {
  dataFast.requests.length = 0;
}, 1000);
const secretsManager = await startSecretsManagerStandIn();
const standardWebhook = providerCases.find((each) => each.provider === "standard") as ProviderCase;
const secretString = JSON.stringify({
  DATAFAST_API_KEY: apiKey,
  PAYMENTS_AUTH_TOKEN: authToken,
  STANDARD_WEBHOOK_SECRET: webhookSecrets.STANDARD_WEBHOOK_SECRET,
});
secretsManager.secrets.set(SECRET_ID, secretString);

const baseEnv = {
  DATAFAST_API_URL: dataFast.url,
  DATAFAST_API_KEY: apiKey,
  PAYMENTS_AUTH_TOKEN: authToken,
  STANDARD_WEBHOOK_SECRET: webhookSecrets.STANDARD_WEBHOOK_SECRET,
};

/** A target's environment: Secrets Manager users get the secret id and the SDK (or the extension interface) pointed at the stand-in. */
function targetEnv(target: Target | undefined, secretId = SECRET_ID): Record<string, string> {
  const env: Record<string, string> = {
    ...baseEnv,
    BENCH_BUNDLE: target?.bundle ?? "",
    BENCH_SHAPE: target?.shape ?? "",
  };
  if (target?.secrets === "sdk") return { ...env, ...sdkEnv(secretsManager), DATAFAST_SECRET_ID: secretId };
  if (target?.secrets === "extension") return { ...env, ...extensionEnv(secretsManager), DATAFAST_SECRET_ID: secretId };
  return env;
}

/** Runs one bench child to completion and returns the one result it reports over IPC. */
function runChild<T>(script: string, env: Record<string, string>): Promise<T> {
  const child = fork(`${CHILDREN_DIR}/${script}`, [], {
    env: { PATH: process.env.PATH ?? "", ...env },
    execArgv: [],
    // The functions log one line per request: to /dev/null, as their stdout is not the report.
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    timeout: CHILD_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    let result: T | undefined;
    child.once("message", (message) => {
      result = message as T;
      // Idle keep-alive sockets may hold it open a while: its work is done.
      child.kill();
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (result !== undefined) resolve(result);
      else
        reject(new Error(`${script} (${env.BENCH_BUNDLE || "baseline"}) ended with ${code ?? signal} and no result`));
    });
  });
}

/** A Standard Webhooks payment, signed now (the scheme refuses old timestamps), for BENCH_REQUEST. */
async function signedWebhook(): Promise<string> {
  const request = standardWebhook.request(standardWebhook.payment.body);
  return JSON.stringify({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
}

/**
 * Cold start: fresh processes, each target (and each webhooks function) and the baseline taking
 * turns so drift hits all alike.
 */
async function measureColdStarts(): Promise<Map<string, TargetFigures["cold"]>> {
  const baseline: number[] = [];
  const cold = [...targets, ...webhookTargets];
  const times = new Map<string, number[]>(cold.map((target) => [target.id, []]));
  for (let run = 0; run < COLD_RUNS; run++) {
    progress(`cold start run ${run + 1}/${COLD_RUNS}`);
    baseline.push((await runChild<ColdResult>("cold-probe.mjs", targetEnv(undefined))).ms);
    for (const target of cold) {
      const env = targetEnv(target);
      if (webhookTargets.includes(target as WebhookTarget)) env.BENCH_REQUEST = await signedWebhook();
      const result = await runChild<ColdResult>("cold-probe.mjs", env);
      if (result.status !== 200) throw new Error(`${target.id} answered its cold request with ${result.status}`);
      times.get(target.id)?.push(result.ms);
    }
  }
  const baselineMs = spread(baseline);
  return new Map(
    cold.map((target) => {
      const ms = times.get(target.id) ?? [];
      return [
        target.id,
        {
          ms: spread(ms),
          baselineMs,
          // Each run against the baseline run it was paired with.
          deltaMs: spread(ms.map((value, run) => value - (baseline[run] as number))),
          ratio: spread(ms.map((value, run) => value / (baseline[run] as number))),
        },
      ];
    }),
  );
}

async function measureWarm(target: Target): Promise<TargetFigures["warm"]> {
  progress(`warm overhead: ${target.id}`);
  const result = await runChild<WorkerResult>("warm-worker.mjs", { ...targetEnv(target), BENCH_MODE: "overhead" });
  if (result.mode !== "overhead") throw new Error(`warm worker answered in mode ${result.mode}`);
  const { rounds } = result;
  const side = (pick: (round: (typeof rounds)[number]) => SideFigures) => ({
    p50Ms: spread(rounds.map((round) => pick(round).p50)),
    p99Ms: spread(rounds.map((round) => pick(round).p99)),
    rps1: spread(rounds.map((round) => pick(round).rps1)),
    rps32: spread(rounds.map((round) => pick(round).rps32)),
  });
  return {
    ...side((round) => round.fn),
    p50Ratio: spread(rounds.map((round) => round.fn.p50 / round.bare.p50)),
    p99Ratio: spread(rounds.map((round) => round.fn.p99 / round.bare.p99)),
    bare: side((round) => round.bare),
  };
}

/** GetSecretValue calls one fresh process makes in `mode`, each run against a secret of its own. */
async function countSecretCalls(target: Target, mode: WorkerMode): Promise<Spread> {
  const counts: number[] = [];
  for (let run = 0; run < SECRETS_RUNS; run++) {
    progress(`Secrets Manager calls: ${target.id} ${mode} ${run + 1}/${SECRETS_RUNS}`);
    // One secret per target, mode and run: the stand-in counts calls per secret id.
    const secretId = `${SECRET_ID}/${target.id}/${mode}/${run}`;
    secretsManager.secrets.set(secretId, secretString);
    await runChild<WorkerResult>("warm-worker.mjs", { ...targetEnv(target, secretId), BENCH_MODE: mode });
    counts.push(secretsManager.calls.get(secretId) ?? 0);
  }
  return spread(counts);
}

/** Bytes per package (or project file) in a bundle, largest first. */
async function largestInputs(bundle: string): Promise<BundleFigures["largestInputs"]> {
  const metafile = JSON.parse(await readFile(bundle.replace(/\.mjs$/, ".meta.json"), "utf8"));
  const output = Object.values(metafile.outputs)[0] as { inputs: Record<string, { bytesInOutput: number }> };
  const byName = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path;
    byName.set(name, (byName.get(name) ?? 0) + bytesInOutput);
  }
  return [...byName]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, LARGEST_INPUTS);
}

try {
  const peerBundles = await Promise.all(peerTargets.map((target) => bundleFunction(target.entry, target.bundle)));
  const bundleFigures: BundleFigures[] = [
    ...(await Promise.all(
      [...bundles, ...peerBundles].map(async ({ file, bytes, gzip }) => ({
        file,
        bytes,
        gzip,
        goalBytes: file.startsWith("dist/") ? sizeGoals[file.split("/")[1] ?? ""] : undefined,
        largestInputs: await largestInputs(file),
      })),
    )),
    ...deployed.bundles,
  ];
  const cold = await measureColdStarts();
  const figures: TargetFigures[] = [];
  for (const target of targets) {
    const bundle = bundleFigures.find((b) => b.targetId === target.id || b.file === target.bundle);
    if (!bundle) throw new Error(`no bundle for ${target.id}`);
    figures.push({
      id: target.id,
      bytes: bundle.bytes,
      gzip: bundle.gzip,
      cold: cold.get(target.id) as TargetFigures["cold"],
      warm: await measureWarm(target),
      ...(target.secrets !== "env" && {
        secretCalls: {
          warm1000: await countSecretCalls(target, "secrets-warm"),
          cold50: await countSecretCalls(target, "secrets-cold"),
        },
      }),
    });
  }
  const runtimes = await measureRuntimes(baseEnv, progress);
  const cpuList = cpus();
  const report: BenchReport = {
    machine: {
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model.trim() ?? "unknown",
      node: process.version,
      os: `${platform()} ${release()}`,
      date: new Date().toISOString().slice(0, 10),
    },
    notes: [...deployed.notes, ...runtimes.notes],
    bundles: bundleFigures,
    webhooksCold: webhookTargets.map((target) => ({
      id: target.id,
      paymentsId: target.paymentsId,
      cold: cold.get(target.id) as TargetFigures["cold"],
    })),
    targets: figures,
    runtimes: runtimes.figures,
  };
  console.log(process.argv.includes("--json") ? JSON.stringify(report, null, 2) : toMarkdown(report));
} finally {
  clearInterval(forgetRequests);
  await Promise.all([dataFast.close(), secretsManager.close()]);
}
