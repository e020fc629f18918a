// CI's bundle-size budget: builds every function (`npm run build`) and fails when a bundle's
// minified bytes grow past its committed budget in bench/budgets.json. Prints one line per bundle.
// Sizes are deterministic for a given lockfile, so this is the one performance figure CI enforces;
// the timed ones live in `npm run bench`.
import { readFile } from "node:fs/promises";
import { buildAll } from "./build.mjs";

const budgets = JSON.parse(await readFile("bench/budgets.json", "utf8"));
let failed = false;
for (const { file, bytes } of await buildAll()) {
  const budget = budgets[file];
  const verdict = budget === undefined ? "NO BUDGET" : bytes <= budget ? "ok" : "OVER BUDGET";
  if (verdict !== "ok") failed = true;
  console.log(`${verdict.padEnd(11)} ${file.padEnd(34)} ${String(bytes).padStart(8)} B  budget ${budget ?? "-"} B`);
}
if (failed) {
  console.log("A bundle has no budget or outgrew it: shrink it, or raise bench/budgets.json in a reviewed commit.");
  process.exitCode = 1;
}
