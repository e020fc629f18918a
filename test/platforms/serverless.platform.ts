import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invokeLambda } from "../../dev/lambda-invoke.ts";
import { bundleFunction } from "../../scripts/build.mjs";
import { API_KEY, AUTH_TOKEN, paymentRequest, useDataFast } from "../support/payments.ts";
import { sdkEnv, startSecretsManagerStandIn } from "../support/secrets-manager-standin.ts";
import { oslsPackage } from "./builds.ts";
import { budgetOf, copyProject, type ProjectCopy, readZip } from "./support.ts";

// Any well-formed ARN: `osls package` only writes it into the template.
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:datafast-payments-AbCdEf";

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

let copy: ProjectCopy;
let packageOutput: string;
let resources: Record<string, Resource>;

beforeAll(async () => {
  copy = await copyProject();
  packageOutput = await oslsPackage(copy, { datafastSecretArn: SECRET_ARN });
  const template = await readFile(join(copy.dir, ".serverless/cloudformation-template-update-stack.json"), "utf8");
  resources = JSON.parse(template).Resources;
});
afterAll(() => copy?.remove());

const ofType = (type: string) => Object.values(resources).filter((resource) => resource.Type === type);
const functionNamed = (name: string) =>
  ofType("AWS::Lambda::Function").find(
    (resource) => resource.Properties.Handler === `functions/lambda/${name}.handler`,
  );

describe("osls package", () => {
  it("packages the service", () => {
    expect(packageOutput).toContain("Service packaged");
  });

  it("zips each function as ONE bundled file, the AWS SDK inside it", async () => {
    for (const name of ["payments", "goals", "webhooks", "health"]) {
      const files = await readZip(join(copy.dir, ".serverless", `${name}.zip`));
      expect([...files.keys()]).toEqual([`functions/lambda/${name}.mjs`]);
      const bundle = files.get(`functions/lambda/${name}.mjs`)?.toString("utf8") ?? "";
      // Booleans, so a failure does not print 300 kB of minified code.
      expect(/export\s*\{[^}]*\bas handler\b/.test(bundle), "exports handler").toBe(true);
      expect(/from\s*["']@aws-sdk\//.test(bundle), "imports @aws-sdk at run time").toBe(false);
      expect(bundle.includes('"com.amazonaws.secretsmanager"'), "holds the Secrets Manager client").toBe(true);
    }
  });

  it("zips the very bundles npm run build writes, each within its budget in bench/budgets.json", async () => {
    for (const name of ["payments", "goals", "webhooks", "health"]) {
      const files = await readZip(join(copy.dir, ".serverless", `${name}.zip`));
      const bundle = files.get(`functions/lambda/${name}.mjs`) ?? Buffer.alloc(0);
      expect(bundle.byteLength, `${name} bytes`).toBeLessThanOrEqual(await budgetOf(`dist/lambda/${name}.mjs`));
      const built = await bundleFunction(`functions/lambda/${name}.ts`, join(copy.home, `npm-build/${name}.mjs`), {
        metafileBeside: false,
      });
      expect(bundle.equals(await readFile(built.file)), `${name}: same bytes as npm run build`).toBe(true);
    }
  });

  it("routes POST /api/payments, /api/goals, /api/webhooks/{provider} and GET /api/health on an HTTP API", () => {
    const routeKeys = ofType("AWS::ApiGatewayV2::Route").map((route) => route.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual([
      "GET /api/health",
      "POST /api/goals",
      "POST /api/payments",
      "POST /api/webhooks/{provider}",
    ]);
  });

  it("runs every function on nodejs22.x with DATAFAST_SECRET_ID naming the secret, read through the SDK", () => {
    for (const name of ["payments", "goals", "webhooks", "health"]) {
      const fn = functionNamed(name);
      expect(fn?.Properties).toMatchObject({
        Runtime: "nodejs22.x",
        Environment: { Variables: { DATAFAST_SECRET_ID: SECRET_ARN, SECRETS_SOURCE: "secrets-manager" } },
      });
    }
  });

  it("lets the functions read that one secret and no other", () => {
    const statements = ofType("AWS::IAM::Role").flatMap((role) =>
      (role.Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap(
        (policy) => policy.PolicyDocument.Statement,
      ),
    );
    const secretStatements = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith("secretsmanager:")),
    );
    expect(secretStatements).toEqual([
      { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: SECRET_ARN },
    ]);
  });
});

describe("the packaged payments bundle", () => {
  const dataFast = useDataFast();

  it("reads its settings from Secrets Manager and records a payment at DataFast", async () => {
    const secretsManager = await startSecretsManagerStandIn();
    const secretString = JSON.stringify({ DATAFAST_API_KEY: API_KEY, PAYMENTS_AUTH_TOKEN: AUTH_TOKEN });
    secretsManager.secrets.set(SECRET_ARN, secretString);
    // The bundle runs in this test file's own worker; the environment is what Lambda would set.
    Object.assign(process.env, sdkEnv(secretsManager), {
      DATAFAST_SECRET_ID: SECRET_ARN,
      DATAFAST_API_URL: dataFast().url,
    });
    try {
      const files = await readZip(join(copy.dir, ".serverless/payments.zip"));
      const unpacked = join(copy.dir, "unpacked");
      await mkdir(join(unpacked, "functions/lambda"), { recursive: true });
      const bundlePath = join(unpacked, "functions/lambda/payments.mjs");
      await writeFile(bundlePath, files.get("functions/lambda/payments.mjs") ?? "");
      const { handler } = (await import(bundlePath)) as {
        handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
      };

      const response = await invokeLambda(handler, paymentRequest());
      expect(response.status).toBe(200);
      expect(secretsManager.calls.get(SECRET_ARN)).toBe(1);
      expect(dataFast().payments.get("pay_001")).toMatchObject({ amount: 29.99, currency: "USD" });
    } finally {
      await secretsManager.close();
    }
  });
});

describe("osls package --param=secretsSource=extension", () => {
  // Its own copy: osls empties the service's build directories whenever it packages.
  let extensionCopy: ProjectCopy;
  beforeAll(async () => {
    extensionCopy = await copyProject();
    await oslsPackage(extensionCopy, { datafastSecretArn: SECRET_ARN, secretsSource: "extension" });
  });
  afterAll(() => extensionCopy?.remove());

  it("sets SECRETS_SOURCE and zips bundles without the AWS SDK, each within its budget", async () => {
    const template = await readFile(
      join(extensionCopy.dir, ".serverless/cloudformation-template-update-stack.json"),
      "utf8",
    );
    const extensionResources: Record<string, Resource> = JSON.parse(template).Resources;
    for (const name of ["payments", "goals", "webhooks", "health"]) {
      const fn = Object.values(extensionResources).find(
        (resource) => resource.Properties.Handler === `functions/lambda/${name}.handler`,
      );
      expect(fn?.Properties).toMatchObject({ Environment: { Variables: { SECRETS_SOURCE: "extension" } } });
      const files = await readZip(join(extensionCopy.dir, ".serverless", `${name}.zip`));
      const bundle = files.get(`functions/lambda/${name}.mjs`) ?? Buffer.alloc(0);
      expect(bundle.byteLength).toBeLessThanOrEqual(await budgetOf(`dist/lambda-extension/${name}.mjs`));
      expect(bundle.includes("com.amazonaws.secretsmanager"), "holds the Secrets Manager client").toBe(false);
    }
  });
});
