import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ProjectCopy, toolBin } from "./support.ts";

// Each platform's own build, run offline in a project copy exactly as the platform tests and the
// benchmark (bench/deployed.ts) run it. Each resolves with the tool's output.

// `vercel build` reads the linked project from here; this stub is all it needs offline.
const VERCEL_PROJECT_STUB = { projectId: "prj_x", orgId: "team_x", settings: { framework: null, nodeVersion: "22.x" } };

/** `vercel build`: .vercel/output/functions/<route dest>.func/ per function. */
export async function vercelBuild(copy: ProjectCopy): Promise<string> {
  await mkdir(join(copy.dir, ".vercel"), { recursive: true });
  await writeFile(join(copy.dir, ".vercel/project.json"), JSON.stringify(VERCEL_PROJECT_STUB));
  // node_modules is already in the copy: Vercel's own install step would only redo it.
  return copy.exec(toolBin("vercel"), ["build", "--yes"], { VERCEL_INSTALL_COMPLETED: "1" });
}

/** `netlify build --offline`: .netlify/functions/<name>.zip per function (zip-it-and-ship-it). */
export function netlifyBuild(copy: ProjectCopy): Promise<string> {
  return copy.exec(toolBin("netlify"), ["build", "--offline"]);
}

/** `osls package`: .serverless/<name>.zip per function (serverless-esbuild). */
export function oslsPackage(copy: ProjectCopy, params: Record<string, string>): Promise<string> {
  return copy.exec(toolBin("osls"), [
    "package",
    ...Object.entries(params).map(([name, value]) => `--param=${name}=${value}`),
  ]);
}

/** `wrangler deploy --dry-run`: the Worker bundled as it would be uploaded, into `outdir`, nothing sent. */
export function wranglerDryRun(copy: ProjectCopy, outdir: string): Promise<string> {
  return copy.exec(toolBin("wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
  });
}
