import { afterAll } from "vitest";
import { type RuntimeLaunch, runtimes } from "../../dev/runtimes.ts";
import { copyProject, forward, type ProjectCopy, type Served, serve, toolBin } from "../platforms/support.ts";
import { freePort } from "./net.ts";
import type { Env, Platform } from "./platforms.ts";

/**
 * The single-entry platforms on their real runtimes (`wrangler dev`'s workerd, Deno, Bun), each
 * called over HTTP at the path its platform serves the routes under. A runtime process holds its
 * settings for life, so there is one per runtime and distinct env, started on first use in a copy
 * of the project (as shipped: no stray .env) exactly as `npm run start:<runtime>` starts it.
 * Tests run one after another, so only the few most recent stay up; the rest stop when idle.
 */
const KEPT_IDLE = 2;

interface Running {
  served: Promise<Served>;
  calls: number;
}
const running = new Map<string, Running>();
let copy: Promise<ProjectCopy> | undefined;

afterAll(async () => {
  const all = [...running.values()];
  running.clear();
  await Promise.allSettled(all.map(async ({ served }) => (await served).stop()));
  await (await copy)?.remove();
  copy = undefined;
});

async function start(launch: RuntimeLaunch, env: Env): Promise<Served> {
  copy ??= copyProject();
  const port = await freePort();
  return serve(await copy, toolBin(launch.bin), launch.args(port), port, { ...env, ...launch.env(port) });
}

/** Stops the oldest idle runtimes beyond KEPT_IDLE (a Map iterates in insertion order). */
function stopIdle() {
  const idle = [...running].filter(([, each]) => each.calls === 0);
  for (const [key, { served }] of idle.slice(0, Math.max(0, idle.length - KEPT_IDLE))) {
    running.delete(key);
    void served.then(
      (server) => server.stop(),
      () => {},
    );
  }
}

function runtimePlatform(name: string, launch: RuntimeLaunch): Platform {
  return {
    name,
    async invoke(_route, request, env) {
      const key = `${launch.bin} ${launch.args(0).join(" ")}\n${JSON.stringify(env)}`;
      const runtime = running.get(key) ?? { served: start(launch, env), calls: 0 };
      // Most recently used last.
      running.delete(key);
      running.set(key, runtime);
      runtime.calls += 1;
      try {
        const { url } = await runtime.served;
        return await forward(request, `${url}${launch.pathPrefix}`);
      } finally {
        runtime.calls -= 1;
        stopIdle();
      }
    },
  };
}

export const runtimePlatforms: Platform[] = [
  runtimePlatform("cloudflare workerd", runtimes.cloudflare),
  runtimePlatform("deno", runtimes.deno),
  runtimePlatform("supabase on deno", runtimes.supabase),
  runtimePlatform("bun", runtimes.bun),
];
