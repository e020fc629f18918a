// `@vercel/node` exports its dev server (Vercel's own Node launcher) without declaring it.
import "@vercel/node";

declare module "@vercel/node" {
  export function startDevServer(options: {
    entrypoint: string;
    workPath: string;
    config: Record<string, unknown>;
    meta: { isDev: boolean; env: Record<string, string>; buildEnv: Record<string, string> };
    files: Record<string, unknown>;
  }): Promise<{ port: number; pid: number; shutdown: () => Promise<void> }>;
}
