import { readdirSync, readFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, requireTool } from "./support.ts";

// The four deploy configs must agree with each other and with the code: same routes to the same
// functions, Node 22, and the setting names the core really reads.

const { yamlParse } = requireTool("yaml-cfn") as { yamlParse(text: string): unknown };
const { parse: parseToml } = requireTool("smol-toml") as { parse(text: string): unknown };
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

const vercel = JSON.parse(read("vercel.json")) as { routes: Array<{ src: string; dest: string }> };
const netlify = parseToml(read("netlify.toml")) as {
  functions: { directory: string; node_bundler: string };
  build: { command: string; environment: Record<string, string> };
  template: { environment: Record<string, string> };
};
interface ServerlessFunction {
  handler: string;
  events: Array<{ httpApi: { method: string; path: string } }>;
}
const serverless = yamlParse(read("serverless.yml")) as {
  provider: { runtime: string; environment: Record<string, string> };
  functions: Record<string, ServerlessFunction>;
  custom: { esbuild: { target: string } };
};
interface SamFunction {
  Type: string;
  Properties: { Handler: string; Events?: Record<string, { Properties: { Method: string; Path: string } }> };
  Metadata: { BuildMethod: string };
}
const sam = yamlParse(read("template.yaml")) as {
  Globals: { Function: { Runtime: string; Environment: { Variables: Record<string, unknown> } } };
  Resources: Record<string, SamFunction>;
  Parameters: Record<string, { Description: string }>;
};
const samFunctions = Object.values(sam.Resources).filter((resource) => resource.Type === "AWS::Serverless::Function");

/** A route as one config declares it: which function, which methods, and a matcher for paths. */
interface Route {
  fn: string;
  methods: string;
  matches(path: string): boolean;
}
/** `/api/webhooks/{provider}` or `/api/webhooks/:provider` as a whole-path matcher. */
const templateMatcher = (template: string) => {
  const pattern = new RegExp(`^${template.replace(/\{\w+\}|:\w+/g, "[^/]+")}$`);
  return (path: string) => pattern.test(path);
};

// netlify.toml deploys dist/netlify/, which its build command bundles from these sources.
const NETLIFY_SOURCES = "functions/netlify";

const netlifyRoutes = async (): Promise<Route[]> =>
  Promise.all(
    readdirSync(join(ROOT, NETLIFY_SOURCES)).map(async (file) => {
      const { config } = (await import(join(ROOT, NETLIFY_SOURCES, file))) as { config: { path: string } };
      return { fn: basename(file, extname(file)), methods: "any", matches: templateMatcher(config.path) };
    }),
  );

const routesByConfig: Record<string, () => Route[] | Promise<Route[]>> = {
  "vercel.json": () =>
    vercel.routes.map((route) => ({
      fn: basename(route.dest.replace(/\?.*$/, "")).replace(/\.(ts|mjs)$/, ""),
      methods: "any",
      // Vercel anchors each src as ^...$ (see .vercel/output/config.json).
      matches: (path) => new RegExp(`^${route.src}$`).test(path),
    })),
  "netlify.toml": netlifyRoutes,
  "serverless.yml": () =>
    Object.values(serverless.functions).flatMap((fn) =>
      fn.events.map(({ httpApi }) => ({
        fn: basename(fn.handler.split(".")[0] ?? ""),
        methods: httpApi.method,
        matches: templateMatcher(httpApi.path),
      })),
    ),
  "template.yaml": () =>
    samFunctions.flatMap((fn) =>
      Object.values(fn.Properties.Events ?? {}).map(({ Properties: event }) => ({
        fn: fn.Properties.Handler.split(".")[0] ?? "",
        methods: event.Method,
        matches: templateMatcher(event.Path),
      })),
    ),
};

