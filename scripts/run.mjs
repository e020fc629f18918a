// Runs a TypeScript entry point on Node 20 (no built-in type stripping): esbuild bundles the
// project's own files into .cache/ (packages stay external) and the result is imported.
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const entry = process.argv[2];
if (!entry) throw new Error("usage: node scripts/run.mjs <entry.ts> [args...]");
const outfile = resolve(".cache", `${basename(entry, ".ts")}.mjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "inline",
  logLevel: "warning",
});
process.argv.splice(2, 1);
await import(pathToFileURL(outfile).href);
