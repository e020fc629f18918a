// The esbuild plugins every Lambda bundle is built with, in ONE file that each build loads:
// `npm run build` (scripts/build.mjs), SAM (Makefile -> build.mjs) and serverless-esbuild, which
// requires the file `custom.esbuild.plugins` names (Node 20.19+ and 22.12+ require ES modules) and
// calls its default export with the Serverless instance.
import { dirname } from "node:path";

/**
 * On AWS Lambda the function's role credentials are always in environment variables (or a
 * container endpoint), so the AWS SDK's default chain never gets past `fromEnv` / the remote
 * sources. Its profile-file, SSO, credential-process and web-identity links (imported lazily, with
 * nested STS/SSO/sign-in clients) would still add ~90 kB to every Lambda bundle; here each is
 * replaced by a link that passes on to the next one, as it would when nothing is configured.
 */
const skipNonLambdaCredentialSources = {
  name: "skip-non-lambda-credential-sources",
  setup(build) {
    const sources = /^@aws-sdk\/credential-provider-(ini|sso|process|web-identity)$/;
    build.onResolve({ filter: sources }, ({ path, importer }) =>
      importer.includes("@aws-sdk/credential-provider-node")
        ? { path, namespace: "skipped-credential-source", pluginData: { resolveDir: dirname(importer) } }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "skipped-credential-source" }, ({ path, pluginData }) => ({
      resolveDir: pluginData.resolveDir,
      contents: `import { CredentialsProviderError } from "@smithy/core/config";
const skip = () => async () => {
  throw new CredentialsProviderError("${path} is left out of Lambda bundles", { tryNextLink: true });
};
export { skip as fromIni, skip as fromSSO, skip as fromProcess, skip as fromTokenFile };`,
    }));
  },
};

/**
 * For functions that read their secret through the Parameters and Secrets Lambda Extension
 * (SECRETS_SOURCE=extension): the AWS SDK client is replaced by one that answers 500 naming
 * SECRETS_SOURCE, so the bundle carries no SDK (~190 kB) and still fails clearly if deployed
 * without the setting.
 */
const leaveOutSecretsManagerSdk = {
  name: "leave-out-secrets-manager-sdk",
  setup(build) {
    // Imported by functions/lambda/secrets-manager.ts: the stub resolves shared/ from there.
    build.onResolve({ filter: /^@aws-sdk\/client-secrets-manager$/ }, ({ path, importer }) => ({
      path,
      namespace: "left-out-sdk",
      pluginData: { resolveDir: dirname(importer) },
    }));
    build.onLoad({ filter: /.*/, namespace: "left-out-sdk" }, ({ pluginData }) => ({
      resolveDir: pluginData.resolveDir,
      contents: `import { settingError } from "../../shared/http-error.ts";
export class SecretsManagerClient {
  constructor() {
    throw settingError("SECRETS_SOURCE", "must be extension: this bundle was built without the AWS SDK");
  }
}
export class GetSecretValueCommand {
  constructor(input) {
    this.input = input;
  }
}`,
    }));
  },
};

/** The Lambda plugins; `secretsSource: "extension"` also leaves the Secrets Manager SDK out. */
export function lambdaPlugins({ secretsSource } = {}) {
  return secretsSource === "extension"
    ? [skipNonLambdaCredentialSources, leaveOutSecretsManagerSdk]
    : [skipNonLambdaCredentialSources];
}

/** serverless-esbuild: the deployed functions' SECRETS_SOURCE chooses the bundle. */
export default (serverless) =>
  lambdaPlugins({ secretsSource: serverless.service.provider.environment?.SECRETS_SOURCE });
