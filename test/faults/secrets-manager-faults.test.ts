import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { type DataFastStandIn, startDataFastStandIn } from "../../dev/datafast-standin.ts";
import { sentinelSecrets, useLeakWatch } from "../support/leak-watch.ts";
import { lambdaPlatforms } from "../support/platforms.ts";
import {
  type SecretsFault,
  type SecretsManagerStandIn,
  sdkEnv,
  startSecretsManagerStandIn,
} from "../support/secrets-manager-standin.ts";
import { postPayment, writeFigures } from "./harness.ts";

/*
 * Secrets Manager misbehaving under the real AWS SDK (Lambda only: elsewhere secrets are env vars).
 * For every fault: a clear 5xx within the time budget, nothing sent to DataFast with a key it
 * does not have, the failure not cached, and the next invocation recovers once the fault is gone.
 */

const TIMEOUT_MS = 1500;
const ANSWER_MARGIN_MS = 500;
const ROTATED_KEY = "df_SENTINEL_rotated_0d4c9b7e21";

let secretsManager: SecretsManagerStandIn;
let dataFast: DataFastStandIn;
let acceptedKey: string = sentinelSecrets.DATAFAST_API_KEY;
const leakWatch = useLeakWatch();
leakWatch.watch("rotated DATAFAST_API_KEY", ROTATED_KEY);
const figures = { invocations: 0, faultsInjected: 0 };

beforeAll(async () => {
  [secretsManager, dataFast] = await Promise.all([
    startSecretsManagerStandIn(),
    startDataFastStandIn({ acceptKey: (key) => key === acceptedKey }),
  ]);
  leakWatch.watch("AWS secret access key", String(sdkEnv(secretsManager).AWS_SECRET_ACCESS_KEY));
});
afterAll(async () => {
  await Promise.all([secretsManager?.close(), dataFast?.close()]);
  writeFigures("secrets-manager-faults", {
    ...figures,
    leaked: leakWatch.leaks().length,
    scanned: leakWatch.scanned(),
  });
});

afterEach(() => {
  vi.useRealTimers();
});

/** The settings secret as deployed: JSON with every secret setting. */
const settingsSecret = (apiKey: string = sentinelSecrets.DATAFAST_API_KEY) =>
  JSON.stringify({ ...sentinelSecrets, DATAFAST_API_KEY: apiKey });

let secretCount = 0;
/** A secret id no store in this process has seen, so the first invocation starts cold. */
function freshSecret(secretString: string | undefined = settingsSecret()): string {
  const secretId = `payments/faults-${++secretCount}`;
  if (secretString !== undefined) secretsManager.secrets.set(secretId, secretString);
  return secretId;
}

/** Makes Secrets Manager answer `fault` for `secretId` until the returned function is called. */
function breakSecret(secretId: string, fault: SecretsFault): () => void {
  figures.faultsInjected += 1;
  secretsManager.fault = (id) => (id === secretId ? fault : undefined);
  return () => {
    secretsManager.fault = undefined;
  };
}

/** One payment through the Lambda function (event kinds taken in turn), timed and leak-scanned. */
async function invoke(secretId: string) {
  const platform = lambdaPlatforms[figures.invocations++ % lambdaPlatforms.length];
  if (!platform) throw new Error("no Lambda platform");
  const transactionId = `sm-${figures.invocations}`;
  const env = {
    ...sdkEnv(secretsManager),
    DATAFAST_SECRET_ID: secretId,
    DATAFAST_API_URL: dataFast.url,
    DATAFAST_TIMEOUT_MS: String(TIMEOUT_MS),
  };
  const sentBefore = dataFast.requests.length;
  const started = performance.now();
  const response = await platform.invoke(
    "payments",
    postPayment({ amount: 10, currency: "USD", transaction_id: transactionId }),
    env,
  );
  const ms = performance.now() - started;
  const text = await leakWatch.read(response, `answer on ${platform.name}`);
  return {
    status: response.status,
    message: response.status >= 400 ? (JSON.parse(text) as { error: { message: string } }).error.message : "",
    ms,
    recorded: dataFast.payments.has(transactionId),
    sentToDataFast: dataFast.requests.slice(sentBefore),
  };
}

