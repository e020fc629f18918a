import { type ChildProcess, execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer } from "../support/local-server.ts";
import { freePort } from "../support/net.ts";
import { API_KEY, AUTH_TOKEN, configuredEnv, useDataFast } from "../support/payments.ts";
import { runtimePlatforms } from "../support/runtime-platforms.ts";
import { wranglerDryRun } from "./builds.ts";
import { budgetOf, copyProject, type ProjectCopy, ROOT, requireTool, stopProcessGroup } from "./support.ts";

// The single-entry platforms' configs, built by their own tools offline; the contract and webhook
// suites run on the same runtimes from test/platforms/vitest.config.ts's "runtimes" project.

const { parse: parseToml } = requireTool("smol-toml") as { parse(text: string): unknown };
const read = (file: string) => readFile(join(ROOT, file), "utf8");

describe("wrangler deploy --dry-run", () => {
  let copy: ProjectCopy;
  let output: string;
  beforeAll(async () => {
    copy = await copyProject();
    output = await wranglerDryRun(copy, "dry-run");
  });
  afterAll(() => copy?.remove());

  it("bundles the Worker from wrangler.jsonc with no Node.js built-in (no nodejs_compat)", async () => {
    expect(output).toContain("--dry-run: exiting now.");
    expect(output).not.toMatch(/nodejs_compat|wasn't found on the file system/);
    // Line comments only: the config's strings hold no "//".
    const config = JSON.parse((await read("wrangler.jsonc")).replace(/^\s*\/\/.*$/gm, ""));
    expect(config.main).toBe("functions/cloudflare/worker.ts");
    expect(config.compatibility_flags ?? []).toEqual([]);
  });

  it("uploads a Worker within npm run build's budget for it", async () => {
    const worker = await readFile(join(copy.dir, "dry-run/worker.js"));
    expect(worker.byteLength).toBeLessThanOrEqual(await budgetOf("dist/cloudflare/worker.mjs"));
  });
});

describe("supabase/config.toml", () => {
  interface SupabaseFunction {
    verify_jwt: boolean;
    entrypoint: string;
    import_map: string;
  }

  it("deploys datafast from its entry without Supabase's JWT check, every package the core imports mapped at the version package.json pins", async () => {
    const config = parseToml(await read("supabase/config.toml")) as { functions: Record<string, SupabaseFunction> };
    const fn = config.functions.datafast;
    expect(fn?.verify_jwt).toBe(false);
    expect(fn?.entrypoint).toBe("./functions/datafast/index.ts");
    const { imports } = JSON.parse(await read(join("supabase", fn?.import_map ?? ""))) as {
      imports: Record<string, string>;
    };
    const { dependencies } = JSON.parse(await read("package.json")) as { dependencies: Record<string, string> };
    const files = (await readdir(join(ROOT, "shared"), { recursive: true })).filter((file) => file.endsWith(".ts"));
    const sources = await Promise.all(files.map((file) => read(join("shared", file))));
    // Packages by name; Deno has Node's built-ins (node:…) itself.
    const bare = new Set(
      sources.flatMap((text) => [...text.matchAll(/from "((?!node:)[^."][^"]*)"/g)].map((match) => match[1] ?? "")),
    );
    for (const specifier of bare) {
      const name = specifier.startsWith("@")
        ? specifier.split("/").slice(0, 2).join("/")
        : (specifier.split("/")[0] ?? "");
      const subpath = specifier.slice(name.length);
      expect(imports[specifier], specifier).toBe(`npm:${name}@${dependencies[name]}${subpath}`);
    }
  });
});

describe.each(runtimePlatforms)("GET /api/health on $name", (platform) => {
  const dataFast = useDataFast();

  it("answers 200 with the token, naming its platform, from the entry at its path", async () => {
    const request = new Request("https://functions.example/api/health", {
      headers: { authorization: `Bearer ${AUTH_TOKEN}` },
    });
    const response = await platform.invoke("health", request, configuredEnv(dataFast()));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { platform: string; settings: Record<string, string> };
    expect(platform.name).toContain(body.platform);
    expect(body.settings.DATAFAST_API_KEY).toBe("present");
    expect(JSON.stringify(body)).not.toContain(API_KEY);
  });
});

describe.each(["cloudflare", "deno", "bun"])("npm run start:%s with no settings (sandbox)", (runtime) => {
  let server: ChildProcess;
  let output = "";
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    // What a developer's shell has, and no setting: the sandbox generates them.
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: String(port) };
    server = await startLocalServer(["dev/start-runtime.ts", runtime], env, (chunk) => {
      output += chunk;
    });
  });
  afterAll(() => stopProcessGroup(server));

  it("records a payment with the token it printed, in the DataFast stand-in", async () => {
    expect(output).toContain(`Sandbox mode`);
    const token = /export PAYMENTS_AUTH_TOKEN=(\S+)/.exec(output)?.[1];
    const response = await fetch(`http://127.0.0.1:${port}/api/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ amount: 29.99, currency: "USD", transaction_id: "payment_456" }),
    });
    expect(response.status).toBe(200);
  });

  it("records npm run send-webhook's signed sample with the webhook secret it generated", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["scripts/run.mjs", "dev/send-webhook.ts", "paddle"],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", PORT: String(port) },
      },
    );
    expect(stdout).toMatch(/^200 /m);
  });
});
