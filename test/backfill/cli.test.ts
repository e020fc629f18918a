import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { API_KEY, useDataFast } from "../support/payments.ts";
import { credentials, stateFile } from "./harness.ts";
import { dataset, type ProviderStandIn, startProviderStandIn } from "./provider-standins.ts";

/** The real command, `npm run backfill`'s own entry, as a child process. */
const dataFast = useDataFast();
const data = dataset("paystack", 40);
let paystack: ProviderStandIn;
beforeAll(async () => {
  paystack = await startProviderStandIn("paystack", data);
});
afterAll(() => paystack.close());

function backfillCommand(...flags: string[]): ChildProcess & { output: () => string } {
  const env = {
    PATH: process.env.PATH,
    PAYSTACK_SECRET_KEY: credentials.PAYSTACK_SECRET_KEY,
    PAYSTACK_API_URL: paystack.url,
    DATAFAST_API_KEY: API_KEY,
    DATAFAST_API_URL: dataFast().url,
  };
  const args = ["scripts/run.mjs", "backfill/cli.ts", "--provider", "paystack", "--since", "2025-01-01", ...flags];
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  return Object.assign(child, { output: () => output });
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

test("--dry-run prints the plan and sends nothing", async () => {
  const child = backfillCommand("--until", "2025-03-01", "--dry-run", "--state", stateFile());
  expect(await exitCode(child)).toBe(0);
  expect(child.output()).toContain(
    `Dry run: nothing is sent. paystack would record ${data.expected.length} of ${data.expected.length} listed.`,
  );
  expect(child.output()).toMatch(/ref_0 +payment +ref_0 +19\.99 +USD/);
  expect(child.output()).not.toContain(credentials.PAYSTACK_SECRET_KEY);
  expect(dataFast().requests).toHaveLength(0);
});

test("a run killed with SIGKILL and started again records everything once, resending nothing it had confirmed", async () => {
  // Slow answers, so the kill lands mid-run.
  dataFast().fault = () => ({ delayMs: 40 });
  const statePath = stateFile();
  const first = backfillCommand("--until", "2025-03-01", "--state", statePath, "--json");
  await waitFor(() => dataFast().payments.size >= 10);
  first.kill("SIGKILL");
  await exitCode(first);
  const confirmed = Object.keys(JSON.parse(readFileSync(statePath, "utf8")).recorded);
  expect(confirmed.length).toBeGreaterThan(0);
  expect(confirmed.length).toBeLessThan(data.expected.length);

  const second = backfillCommand("--until", "2025-03-01", "--state", statePath, "--json");
  expect(await exitCode(second), second.output()).toBe(0);
  const summary = JSON.parse(second.output().trim().split("\n").at(-1) ?? "{}");
  expect(summary).toMatchObject({ event: "summary", failed: 0, duplicates: confirmed.length });
  expect([...dataFast().payments.keys()].sort()).toEqual(data.expected.map((each) => each.transaction_id).sort());
  expect(dataFast().duplicates.filter((send) => send.differs)).toEqual([]);
  const sent = dataFast().requests.map((request) => JSON.parse(request.body).transaction_id as string);
  for (const id of confirmed)
    expect(
      sent.filter((each) => each === id),
      id,
    ).toHaveLength(1);
});

test("a missing credential is named, never a value, with exit code 2", async () => {
  const child = spawn(
    process.execPath,
    ["scripts/run.mjs", "backfill/cli.ts", "--provider", "paddle", "--since", "3d"],
    {
      env: { PATH: process.env.PATH },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  expect(await exitCode(child)).toBe(2);
  expect(stderr).toContain("Set PADDLE_API_KEY (in the environment or .env)");
});
