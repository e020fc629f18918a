import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { invokeLambda } from "../dev/lambda-invoke.ts";
import { bundleFunction } from "../scripts/build.mjs";
import { freePort } from "./support/net.ts";
import { API_KEY, AUTH_TOKEN, payment, paymentRequest, useDataFast } from "./support/payments.ts";
import { lambdaPlatform } from "./support/platforms.ts";
import {
  extensionEnv,
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from "./support/secrets-manager-standin.ts";

const dataFast = useDataFast();
const lambda = lambdaPlatform("http-v2");

let secretsManager: SecretsManagerStandIn;
beforeAll(async () => {
  secretsManager = await startSecretsManagerStandIn();
});
afterAll(() => secretsManager.close());
beforeEach(() => {
  secretsManager.fault = undefined;
});

// Each test names its own secret: the per-container cache is keyed by secret id, so each starts cold.
let secretCount = 0;
function newSecret(value: Record<string, string>, name = `datafast/extension-${++secretCount}`): string {
  secretsManager.secrets.set(name, JSON.stringify(value));
  return name;
}

const settings = { DATAFAST_API_KEY: API_KEY, PAYMENTS_AUTH_TOKEN: AUTH_TOKEN };

/** No AWS keys and no SDK endpoint: the SDK could not reach the stand-in, only the extension interface can. */
function invoke(secretId: string, request = paymentRequest(), extra: Record<string, string> = {}) {
  return lambda.invoke("payments", request, {
    ...extensionEnv(secretsManager),
    DATAFAST_SECRET_ID: secretId,
    DATAFAST_API_URL: dataFast().url,
    ...extra,
  });
}

describe("Lambda secrets through the Parameters and Secrets Lambda Extension (SECRETS_SOURCE=extension)", () => {
  test("reads the secret once, with the session token, and serves warm invocations from the cache", async () => {
    const id = newSecret(settings);
    for (let i = 0; i < 5; i++) {
      const response = await invoke(id, paymentRequest({ ...payment, transaction_id: `ext_${i}` }));
      expect(response.status).toBe(200);
    }
    expect(secretsManager.calls.get(id)).toBe(1);
    expect(dataFast().requests[0]?.authorization).toBe(`Bearer ${API_KEY}`);
  });

  test("makes one extension call for 50 concurrent cold invocations", async () => {
    const id = newSecret(settings);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => invoke(id, paymentRequest({ ...payment, transaction_id: `ext_cold_${i}` }))),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    expect(secretsManager.calls.get(id)).toBe(1);
  });

  test("passes an ARN-like id with reserved and non-ASCII characters through intact", async () => {
    const id = newSecret(settings, "arn:aws:secretsmanager:us-east-1:1:secret:a/b+c d&e=é?#-AbCdEf");
    expect((await invoke(id)).status).toBe(200);
    expect(secretsManager.calls.get(id)).toBe(1);
  });

  test.each([
    ["does not exist", undefined],
    ["may not be read", { status: 400, type: "AccessDeniedException" }],
    ["cannot be decrypted", { status: 400, type: "DecryptionFailure" }],
  ])("answers 500 naming DATAFAST_SECRET_ID when the secret %s", async (_, fault) => {
    const id = fault ? newSecret(settings) : "datafast/extension-missing";
    secretsManager.fault = () => fault;
    const response = await invoke(id);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain("DATAFAST_SECRET_ID");
    expect(text).not.toContain(API_KEY);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("answers 503 while Secrets Manager fails behind the extension, then recovers without a poisoned cache", async () => {
    const id = newSecret(settings);
    secretsManager.fault = () => ({ status: 500, type: "InternalServiceError" });
    const down = await invoke(id);
    expect(down.status).toBe(503);
    expect(await down.text()).toContain("InternalServiceError");
    secretsManager.fault = undefined;
    expect((await invoke(id)).status).toBe(200);
  });

  test("answers 503 when the extension hangs", async () => {
    const id = newSecret(settings);
    secretsManager.fault = () => ({ hang: true });
    const response = await invoke(id, paymentRequest(), { DATAFAST_TIMEOUT_MS: "1000" });
    expect(response.status).toBe(503);
    expect(dataFast().requests).toHaveLength(0);
  });

  test("answers 503 when nothing listens on the extension's port (layer not attached yet)", async () => {
    const port = String(await freePort());
    const response = await invoke(newSecret(settings), paymentRequest(), {
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port,
    });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("NetworkError");
  });

  test("answers 500 naming DATAFAST_SECRET_ID when the extension's reply holds no SecretString", async () => {
    secretsManager.fault = () => ({ status: 200, type: "NoSecretString" });
    const response = await invoke(newSecret(settings));
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("DATAFAST_SECRET_ID");
  });

  test.each([
    ["SECRETS_SOURCE", "vault", "must be secrets-manager or extension"],
    ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773a", "must be a positive integer"],
  ])("answers a malformed %s in the envelope, naming it", async (name, value, problem) => {
    const response = await invoke(newSecret(settings), paymentRequest(), { [name]: value });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: { code: 500, message: `Server misconfigured: ${name} ${problem}` },
    });
  });
});

describe("the Lambda bundle built for the extension (npm run build: dist/lambda-extension)", () => {
  let dir: string;
  let handler: Parameters<typeof invokeLambda>[0];
  let bundle: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "datafast-extension-bundle-"));
    const outfile = join(dir, "payments.mjs");
    await bundleFunction("functions/lambda/payments.ts", outfile, { secretsSource: "extension" });
    bundle = await readFile(outfile, "utf8");
    ({ handler } = await import(outfile));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The bundle runs in this worker: the environment is set as Lambda would, then restored. */
  async function invokeBundle(env: Record<string, string>) {
    const saved = { ...process.env };
    Object.assign(process.env, { DATAFAST_API_URL: dataFast().url }, env);
    try {
      return await invokeLambda(handler, paymentRequest());
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    }
  }

  test("holds no AWS SDK", () => {
    expect(bundle.includes("com.amazonaws.secretsmanager"), "holds the Secrets Manager client").toBe(false);
    expect(bundle.includes("@smithy"), "holds Smithy").toBe(false);
  });

  test("records a payment with the secret read through the extension", async () => {
    const id = newSecret(settings);
    const response = await invokeBundle({ ...extensionEnv(secretsManager), DATAFAST_SECRET_ID: id });
    expect(response.status).toBe(200);
    expect(secretsManager.calls.get(id)).toBe(1);
  });

  test("answers 500 naming SECRETS_SOURCE when deployed without SECRETS_SOURCE=extension", async () => {
    // Empty is unset (and overrides what concurrent in-process invocations may have left in process.env).
    const env = { ...extensionEnv(secretsManager), SECRETS_SOURCE: "", DATAFAST_SECRET_ID: newSecret(settings) };
    const response = await invokeBundle(env);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: {
        message: "Server misconfigured: SECRETS_SOURCE must be extension: this bundle was built without the AWS SDK",
      },
    });
  });
});
