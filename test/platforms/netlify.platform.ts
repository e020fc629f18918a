import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/net.ts";
import { configuredEnv, paymentRequest, useDataFast } from "../support/payments.ts";
import { netlifyBuild } from "./builds.ts";
import { budgetOf, copyProject, forward, type ProjectCopy, readZip, type Served, serve, toolBin } from "./support.ts";

interface ManifestFunction {
  name: string;
  path: string;
  runtimeVersion: string;
  routes: Array<{ pattern: string; methods: string[] }>;
}

let copy: ProjectCopy;
let buildOutput: string;
let functions: ManifestFunction[];

beforeAll(async () => {
  copy = await copyProject();
  buildOutput = await netlifyBuild(copy);
  functions = JSON.parse(await readFile(join(copy.dir, ".netlify/functions/manifest.json"), "utf8")).functions;
});
afterAll(() => copy?.remove());

const manifestEntry = (name: string) => functions.find((entry) => entry.name === name);

describe("netlify build --offline", () => {
  it("completes and packages exactly the four functions", () => {
    expect(buildOutput).toContain("Netlify Build Complete");
    expect(functions.map((entry) => entry.name).sort()).toEqual(["goals", "health", "payments", "webhooks"]);
  });

  it("routes /api/payments, /api/goals and /api/webhooks/:provider, on Node 22", () => {
    expect(manifestEntry("payments")?.routes).toEqual([expect.objectContaining({ pattern: "/api/payments" })]);
    expect(manifestEntry("goals")?.routes).toEqual([expect.objectContaining({ pattern: "/api/goals" })]);
    expect(manifestEntry("webhooks")?.routes).toEqual([
      expect.objectContaining({ pattern: "/api/webhooks/:provider" }),
    ]);
    for (const entry of functions) expect(entry.runtimeVersion).toBe("nodejs22.x");
  });

  it("ships each function as npm run build's bundle, no package beside it, within its size budget", async () => {
    for (const entry of functions) {
      const files = await readZip(entry.path);
      // Netlify's own runtime files (bootstrap, telemetry) are the platform's, not the function's.
      const shipped = [...files.keys()].filter((name) => !name.startsWith("___netlify-"));
      expect(shipped, `${entry.name}.zip`).toEqual([`${entry.name}.mjs`]);
      const main = files.get(`${entry.name}.mjs`) ?? Buffer.alloc(0);
      // Self-contained: it imports Node's own modules only, neither shared/ nor a package.
      expect(main.toString("utf8").match(/\bfrom\s*["'](?!node:)[^"']*["']/g)).toBeNull();
      expect(main.byteLength).toBeLessThanOrEqual(await budgetOf(`dist/netlify/${entry.name}.mjs`));
    }
  });

  it("publishes no file of the repository as a page", async () => {
    expect(await readdir(join(copy.dir, "public"))).toEqual([]);
  });
});

describe("netlify functions:serve --offline", () => {
  const dataFast = useDataFast();
  let server: Served;
  beforeAll(async () => {
    const port = await freePort();
    const args = ["functions:serve", "--offline", "--port", String(port)];
    server = await serve(copy, toolBin("netlify"), args, port, configuredEnv(dataFast()));
  });
  afterAll(() => server?.stop());

  it("records a payment at DataFast through POST /api/payments", async () => {
    const response = await forward(paymentRequest(), server.url);
    expect(response.status).toBe(200);
    expect(dataFast().payments.get("pay_001")).toMatchObject({ amount: 29.99, currency: "USD" });
  });

  it("hands the webhooks function the provider as the last path segment", async () => {
    const response = await forward(paymentRequest({}, { path: "/api/webhooks/no-such-provider" }), server.url);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('"no-such-provider"');
  });
});
