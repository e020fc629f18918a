// `npm run build`: one self-contained, minified ESM file per function under dist/<platform>/,
// with an esbuild metafile beside it. These are the copy-ready files for existing projects.
// `bundleFunction` is exported so the benchmark bundles its peers exactly the same way.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const platforms = ["lambda", "vercel", "netlify"];
// Only these files are functions; the rest of functions/lambda is the Lambda adapter.
const functionNames = ["payments", "webhooks", "health"];

/**
 * On AWS Lambda the function's role credentials are always in environment variables (or a
 * container endpoint), so the AWS SDK's default chain never gets past `fromEnv` / the remote
 * sources. Its profile-file, SSO, credential-process and web-identity links (imported lazily, with
 * nested STS/SSO/sign-in clients) would still add ~90 kB to every Lambda bundle; here each is
 * replaced by a link that passes on to the next one, as it would when nothing is configured.
 */
const skipNonLambdaCredentialSources = {
  name: "skip-non-lambda-credential-sources",
  setup(build) {
    const sources = /^@aws-sdk\/credential-provider-(ini|sso|process|web-identity)$/;
    build.onResolve({ filter: sources }, ({ path, importer }) =>
      importer.includes("@aws-sdk/credential-provider-node")
        ? { path, namespace: "skipped-credential-source", pluginData: { resolveDir: dirname(importer) } }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "skipped-credential-source" }, ({ path, pluginData }) => ({
      resolveDir: pluginData.resolveDir,
      contents: `import { CredentialsProviderError } from "@smithy/core/config";
const skip = () => async () => {
  throw new CredentialsProviderError("${path} is left out of Lambda bundles", { tryNextLink: true });
};
export { skip as fromIni, skip as fromSSO, skip as fromProcess, skip as fromTokenFile };`,
    }));
  },
};

/** Bundles one function entry into `outfile` (+ `.meta.json` beside it) and reports its size. */
export async function bundleFunction(entry, outfile) {
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
    plugins: [skipNonLambdaCredentialSources],
    metafile: true,
    logLevel: "warning",
  });
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(outfile.replace(/\.mjs$/, ".meta.json"), JSON.stringify(metafile));
  const bytes = await readFile(outfile);
  return { file: outfile, bytes: bytes.byteLength, gzip: gzipSync(bytes).byteLength, metafile };
}

/** Every function of every platform, bundled under dist/. */
export async function buildAll() {
  const results = [];
  for (const platform of platforms) {
    const present = await readdir(join("functions", platform));
    for (const name of functionNames.filter((n) => present.includes(`${n}.ts`))) {
      results.push(
        await bundleFunction(join("functions", platform, `${name}.ts`), join("dist", platform, `${name}.mjs`)),
      );
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const kb = (n) => `${(n / 1000).toFixed(1)} kB`.padStart(9);
  for (const { file, bytes, gzip } of await buildAll()) {
    console.log(`${file.padEnd(28)} ${kb(bytes)}  (gzip ${kb(gzip)})`);
  }
}
