import { copyFile, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startDevServer } from "@vercel/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/net.ts";
import { configuredEnv, paymentRequest, useDataFast } from "../support/payments.ts";
import { copyProject, forward, type ProjectCopy, ROOT, serve, toolBin } from "./support.ts";

// README "Copy one file": each dist/ bundle dropped into an otherwise empty project of that platform.

let copy: ProjectCopy;
beforeAll(async () => {
  copy = await copyProject();
  await copy.exec("node", ["scripts/build.mjs"]);
});
afterAll(() => copy?.remove());

/** A new, empty project folder beside the copy, holding `files` (target path -> dist bundle). */
async function newProject(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(copy.dir, "..", name);
  for (const [target, bundle] of Object.entries(files)) {
    await mkdir(join(dir, target, ".."), { recursive: true });
    await copyFile(join(copy.dir, "dist", bundle), join(dir, target));
  }
  return dir;
}

describe("dist/vercel/payments.mjs as api/payments.mjs", () => {
  const dataFast = useDataFast();

  it("builds as a Vercel function on Node 22+ that records a payment", async () => {
    const dir = await newProject("vercel-app", { "api/payments.mjs": "vercel/payments.mjs" });
    await mkdir(join(dir, ".vercel"));
    const stub = { projectId: "prj_x", orgId: "team_x", settings: { framework: null, nodeVersion: "22.x" } };
    await writeFile(join(dir, ".vercel/project.json"), JSON.stringify(stub));
    await copy.exec(toolBin("vercel"), ["build", "--yes", "--cwd", dir]);
    const functionDir = join(dir, ".vercel/output/functions/api/payments.func");
    const { handler, runtime } = JSON.parse(await readFile(join(functionDir, ".vc-config.json"), "utf8"));
    expect(Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1])).toBeGreaterThanOrEqual(22);

    const server = await startDevServer({
      entrypoint: handler,
      workPath: functionDir,
      config: {},
      meta: { isDev: true, env: configuredEnv(dataFast()), buildEnv: {} },
      files: {},
    });
    try {
      const response = await forward(paymentRequest(), `http://127.0.0.1:${server.port}`);
      expect(response.status).toBe(200);
      expect(dataFast().payments.has("pay_001")).toBe(true);
    } finally {
      await server.shutdown();
    }
  });
});

describe("dist/netlify/payments.mjs as netlify/functions/payments.mjs", () => {
  it("keeps its own /api/payments route through netlify build", async () => {
    const dir = await newProject("netlify-site", { "netlify/functions/payments.mjs": "netlify/payments.mjs" });
    await copy.exec(toolBin("netlify"), ["build", "--offline", "--cwd", dir]);
    const { functions } = JSON.parse(await readFile(join(dir, ".netlify/functions/manifest.json"), "utf8"));
    expect(functions).toEqual([
      expect.objectContaining({ name: "payments", routes: [expect.objectContaining({ pattern: "/api/payments" })] }),
    ]);
  });
});

describe("the README's Express example with dist/vercel/payments.mjs", () => {
  const dataFast = useDataFast();

  it("records a payment through POST /api/payments", async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    const example = /<!-- example: express -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!example) throw new Error("README has no Express example");
    const dir = await newProject("express-app", { "payments.mjs": "vercel/payments.mjs" });
    // The indentation is the README list's, not the code's.
    await writeFile(join(dir, "server.mjs"), example.replace(/^ {2}/gm, ""));
    await symlink(join(ROOT, "tools/platforms/node_modules"), join(dir, "node_modules"));

    const port = await freePort();
    const app = await serve(copy, "node", [join(dir, "server.mjs")], port, {
      ...configuredEnv(dataFast()),
      PORT: String(port),
    });
    try {
      const response = await forward(paymentRequest(), app.url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(dataFast().payments.get("pay_001")).toMatchObject({ amount: 29.99, currency: "USD" });
    } finally {
      await app.stop();
    }
  });
});
