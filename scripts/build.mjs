// `npm run build`: one self-contained, minified ESM file per function under dist/<platform>/,
// with an esbuild metafile beside it. These are the copy-ready files for existing projects.
// dist/lambda-extension/ holds the Lambda functions built for SECRETS_SOURCE=extension (no SDK).
// `bundleFunction` is exported so the benchmark bundles its peers exactly the same way.
// `node scripts/build.mjs <entry.ts> <outfile.mjs> [--secrets-source=extension]` bundles one
// function alone, metafile left out: what SAM's makefile build method runs (see Makefile).
// `node scripts/build.mjs --platform=vercel|netlify` bundles that platform's functions into
// dist/<platform>/, metafiles left out: what `vercel build` and `netlify build` deploy.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { lambdaPlugins } from "./lambda-plugins.mjs";

// Each platform's functions: one per route where the platform deploys a function per route, one
// entry serving every route (shared/routes.ts) where it runs a single one. Only these files are
// functions; the rest of functions/lambda is the Lambda adapter.
const perRoute = ["payments", "goals", "webhooks", "health"];
const platformFunctions = {
  lambda: perRoute,
  vercel: perRoute,
  netlify: perRoute,
  cloudflare: ["worker"],
  deno: ["server"],
  bun: ["server"],
};
const platforms = Object.keys(platformFunctions);

/**
 * Bundles one function entry into `outfile` (+ `.meta.json` beside it unless `metafileBeside` is
 * false) and reports its size. `secretsSource: "extension"` leaves the Secrets Manager SDK out.
 */
export async function bundleFunction(entry, outfile, { secretsSource, metafileBeside = true } = {}) {
  const { metafile } = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node22",
    // The AWS SDK's "module" builds bundle cleanly; its default "main" ones need a dynamic require.
    mainFields: ["module", "main"],
    legalComments: "none",
    plugins: lambdaPlugins({ secretsSource }),
    metafile: true,
    logLevel: "warning",
  });
  await mkdir(dirname(outfile), { recursive: true });
  if (metafileBeside) await writeFile(outfile.replace(/\.mjs$/, ".meta.json"), JSON.stringify(metafile));
  const bytes = await readFile(outfile);
  return { file: outfile, bytes: bytes.byteLength, gzip: gzipSync(bytes).byteLength, metafile };
}

/** Every function of `platform`, bundled under dist/<platform>/. */
async function buildPlatform(platform, { metafileBeside = true } = {}) {
  const results = [];
  for (const name of platformFunctions[platform]) {
    const entry = join("functions", platform, `${name}.ts`);
    results.push(await bundleFunction(entry, join("dist", platform, `${name}.mjs`), { metafileBeside }));
  }
  return results;
}

/** Every function of every platform, bundled under dist/. */
export async function buildAll() {
  const results = [];
  for (const platform of platforms) results.push(...(await buildPlatform(platform)));
  for (const name of perRoute) {
    const entry = join("functions/lambda", `${name}.ts`);
    results.push(
      await bundleFunction(entry, join("dist/lambda-extension", `${name}.mjs`), { secretsSource: "extension" }),
    );
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const kb = (n) => `${(n / 1000).toFixed(1)} kB`.padStart(9);
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { "secrets-source": { type: "string" }, platform: { type: "string" } },
  });
  const secretsSource = values["secrets-source"] || undefined;
  const { platform } = values;
  if (
    ![0, 2].includes(positionals.length) ||
    ![undefined, "extension"].includes(secretsSource) ||
    (platform !== undefined && (!platforms.includes(platform) || positionals.length > 0))
  )
    throw new Error(
      `usage: node scripts/build.mjs [<entry.ts> <outfile.mjs> [--secrets-source=extension] | --platform=<${platforms.join("|")}>]`,
    );
  const [entry, outfile] = positionals;
  const results = entry
    ? [await bundleFunction(entry, outfile, { secretsSource, metafileBeside: false })]
    : platform
      ? await buildPlatform(platform, { metafileBeside: false })
      : await buildAll();
  for (const { file, bytes, gzip } of results) {
    console.log(`${file.padEnd(34)} ${kb(bytes)}  (gzip ${kb(gzip)})`);
  }
}
