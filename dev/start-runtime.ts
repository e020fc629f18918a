import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { loadEnvFile } from "./env-file.ts";
import { type RuntimeName, runtimeBin, runtimes } from "./runtimes.ts";
import { startSandbox } from "./sandbox.ts";
import { waitForPort } from "./wait-for-port.ts";

/**
 * `npm run start:<cloudflare|deno|bun>`: the routes served by that real runtime on PORT (8787),
 * every setting from the environment (and .env), like `npm start`: without DATAFAST_API_KEY
 * payments go to the loopback DataFast stand-in, and missing secrets are generated.
 */
const name = process.argv[2] ?? "";
if (!Object.hasOwn(runtimes, name)) {
  throw new Error(`usage: node scripts/run.mjs dev/start-runtime.ts <${Object.keys(runtimes).join("|")}>`);
}
const launch = runtimes[name as RuntimeName];
const bin = runtimeBin(process.cwd(), launch);
if (!existsSync(bin)) {
  throw new Error(`${launch.bin} is not installed: npm install --prefix tools/platforms (the pinned platform tools)`);
}
const envFileLoaded = loadEnvFile();
const port = Number(process.env.PORT || 8787);
const sandbox = await startSandbox(process.env, port, `http://127.0.0.1:${port}${launch.pathPrefix}`);
const child = spawn(bin, launch.args(port), {
  env: { ...process.env, ...launch.env(port) },
  stdio: "inherit",
});
child.on("exit", (code) => void sandbox.close().then(() => process.exit(code ?? 1)));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
await waitForPort(port, child, () => "(its output is above)");
await sandbox.announce({ envFileLoaded, runtime: name });
