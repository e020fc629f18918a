import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** What the stand-in answers instead of the secret. */
export type SecretsFault = { status: number; type: string; message?: string } | { hang: true };

export interface SecretsManagerStandIn {
  /** Value for AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  endpoint: string;
  /** SecretString by SecretId. */
  secrets: Map<string, string>;
  /** GetSecretValue calls received, by SecretId. */
  calls: Map<string, number>;
  fault: ((secretId: string) => SecretsFault | undefined) | undefined;
  close(): Promise<void>;
}

// Its session token: the extension interface answers only requests that carry it.
const SESSION_TOKEN = "standin-session-token";

/**
 * A loopback server speaking Secrets Manager's JSON protocol for GetSecretValue, so tests run the
 * real AWS SDK client (reached through AWS_ENDPOINT_URL_SECRETS_MANAGER) with no cloud. It also
 * serves the Parameters and Secrets Lambda Extension's interface (`GET /secretsmanager/get`) from
 * the same secrets, calls and faults, as the extension fronts the same service.
 */
export async function startSecretsManagerStandIn(): Promise<SecretsManagerStandIn> {
  const standIn: SecretsManagerStandIn = {
    endpoint: "",
    secrets: new Map(),
    calls: new Map(),
    fault: undefined,
    close: () =>
      new Promise((resolve) => {
        // A hung request keeps its connection open, and server.close() would wait for it.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(body));
    };
    const extensionUrl = new URL(req.url ?? "/", "http://standin");
    let secretId: string;
    if (req.method === "GET" && extensionUrl.pathname === "/secretsmanager/get") {
      if (req.headers["x-aws-parameters-secrets-token"] !== SESSION_TOKEN) {
        return reply(401, { message: "missing or wrong X-Aws-Parameters-Secrets-Token" });
      }
      secretId = extensionUrl.searchParams.get("secretId") ?? "";
    } else if (req.headers["x-amz-target"] === "secretsmanager.GetSecretValue") {
      ({ SecretId: secretId } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { SecretId: string });
    } else {
      return reply(400, { __type: "UnknownOperationException", message: "Only GetSecretValue is served here" });
    }
    standIn.calls.set(secretId, (standIn.calls.get(secretId) ?? 0) + 1);
    const fault = standIn.fault?.(secretId);
    if (fault && "hang" in fault) return;
    if (fault) return reply(fault.status, { __type: fault.type, message: fault.message ?? fault.type });
    const secretString = standIn.secrets.get(secretId);
    if (secretString === undefined) {
      return reply(400, {
        __type: "ResourceNotFoundException",
        message: "Secrets Manager can't find the specified secret.",
      });
    }
    reply(200, {
      ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${secretId}-AbCdEf`,
      Name: secretId,
      SecretString: secretString,
      VersionId: "00000000-0000-0000-0000-000000000001",
      VersionStages: ["AWSCURRENT"],
      CreatedDate: Math.floor(Date.now() / 1000),
    });
  });
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  standIn.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}

/** Environment that points the real SDK at the stand-in, with dummy credentials. */
export function sdkEnv(standIn: SecretsManagerStandIn): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.endpoint,
    AWS_ACCESS_KEY_ID: "AKIDSTANDIN",
    AWS_SECRET_ACCESS_KEY: "standin-secret-access-key",
    AWS_REGION: "us-east-1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

/** Environment of a function that reads the stand-in through the extension's interface (no SDK, no AWS keys). */
export function extensionEnv(standIn: SecretsManagerStandIn): Record<string, string> {
  return {
    SECRETS_SOURCE: "extension",
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: new URL(standIn.endpoint).port,
    AWS_SESSION_TOKEN: SESSION_TOKEN,
  };
}
