// `npm run test:platforms`: installs the pinned platform CLIs when missing, checks that each one
// really runs (npm 11 skips install scripts), then runs test/platforms with no network but loopback.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const tools = import.meta.dirname;
const root = join(tools, "../..");

if (!existsSync(join(tools, "node_modules"))) {
  const started = Date.now();
  // `npm install --no-save` installs exactly the locked tree. `npm ci` would refuse this lockfile:
  // the vercel CLI's optional binaries for other systems are not in the registry reachable here,
  // so they could not be locked.
  execFileSync("npm", ["install", "--no-save", "--prefix", tools, "--no-audit", "--no-fund"], { stdio: "inherit" });
  console.log(`platform tools installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Each CLI must start and report exactly the version the manifest pins.
const pinned = JSON.parse(readFileSync(join(tools, "package.json"), "utf8")).dependencies;
const clis = [
  ["vercel", ["--version"], "vercel"],
  ["netlify", ["--version"], "netlify-cli"],
  ["osls", ["--version"], "osls"],
  ["wrangler", ["--version"], "wrangler"],
  // deno and bun are the runtimes' own binaries, shipped as the packages' optional dependencies.
  ["deno", ["--version"], "deno"],
  ["bun", ["--version"], "bun"],
];
for (const [bin, args, name] of clis) {
  const output = execFileSync(join(tools, "node_modules/.bin", bin), args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      VERCEL_TELEMETRY_DISABLED: "1",
      NETLIFY_TELEMETRY_DISABLED: "1",
      SLS_TELEMETRY_DISABLED: "1",
      WRANGLER_SEND_METRICS: "false",
      DENO_NO_UPDATE_CHECK: "1",
    },
  });
  if (!output.includes(pinned[name]))
    throw new Error(`${bin} ${args.join(" ")} printed ${output}, expected ${pinned[name]}`);
}

// A private network namespace with only loopback up: a CLI that tries to reach the internet fails
// instead of quietly depending on it. Needs root (CI has it); elsewhere the tests still run offline
// by their flags and environment alone.
const vitest = [
  join(root, "node_modules/.bin/vitest"),
  "run",
  "--config",
  "test/platforms/vitest.config.ts",
  ...process.argv.slice(2),
];
const isolated = spawnSync("unshare", ["--net", "ip", "link", "set", "lo", "up"]).status === 0;
if (!isolated) console.log("network namespace unavailable: running the platform tests without network isolation");
const command = isolated
  ? ["unshare", ["--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", ...vitest]]
  : [vitest[0], vitest.slice(1)];
const started = Date.now();
const result = spawnSync(command[0], command[1], { cwd: root, stdio: "inherit" });
console.log(`platform tests took ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = result.status ?? 1;
