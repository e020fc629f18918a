# SAM's makefile build method (template.yaml): `sam build` runs `make build-<LogicalId>` with
# ARTIFACTS_DIR set. Each target writes the very bundle `npm run build` writes, through the same
# script and esbuild plugins. `SECRETS_SOURCE=extension sam build` leaves the AWS SDK out.

build-PaymentsFunction:
	node scripts/build.mjs functions/lambda/payments.ts "$(ARTIFACTS_DIR)/payments.mjs" --secrets-source="$(SECRETS_SOURCE)"

build-GoalsFunction:
	node scripts/build.mjs functions/lambda/goals.ts "$(ARTIFACTS_DIR)/goals.mjs" --secrets-source="$(SECRETS_SOURCE)"

build-WebhooksFunction:
	node scripts/build.mjs functions/lambda/webhooks.ts "$(ARTIFACTS_DIR)/webhooks.mjs" --secrets-source="$(SECRETS_SOURCE)"

build-HealthFunction:
	node scripts/build.mjs functions/lambda/health.ts "$(ARTIFACTS_DIR)/health.mjs" --secrets-source="$(SECRETS_SOURCE)"
