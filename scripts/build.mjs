// `npm run build`: one self-contained, minified ESM file per function under dist/<platform>/,
// with an esbuild metafile beside it. These are the copy-ready files for existing projects.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const platforms = ["lambda", "vercel", "netlify"];
// Only these files are functions; the rest of functions/lambda is the Lambda adapter.
const functionNames = ["payments", "webhooks"];

const results = [];
for (const platform of platforms) {
  const present = await readdir(join("functions", platform));
  for (const name of functionNames.filter((n) => present.includes(`${n}.ts`))) {
    const outfile = join("dist", platform, `${name}.mjs`);
    const { metafile } = await build({
      entryPoints: [join("functions", platform, `${name}.ts`)],
      outfile,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      target: "node22",
      // The AWS SDK's "module" builds bundle cleanly; its default "main" ones need a dynamic require.
      mainFields: ["module", "main"],
      legalComments: "none",
      metafile: true,
      logLevel: "warning",
    });
    await mkdir(join("dist", platform), { recursive: true });
    await writeFile(join("dist", platform, `${name}.meta.json`), JSON.stringify(metafile));
    const bytes = await readFile(outfile);
    results.push({ file: outfile, bytes: bytes.byteLength, gzip: gzipSync(bytes).byteLength });
  }
}
const kb = (n) => `${(n / 1000).toFixed(1)} kB`.padStart(9);
for (const { file, bytes, gzip } of results) console.log(`${file.padEnd(28)} ${kb(bytes)}  (gzip ${kb(gzip)})`);
