// The payments function as each platform's own tool builds it: `osls package` (serverless-esbuild),
// `vercel build` (@vercel/node) and `netlify build` (zip-it-and-ship-it), run offline in one
// throw-away project copy with the tools `npm run test:platforms` installs. Each artifact is
// unpacked under .cache/bench/deployed/ so the bench loads it as the platform would.
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { netlifyBuild, oslsPackage, vercelBuild } from "../test/platforms/builds.ts";
import { copyProject, readZip, toolBin } from "../test/platforms/support.ts";
import type { BundleFigures } from "./report.ts";
import { DEPLOYED_DIR, deployedTargets, type Target } from "./targets.ts";

const LARGEST_FILES = 3;
// Files a tool adds that are the platform's own runtime, not the function: counted apart.
const PLATFORM_FILES = /(^|\/)(___netlify-[^/]*|\.vc-config\.json)$|\.map$/;

export interface Deployed {
  targets: Target[];
  bundles: BundleFigures[];
  /** Why a platform's row is missing, when one is. */
  notes: string[];
}

/** Builds and unpacks every deployed artifact, or says why it could not. */
export async function buildDeployed(progress: (message: string) => void): Promise<Deployed> {
  if (!existsSync(toolBin("osls"))) {
    return {
      targets: [],
      bundles: [],
      notes: [
        "The deploy tools are not installed (tools/platforms/node_modules; `npm run test:platforms` installs them): no row for what osls package, vercel build and netlify build ship.",
      ],
    };
  }
  await rm(DEPLOYED_DIR, { recursive: true, force: true });
  const copy = await copyProject();
  try {
    progress("osls package");
    await oslsPackage(copy, { datafastSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-AbCdEf" });
    await unzip(join(copy.dir, ".serverless/payments.zip"), join(DEPLOYED_DIR, "osls"));
    progress("vercel build");
    await vercelBuild(copy);
    await cp(
      join(copy.dir, ".vercel/output/functions/functions/vercel/bundled/payments.mjs.func"),
      join(DEPLOYED_DIR, "vercel"),
      {
        recursive: true,
      },
    );
    progress("netlify build");
    await netlifyBuild(copy);
    await unzip(join(copy.dir, ".netlify/functions/payments.zip"), join(DEPLOYED_DIR, "netlify"));
  } finally {
    await copy.remove();
  }
  const bundles = await Promise.all(deployedTargets.map((target) => artifactFigures(target)));
  return { targets: deployedTargets, bundles, notes: [] };
}

async function unzip(zip: string, into: string): Promise<void> {
  for (const [name, data] of await readZip(zip)) {
    await mkdir(dirname(join(into, name)), { recursive: true });
    await writeFile(join(into, name), data);
  }
}

/**
 * Size of everything the function can load from its artifact (the platform's own runtime files
 * and source maps left out): the bundle, plus Vercel's one-line entry that re-exports it. gzip is
 * the sum over files, about what the upload's zip holds.
 */
async function artifactFigures(target: Target): Promise<BundleFigures> {
  const root = join(DEPLOYED_DIR, relative(DEPLOYED_DIR, target.bundle).split("/")[0] ?? "");
  const entries = (await readdir(root, { recursive: true, encoding: "utf8" })).filter(
    (file) => !PLATFORM_FILES.test(file),
  );
  const byName = new Map<string, number>();
  let files = 0;
  let bytes = 0;
  let gzip = 0;
  for (const file of entries) {
    const path = join(root, file);
    if (!(await stat(path)).isFile()) continue;
    files += 1;
    const data = await readFile(path);
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file;
    byName.set(name, (byName.get(name) ?? 0) + data.byteLength);
    bytes += data.byteLength;
    gzip += gzipSync(data).byteLength;
  }
  return {
    file: `${root}/ (${files} files)`,
    targetId: target.id,
    bytes,
    gzip,
    goalBytes: target.sizeGoalBytes,
    largestInputs: [...byName]
      .map(([name, size]) => ({ name, bytes: size }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, LARGEST_FILES),
  };
}
