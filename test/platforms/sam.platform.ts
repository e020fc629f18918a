import { existsSync, readFileSync } from "node:fs";
import { basename, extname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkProperties, resourceProperties, type Template, validateTemplate } from "./cloudformation-spec.ts";
import { ROOT, requireTool } from "./support.ts";

// SAM CLI and cfn-lint are PyPI-only; the CloudFormation specification and a CloudFormation-aware
// YAML reader (!Ref, !Sub, !GetAtt) check the template offline instead.
const { yamlParse } = requireTool("yaml-cfn") as { yamlParse(text: string): Template };
const template = yamlParse(readFileSync(join(ROOT, "template.yaml"), "utf8"));
const resources = template.Resources ?? {};

interface FunctionResource {
  Properties: {
    CodeUri: string;
    Handler: string;
    Policies: unknown;
    Events: Record<string, { Type: string; Properties: { ApiId: unknown; Method: string; Path: string } }>;
  };
  Metadata: { BuildMethod: string; BuildProperties: Record<string, unknown> & { EntryPoints: string[] } };
}
const functions = Object.entries(resources)
  .filter(([, resource]) => resource.Type === "AWS::Serverless::Function")
  .map(([id, resource]) => [id, resource as unknown as FunctionResource] as const);
const globals = (template.Globals as { Function: Record<string, unknown> }).Function;

// Properties SAM refuses under Globals.Function (each function must set them itself).
const NOT_GLOBAL = ["Role", "Policies", "FunctionName", "Events", "Metadata"];
// The BuildProperties SAM's esbuild builder reads.
const ESBUILD_PROPERTIES = [
  "Banner",
  "EntryPoints",
  "External",
  "Format",
  "Loader",
  "MainFields",
  "Minify",
  "OutExtension",
  "Platform",
  "Sourcemap",
  "SourcesContent",
  "Target",
];

describe("the CloudFormation specification check itself", () => {
  it("catches a wrong type, a misspelled property, a bad value, an event typo and a dangling Ref", () => {
    const broken: Template = {
      Resources: {
        Misspelt: { Type: "AWS::Serverless::Functon", Properties: {} },
        Fn: {
          Type: "AWS::Serverless::Function",
          Properties: {
            Runtme: "nodejs22.x",
            MemorySize: "lots",
            Events: { Hook: { Type: "HttpApi", Properties: { Methd: "POST", ApiId: { Ref: "NoSuchApi" } } } },
          },
        },
      },
    };
    expect(validateTemplate(broken)).toEqual([
      "Misspelt: unknown resource type AWS::Serverless::Functon",
      "Fn.Runtme: not a property of AWS::Serverless::Function",
      'Fn.MemorySize: expected Integer, got "lots"',
      "Fn.Events.Hook.Properties.Methd: not a property of AWS::Serverless::Function",
      "reference to undeclared NoSuchApi",
    ]);
  });
});

describe("template.yaml", () => {
  it("is a SAM template that matches the CloudFormation specification", () => {
    expect(template.Transform).toBe("AWS::Serverless-2016-10-31");
    expect(validateTemplate(template)).toEqual([]);
  });

  it("sets only Globals SAM accepts there, among them Node 22 for every function", () => {
    const functionProperties = resourceProperties("AWS::Serverless::Function") ?? {};
    expect(checkProperties("Globals.Function", "AWS::Serverless::Function", functionProperties, globals)).toEqual([]);
    expect(Object.keys(globals).filter((name) => NOT_GLOBAL.includes(name))).toEqual([]);
    expect(globals.Runtime).toBe("nodejs22.x");
    for (const [, fn] of functions) expect(fn.Properties).not.toHaveProperty("Runtime");
  });

  it("routes POST /api/payments and POST /api/webhooks/{provider} through its own HTTP API", () => {
    const routes = functions.flatMap(([id, fn]) =>
      Object.values(fn.Properties.Events).map((event) => {
        expect(event.Type).toBe("HttpApi");
        const apiId = (event.Properties.ApiId as { Ref: string }).Ref;
        expect(resources[apiId]?.Type).toBe("AWS::Serverless::HttpApi");
        return `${id}: ${event.Properties.Method} ${event.Properties.Path}`;
      }),
    );
    expect(routes.sort()).toEqual([
      "PaymentsFunction: POST /api/payments",
      "WebhooksFunction: POST /api/webhooks/{provider}",
    ]);
  });

  it("builds each function with esbuild from a real entry file that exports its handler", async () => {
    expect(functions).toHaveLength(2);
    for (const [id, fn] of functions) {
      const { BuildMethod, BuildProperties } = fn.Metadata;
      expect(BuildMethod, id).toBe("esbuild");
      expect(Object.keys(BuildProperties).filter((name) => !ESBUILD_PROPERTIES.includes(name))).toEqual([]);
      // esbuild only sees files under CodeUri: it must hold shared/ as well as the entry file.
      const codeRoot = resolve(ROOT, fn.Properties.CodeUri);
      expect(relative(codeRoot, join(ROOT, "shared")).startsWith(".."), `${id} CodeUri holds shared/`).toBe(false);
      const [entry, ...others] = BuildProperties.EntryPoints;
      expect(others).toEqual([]);
      const entryFile = join(codeRoot, String(entry));
      expect(existsSync(entryFile), `${entry} exists`).toBe(true);
      // SAM writes the bundle under the entry file's base name: <name>.mjs, so Handler is <name>.<export>.
      const [module, exportName] = fn.Properties.Handler.split(".");
      expect(module).toBe(basename(entryFile, extname(entryFile)));
      const exported = (await import(entryFile)) as Record<string, unknown>;
      expect(typeof exported[String(exportName)], `${entryFile} exports ${exportName}`).toBe("function");
    }
  });

  it("lets each function read the one secret DATAFAST_SECRET_ID names, and nothing else", () => {
    const secretRef = { Ref: "DataFastSecretArn" };
    expect(globals.Environment).toMatchObject({ Variables: { DATAFAST_SECRET_ID: secretRef } });
    for (const [, fn] of functions) {
      expect(fn.Properties.Policies).toEqual([
        { Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretRef }] },
      ]);
    }
  });

  it("outputs the endpoint URLs of the HTTP API", () => {
    const outputs = Object.values(template.Outputs as Record<string, { Value: { "Fn::Sub": string } }>);
    const urls = outputs.map((output) => output.Value["Fn::Sub"]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub text, not a JavaScript template.
    const apiUrl = "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}";
    expect(urls).toContain(`${apiUrl}/api/payments`);
    expect(urls).toContain(`${apiUrl}/api/webhooks/`);
  });
});