describe("Secrets Manager faults on Lambda (real AWS SDK)", () => {
  test.each<[string, SecretsFault]>([
    ["throttling", { status: 400, type: "ThrottlingException", message: "Rate exceeded" }],
    ["an internal error", { status: 500, type: "InternalServiceError" }],
    ["service unavailable", { status: 503, type: "ServiceUnavailableException" }],
    ["a request that hangs", { hang: true }],
  ])("%s: 503 in time, nothing sent, not cached; the next invocation records", async (_, fault) => {
    const secretId = freshSecret();
    const repair = breakSecret(secretId, fault);
    const failed = await invoke(secretId);
    expect(failed).toMatchObject({ status: 503, recorded: false, sentToDataFast: [] });
    expect(failed.message).toMatch(/Secrets/);
    expect(failed.ms).toBeLessThan(TIMEOUT_MS + ANSWER_MARGIN_MS);

    repair();
    const callsBefore = secretsManager.calls.get(secretId) ?? 0;
    expect(await invoke(secretId)).toMatchObject({ status: 200, recorded: true });
    expect(secretsManager.calls.get(secretId)).toBeGreaterThan(callsBefore);
  });

  test.each<[string, (secretId: string) => void, RegExp]>([
    ["a deleted secret", (id) => secretsManager.secrets.delete(id), /DATAFAST_SECRET_ID.*ResourceNotFound/],
    [
      "access denied",
      (id) => breakSecret(id, { status: 400, type: "AccessDeniedException" }),
      /DATAFAST_SECRET_ID.*AccessDenied/,
    ],
    ["a SecretString that is not JSON", (id) => secretsManager.secrets.set(id, "{DATAFAST_API_KEY:"), /not valid JSON/],
    [
      "a JSON secret without the DataFast key",
      (id) =>
        secretsManager.secrets.set(id, JSON.stringify({ PAYMENTS_AUTH_TOKEN: sentinelSecrets.PAYMENTS_AUTH_TOKEN })),
      /DATAFAST_API_KEY is not set/,
    ],
    [
      "a JSON secret whose values are not strings",
      (id) => secretsManager.secrets.set(id, JSON.stringify({ DATAFAST_API_KEY: 42, PAYMENTS_AUTH_TOKEN: true })),
      /PAYMENTS_AUTH_TOKEN is not set/,
    ],
  ])("%s: 500 naming the setting, no value echoed; fixed, the next invocation records", async (_, spoil, message) => {
    const secretId = freshSecret();
    spoil(secretId);
    figures.faultsInjected += 1;
    const failed = await invoke(secretId);
    expect(failed).toMatchObject({ status: 500, recorded: false, sentToDataFast: [] });
    expect(failed.message).toMatch(message);

    secretsManager.fault = undefined;
    secretsManager.secrets.set(secretId, settingsSecret());
    // An incomplete secret is re-read past the cache at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await invoke(secretId)).toMatchObject({ status: 200, recorded: true });
  });

  test("a rotated key is picked up after one DataFast 401", async () => {
    const secretId = freshSecret();
    expect(await invoke(secretId)).toMatchObject({ status: 200 });
    secretsManager.secrets.set(secretId, settingsSecret(ROTATED_KEY));
    acceptedKey = ROTATED_KEY;
    try {
      const rotated = await invoke(secretId);
      expect(rotated.status).toBe(200);
      expect(rotated.sentToDataFast.map(({ authorization }) => authorization)).toEqual([
        `Bearer ${sentinelSecrets.DATAFAST_API_KEY}`,
        `Bearer ${ROTATED_KEY}`,
      ]);
    } finally {
      acceptedKey = sentinelSecrets.DATAFAST_API_KEY;
    }
  });

  test("a rotation met by a Secrets Manager outage: 503, old key kept, recovered on the next invocation", async () => {
    const secretId = freshSecret();
    expect(await invoke(secretId)).toMatchObject({ status: 200 });
    secretsManager.secrets.set(secretId, settingsSecret(ROTATED_KEY));
    acceptedKey = ROTATED_KEY;
    try {
      const repair = breakSecret(secretId, { status: 400, type: "ThrottlingException" });
      const duringOutage = await invoke(secretId);
      expect(duringOutage).toMatchObject({ status: 503, recorded: false });
      expect(duringOutage.ms).toBeLessThan(TIMEOUT_MS + ANSWER_MARGIN_MS);
      repair();
      const recovered = await invoke(secretId);
      expect(recovered).toMatchObject({ status: 200, recorded: true });
      expect(recovered.sentToDataFast.at(-1)?.authorization).toBe(`Bearer ${ROTATED_KEY}`);
    } finally {
      acceptedKey = sentinelSecrets.DATAFAST_API_KEY;
    }
  });

  describe("after the cache expired (clock frozen, then moved past SECRETS_CACHE_TTL_SECONDS)", () => {
    /** A store that read the secret once, with the clock then moved `seconds` on. */
    async function expiredBy(seconds: number): Promise<string> {
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
      const secretId = freshSecret();
      expect(await invoke(secretId)).toMatchObject({ status: 200 });
      vi.setSystemTime(Date.now() + seconds * 1000);
      return secretId;
    }

    test.each<[string, SecretsFault]>([
      ["throttling", { status: 400, type: "ThrottlingException", message: "Rate exceeded" }],
      ["an internal error", { status: 500, type: "InternalServiceError" }],
      ["a request that hangs", { hang: true }],
    ])("%s: the expired settings keep recording while the refresh is tried", async (_, fault) => {
      const secretId = await expiredBy(301);
      breakSecret(secretId, fault);
      const callsBefore = secretsManager.calls.get(secretId) ?? 0;
      const stale = await invoke(secretId);
      expect(stale).toMatchObject({ status: 200, recorded: true });
      expect(stale.ms).toBeLessThan(TIMEOUT_MS + ANSWER_MARGIN_MS);
      expect(secretsManager.calls.get(secretId)).toBeGreaterThan(callsBefore);
      secretsManager.fault = undefined;
    });

    test("throttling an hour past expiry: 503, the expired settings are no longer trusted", async () => {
      const secretId = await expiredBy(300 + 3600);
      const repair = breakSecret(secretId, { status: 400, type: "ThrottlingException" });
      expect(await invoke(secretId)).toMatchObject({ status: 503, recorded: false, sentToDataFast: [] });
      repair();
      expect(await invoke(secretId)).toMatchObject({ status: 200, recorded: true });
    });

    test.each<[string, SecretsFault, RegExp]>([
      ["access denied", { status: 400, type: "AccessDeniedException" }, /AccessDenied/],
      ["a deleted secret", { status: 400, type: "ResourceNotFoundException" }, /ResourceNotFound/],
    ])("%s: 500 at once, the expired settings are not used", async (_, fault, message) => {
      const secretId = await expiredBy(301);
      const repair = breakSecret(secretId, fault);
      const denied = await invoke(secretId);
      expect(denied).toMatchObject({ status: 500, recorded: false, sentToDataFast: [] });
      expect(denied.message).toMatch(message);
      repair();
    });
  });

  test("no secret in any answer, header or log line", () => {
    expect(leakWatch.leaks()).toEqual([]);
  });
});
