import type { Metafile } from "esbuild";

export interface BundleResult {
  file: string;
  /** Minified bytes. */
  bytes: number;
  gzip: number;
  metafile: Metafile;
}

export function bundleFunction(entry: string, outfile: string): Promise<BundleResult>;
export function buildAll(): Promise<BundleResult[]>;
