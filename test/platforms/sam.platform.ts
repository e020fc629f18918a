import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invokeLambda } from "../../dev/lambda-invoke.ts";
import { bundleFunction } from "../../scripts/build.mjs";
import { API_KEY, AUTH_TOKEN, paymentRequest, useDataFast } from "../support/payments.ts";
import { sdkEnv, startSecretsManagerStandIn } from "../support/secrets-manager-standin.ts";
import { checkProperties, resourceProperties, type Template, validateTemplate } from "./cloudformation-spec.ts";
import { budgetOf, copyProject, type ProjectCopy, ROOT, requireTool } from "./support.ts";

// SAM CLI and cfn-lint are PyPI-only; the CloudFormation specification and a CloudFormation-aware
// YAML reader (!Ref, !Sub, !GetAtt) check the template offline instead, and the Makefile targets
// the makefile build method calls are run here exactly as `sam build` runs them.
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
  Metadata: { BuildMethod: string };
}
const functions = Object.entries(resources)
  .filter(([, resource]) => resource.Type === "AWS::Serverless::Function")
  .map(([id, resource]) => [id, resource as unknown as FunctionResource] as const);
const globals = (template.Globals as { Function: Record<string, unknown> }).Function;

// Properties SAM refuses under Globals.Function (each function must set them itself).
const NOT_GLOBAL = ["Role", "Policies", "FunctionName", "Events", "Metadata"];

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
            Layers: {
              "Fn::If": ["NoSuchCondition", ["arn:aws:lambda:us-east-1:1:layer:x:1"], { Ref: "AWS::NoValue" }],
            },
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
      "Fn::If on undeclared condition NoSuchCondition",
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

  it("routes POST /api/payments, /api/goals, /api/webhooks/{provider} and GET /api/health through its own HTTP API", () => {
    const routes = functions.flatMap(([id, fn]) =>
      Object.values(fn.Properties.Events).map((event) => {
        expect(event.Type).toBe("HttpApi");
        const apiId = (event.Properties.ApiId as { Ref: string }).Ref;
        expect(resources[apiId]?.Type).toBe("AWS::Serverless::HttpApi");
        return `${id}: ${event.Properties.Method} ${event.Properties.Path}`;
      }),
    );
    expect(routes.sort()).toEqual([
      "GoalsFunction: POST /api/goals",
      "HealthFunction: GET /api/health",
      "PaymentsFunction: POST /api/payments",
      "WebhooksFunction: POST /api/webhooks/{provider}",
    ]);
  });

  it("builds each function with the makefile method, from a Makefile target named after it", () => {
    expect(functions).toHaveLength(4);
    const makefile = readFileSync(join(ROOT, "Makefile"), "utf8");
    for (const [id, fn] of functions) {
      expect(fn.Metadata.BuildMethod, id).toBe("makefile");
      // SAM runs `make build-<LogicalId>` in a copy of CodeUri: it must hold the Makefile and shared/.
      const codeRoot = resolve(ROOT, fn.Properties.CodeUri);
      expect(existsSync(join(codeRoot, "Makefile")), `${id} CodeUri holds the Makefile`).toBe(true);
      expect(relative(codeRoot, join(ROOT, "shared")).startsWith(".."), `${id} CodeUri holds shared/`).toBe(false);
      expect(makefile).toMatch(new RegExp(`^build-${id}:`, "m"));
    }
  });

  it("reads the secret through the extension exactly when its layer is given", () => {
    const layers = {
      "Fn::If": ["ReadSecretsThroughExtension", [{ Ref: "SecretsExtensionLayerArn" }], { Ref: "AWS::NoValue" }],
    };
    for (const [, fn] of functions) expect(fn.Properties).toMatchObject({ Layers: layers });
    expect(globals.Environment).toMatchObject({
      Variables: { SECRETS_SOURCE: { "Fn::If": ["ReadSecretsThroughExtension", "extension", "secrets-manager"] } },
    });
    expect(template.Conditions).toEqual({
      ReadSecretsThroughExtension: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "SecretsExtensionLayerArn" }, ""] }] },
    });
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
    expect(urls).toContain(`${apiUrl}/api/goals`);
    expect(urls).toContain(`${apiUrl}/api/webhooks/`);
  });
});

