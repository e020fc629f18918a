import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { startDevServer } from "@vercel/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredEnv, paymentRequest, useDataFast } from "../support/payments.ts";
import { vercelBuild } from "./builds.ts";
import { budgetOf, copyProject, forward, type ProjectCopy } from "./support.ts";

interface Route {
  src?: string;
  dest?: string;
}

// vercel.json's entries: each re-exports the bundle `npm run vercel-build` writes to dist/vercel/.
const PAYMENTS = "/functions/vercel/bundled/payments.mjs";
const WEBHOOKS = "/functions/vercel/bundled/webhooks.mjs";
const GOALS = "/functions/vercel/bundled/goals.mjs";

let copy: ProjectCopy;
let buildOutput: string;
let routes: Route[];

beforeAll(async () => {
  copy = await copyProject();
  buildOutput = await vercelBuild(copy);
  routes = JSON.parse(await readFile(join(copy.dir, ".vercel/output/config.json"), "utf8")).routes;
});
afterAll(() => copy?.remove());

/** The function a request path reaches through the build output's routes (first match wins, as on Vercel). */
function routeFor(path: string): string | undefined {
  return routes.find((route) => route.src && new RegExp(route.src).test(path))?.dest?.replace(/\?.*$/, "");
}

/** The built function directory for a route destination such as /functions/vercel/bundled/payments.mjs. */
const functionDir = (dest: string) => join(copy.dir, ".vercel/output/functions", `${dest}.func`);

/** The files a built function ships (Vercel's .vc-config.json left out) and their total bytes. */
async function shippedFiles(dir: string): Promise<{ files: string[]; bytes: number }> {
  const files: string[] = [];
  let bytes = 0;
  for (const file of await readdir(dir, { recursive: true, encoding: "utf8" })) {
    const info = await stat(join(dir, file));
    if (!info.isFile() || file === ".vc-config.json") continue;
    files.push(file);
    bytes += info.size;
  }
  return { files, bytes };
}

async function functionConfig(dest: string): Promise<{ handler: string; runtime: string }> {
  return JSON.parse(await readFile(join(functionDir(dest), ".vc-config.json"), "utf8"));
}

describe("vercel build", () => {
  it("completes and builds the functions with @vercel/node", () => {
    expect(buildOutput).toContain("Build Completed in .vercel/output");
    expect(buildOutput).not.toMatch(/did not match any source files/);
  });

  it("routes /api/payments, /api/goals and /api/webhooks/{provider} to their functions", () => {
    expect(routeFor("/api/payments")).toBe(PAYMENTS);
    expect(routeFor("/api/goals")).toBe(GOALS);
    expect(routeFor("/api/webhooks/stripe")).toBe(WEBHOOKS);
    expect(routeFor("/api/payments/extra")).toBeUndefined();
    expect(routeFor("/api/webhooks/")).toBeUndefined();
  });

  it("builds each routed function for Node 22 or newer, with its handler file present", async () => {
    for (const dest of [PAYMENTS, GOALS, WEBHOOKS]) {
      const { handler, runtime } = await functionConfig(dest);
      expect(Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1])).toBeGreaterThanOrEqual(22);
      expect((await stat(join(functionDir(dest), handler))).isFile()).toBe(true);
    }
  });

  it("ships each function as npm run build's bundle, no package beside it, within its size budget", async () => {
    for (const [dest, name] of [
      [PAYMENTS, "payments"],
      [GOALS, "goals"],
      [WEBHOOKS, "webhooks"],
    ] as const) {
      const { files, bytes } = await shippedFiles(functionDir(dest));
      expect(files.filter((file) => file.includes("node_modules/"))).toEqual([]);
      expect(files).toContain(`dist/vercel/${name}.mjs`);
      expect(bytes, `${dest}: ${files.join(", ")}`).toBeLessThanOrEqual(await budgetOf(`dist/vercel/${name}.mjs`));
    }
  });
});

describe("the built functions, run by @vercel/node's own launcher", () => {
  const dataFast = useDataFast();
  const servers: Array<{ shutdown: () => Promise<void> }> = [];
  afterAll(() => Promise.all(servers.map((server) => server.shutdown())));

  /**
   * Serves the BUILT handler (not the source) of the function `path` routes to. The request keeps
   * its original path, as Vercel's router does for a `routes` destination (vercel dev's router,
   * which mirrors production, forwards the original pathname and only merges the query).
   */
  async function send(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const dest = routeFor(path);
    if (!dest) throw new Error(`no route for ${path}`);
    const { handler } = await functionConfig(dest);
    const server = await startDevServer({
      entrypoint: handler,
      workPath: functionDir(dest),
      config: {},
      meta: { isDev: true, env: configuredEnv(dataFast()), buildEnv: {} },
      files: {},
    });
    servers.push(server);
    return forward(request, `http://127.0.0.1:${server.port}`);
  }

  it("records a payment at DataFast through POST /api/payments", async () => {
    const response = await send(paymentRequest());
    expect(response.status).toBe(200);
    expect(dataFast().payments.get("pay_001")).toMatchObject({ amount: 29.99, currency: "USD" });
  });

  it("hands the webhooks function a URL whose last segment is the provider", async () => {
    const response = await send(paymentRequest({}, { path: "/api/webhooks/no-such-provider" }));
    expect(response.status).toBe(404);
    // The core names the provider it read from the path; "webhooks.js" here would mean the file path.
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('"no-such-provider"');
  });
});