describe("the four deploy configs", () => {
  // Paths and the function each must reach; undefined: none.
  const expected: Array<[string, string | undefined]> = [
    ["/api/payments", "payments"],
    ["/api/goals", "goals"],
    ["/api/goals/extra", undefined],
    ["/api/health", "health"],
    ["/api/health/extra", undefined],
    ["/api/webhooks/stripe", "webhooks"],
    ["/api/webhooks/lemonsqueezy", "webhooks"],
    ["/api/webhooks", undefined],
    ["/api/webhooks/stripe/extra", undefined],
    ["/api/payments/extra", undefined],
  ];

  it.each(Object.keys(routesByConfig))("%s routes the same paths to the same functions", async (config) => {
    const routes = await routesByConfig[config]?.();
    for (const [path, fn] of expected) {
      expect(
        routes?.filter((route) => route.matches(path)).map((route) => route.fn),
        `${config} ${path}`,
      ).toEqual(fn ? [fn] : []);
    }
    // Method filtering: AWS routes POST only (GET for health); Vercel and Netlify hand every method
    // to the function, which answers 405 with Allow.
    for (const route of routes ?? [])
      expect(route.fn === "health" ? ["GET", "any"] : ["POST", "any"]).toContain(route.methods);
  });

  it("run Node 22 and bundle for it", () => {
    expect(netlify.build.environment.AWS_LAMBDA_JS_RUNTIME).toBe("nodejs22.x");
    expect(netlify.build.environment.NODE_VERSION).toBe("22");
    expect(serverless.provider.runtime).toBe("nodejs22.x");
    expect(serverless.custom.esbuild.target).toBe("node22");
    expect(sam.Globals.Function.Runtime).toBe("nodejs22.x");
    // SAM builds through the Makefile, i.e. scripts/build.mjs (sam.platform.ts runs its targets).
    for (const fn of samFunctions) expect(fn.Metadata.BuildMethod).toBe("makefile");
    expect(read("scripts/build.mjs")).toContain('target: "node22"');
    // vercel.json cannot name a runtime with `builds`: Vercel takes engines.node, and the Vercel
    // platform test asserts that what it builds is Node 22 or newer.
  });

  it("deploy on Vercel and Netlify the functions scripts/build.mjs bundles, as they are", () => {
    expect(netlify.build.command).toContain("node scripts/build.mjs --platform=netlify");
    expect(netlify.functions).toEqual({ directory: "dist/netlify", node_bundler: "none" });
    expect(JSON.parse(read("package.json")).scripts["vercel-build"]).toBe("node scripts/build.mjs --platform=vercel");
    // Each routed Vercel entry hands over the bundle of the function it is named after.
    for (const route of vercel.routes) {
      const entry = route.dest.replace(/^\//, "");
      expect(read(entry)).toContain(`from "../../../dist/vercel/${basename(entry)}"`);
    }
  });

  it("name the secrets the core requires, in every place a deploy asks for them", () => {
    const required = requiredSecrets();
    expect(required).toEqual(["DATAFAST_API_KEY", "PAYMENTS_AUTH_TOKEN"]);
    expect(Object.keys(netlify.template.environment).sort()).toEqual(required);
    const vercelButton = /https:\/\/vercel\.com\/new\/clone\?[^)\s]+/.exec(read("README.md"))?.[0] ?? "";
    expect(new URL(vercelButton).searchParams.get("env")?.split(",").sort()).toEqual(required);
    // On AWS they are keys of the one secret: the SAM parameter that names it says which.
    for (const name of required) expect(sam.Parameters.DataFastSecretArn?.Description).toContain(name);
  });

  it("set the same plain settings on AWS, each one the code reads", () => {
    const serverlessNames = Object.keys(serverless.provider.environment).sort();
    expect(Object.keys(sam.Globals.Function.Environment.Variables).sort()).toEqual(serverlessNames);
    const code = sourceText(["shared", "functions"]);
    for (const name of serverlessNames) expect(code, name).toMatch(new RegExp(`\\b${name}\\b`));
  });
});

/**
 * The secrets every deploy needs: each requireSecret(…, "NAME") outside shared/webhooks (a
 * webhook secret is needed only by the provider that uses it, so no deploy flow asks for it).
 */
function requiredSecrets(): string[] {
  const calls = sourceText(["shared"], (file) => !file.startsWith("webhooks/")).matchAll(
    /requireSecret\([^,]+,\s*"([A-Z0-9_]+)"\)/g,
  );
  return [...new Set([...calls].map((match) => match[1] ?? ""))].sort();
}

function sourceText(dirs: string[], include = (_file: string) => true): string {
  return dirs
    .flatMap((dir) =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts") && include(file))
        .map((file) => read(join(dir, file))),
    )
    .join("\n");
}
