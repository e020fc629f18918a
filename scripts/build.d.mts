import type { Metafile } from "esbuild";

export interface BundleResult {
  file: string;
  /** Minified bytes. */
  bytes: number;
  gzip: number;
  metafile: Metafile;
}

export interface BundleOptions {
  /** "extension": the function reads its secret through the Lambda extension; the SDK is left out. */
  secretsSource?: "extension";
  /** Write `<name>.meta.json` beside the bundle (default true). */
  metafileBeside?: boolean;
}

export function bundleFunction(entry: string, outfile: string, options?: BundleOptions): Promise<BundleResult>;
export function buildAll(): Promise<BundleResult[]>;
