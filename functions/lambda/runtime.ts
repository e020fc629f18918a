import type { Context } from "aws-lambda";
import { consoleLogger } from "../../shared/log.ts";
import type { Route, Runtime } from "../../shared/runtime.ts";
import { serve } from "../../shared/serve.ts";
import { envSecrets, positiveInteger, type SecretStore, type Secrets } from "../../shared/settings.ts";
import { type LambdaHttpEvent, type LambdaHttpResult, toRequest, toResult } from "./event.ts";
import { readsThroughExtension, secretsExtensionClient } from "./secrets-extension.ts";
import { secretsManagerStore } from "./secrets-manager.ts";

// Time kept back from Lambda's own timeout to send the answer (and its log line) out.
const DEADLINE_MARGIN_MS = 500;

// One store per container, created on the first invocation and reused while warm.
const stores = new Map<string, SecretStore>();

/**
 * The secret settings: those the secret named by DATAFAST_SECRET_ID holds, the rest from env vars
 * (so a plain-string secret, the DataFast key alone, works); env vars alone when it is unset.
 */
function secretStore(env: NodeJS.ProcessEnv): SecretStore {
  const secretId = env.DATAFAST_SECRET_ID;
  if (!secretId) return envSecrets(env);
  let maxAgeSeconds: number;
  let extensionClient: ReturnType<typeof secretsExtensionClient> | undefined;
  try {
    maxAgeSeconds = positiveInteger(env, "SECRETS_CACHE_TTL_SECONDS", 300);
    extensionClient = readsThroughExtension(env) ? secretsExtensionClient(env) : undefined;
  } catch (error) {
    // Fail inside the request, where the core answers it in the JSON envelope and logs it.
    return { load: () => Promise.reject(error) };
  }
  const key = `${secretId}\n${maxAgeSeconds}\n${extensionClient ? "extension" : "sdk"}`;
  let store = stores.get(key);
  if (!store) {
    store = secretsManagerStore({
      secretId,
      maxAgeSeconds,
      ...(extensionClient && { client: extensionClient }),
    });
    stores.set(key, store);
  }
  return withEnvFallback(store, env);
}

/**
 * A setting the secret holds wins over the same-named env var: the secret is where rotation happens.
 * The env vars are reached through the prototype, not copied: spreading `process.env` costs ~30 µs
 * per request (each variable is read through a native getter), more than the rest of the core.
 */
function withEnvFallback(store: SecretStore, env: NodeJS.ProcessEnv): SecretStore {
  const overEnv = (secrets: Secrets): Secrets => Object.assign(Object.create(env), secrets);
  return {
    load: (options) => {
      const secrets = store.load(options);
      return secrets instanceof Promise ? secrets.then(overEnv) : overEnv(secrets);
    },
  };
}

/**
 * Wraps a core route (`name` is its log line's route) as a Lambda handler for API Gateway (REST
 * and HTTP), Function URL and ALB events.
 */
export function lambdaHandler(name: string, route: Route) {
  return async (event: LambdaHttpEvent, context: Context): Promise<LambdaHttpResult> => {
    const runtime: Runtime = {
      platform: "lambda",
      env: process.env,
      secrets: secretStore(process.env),
      remainingMs: () => context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS,
      log: consoleLogger,
    };
    let request: Request;
    try {
      request = toRequest(event);
    } catch (error) {
      // An event no Request can be built from still gets the core's envelope and one log line.
      return toResult(event, await serve(name, runtime, () => Promise.reject(error)));
    }
    return toResult(event, await route(request, runtime));
  };
}