// What `sam build` does for each function: copy CodeUri, then `make build-<LogicalId>` with
// ARTIFACTS_DIR set; the artifact directory is what it zips and deploys.
describe("the makefile build method's targets", () => {
  const dataFast = useDataFast();
  let copy: ProjectCopy;
  beforeAll(async () => {
    copy = await copyProject();
  });
  afterAll(() => copy?.remove());

  const builds = new Map<string, Promise<string>>();
  /** Runs one function's target (once per setting) into its own artifact directory and returns that directory. */
  function samBuild(id: string, env: Record<string, string> = {}): Promise<string> {
    const artifacts = join(copy.home, `artifacts-${id}-${env.SECRETS_SOURCE ?? "default"}`);
    let build = builds.get(artifacts);
    if (!build) {
      build = copy.exec("make", [`build-${id}`, `ARTIFACTS_DIR=${artifacts}`], env).then(() => artifacts);
      builds.set(artifacts, build);
    }
    return build;
  }

  it.each([
    ["PaymentsFunction", "payments"],
    ["GoalsFunction", "goals"],
    ["WebhooksFunction", "webhooks"],
    ["HealthFunction", "health"],
  ])(
    "%s: ONE file, the handler's module, byte for byte the npm run build bundle, within its budget",
    async (id, name) => {
      const artifacts = await samBuild(id);
      const fn = functions.find(([logicalId]) => logicalId === id)?.[1];
      expect(fn?.Properties.Handler).toBe(`${name}.handler`);
      expect(await readdir(artifacts)).toEqual([`${name}.mjs`]);
      const artifact = await readFile(join(artifacts, `${name}.mjs`));
      const built = await bundleFunction(`functions/lambda/${name}.ts`, join(copy.home, `npm-build/${name}.mjs`), {
        metafileBeside: false,
      });
      expect(artifact.byteLength).toBeLessThanOrEqual(await budgetOf(`dist/lambda/${name}.mjs`));
      expect(artifact.equals(await readFile(built.file)), "same bytes as npm run build").toBe(true);
    },
  );

  it("SECRETS_SOURCE=extension sam build: the payments artifact holds no AWS SDK, within its budget", async () => {
    const artifacts = await samBuild("PaymentsFunction", { SECRETS_SOURCE: "extension" });
    const artifact = await readFile(join(artifacts, "payments.mjs"));
    expect(artifact.byteLength).toBeLessThanOrEqual(await budgetOf("dist/lambda-extension/payments.mjs"));
    expect(artifact.includes("com.amazonaws.secretsmanager"), "holds the Secrets Manager client").toBe(false);
  });

  it("the payments artifact reads Secrets Manager and records a payment at DataFast", async () => {
    const artifacts = await samBuild("PaymentsFunction");
    const secretsManager = await startSecretsManagerStandIn();
    const secretId = "datafast/sam-artifact";
    secretsManager.secrets.set(
      secretId,
      JSON.stringify({ DATAFAST_API_KEY: API_KEY, PAYMENTS_AUTH_TOKEN: AUTH_TOKEN }),
    );
    // The artifact runs in this test file's own worker; the environment is what Lambda would set.
    Object.assign(process.env, sdkEnv(secretsManager), {
      DATAFAST_SECRET_ID: secretId,
      DATAFAST_API_URL: dataFast().url,
    });
    try {
      const { handler } = (await import(join(artifacts, "payments.mjs"))) as {
        handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
      };
      const response = await invokeLambda(handler, paymentRequest());
      expect(response.status).toBe(200);
      expect(secretsManager.calls.get(secretId)).toBe(1);
      expect(dataFast().payments.get("pay_001")).toMatchObject({ amount: 29.99, currency: "USD" });
    } finally {
      await secretsManager.close();
    }
  });
});
