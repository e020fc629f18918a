import { type ChildProcess, execFile, spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sandboxSecretsFile } from "../dev/sandbox-secrets.ts";
import { sendSampleWebhook } from "../dev/webhook-sender.ts";
import { providers } from "../shared/webhooks/providers.ts";
import { freePort } from "./support/net.ts";

/** `npm start` with no keys: sandbox mode, all three platform functions behind one local server. */
let server: ChildProcess;
let output = "";
let base = "";
let token = "";
let port = 0;

beforeAll(async () => {
  port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  for (const name of ["DATAFAST_API_KEY", "PAYMENTS_AUTH_TOKEN", "DATAFAST_API_URL", "DATAFAST_SECRET_ID"]) {
    delete env[name];
  }
  server = spawn(process.execPath, ["scripts/run.mjs", "dev/server.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  server.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout?.on("data", () => output.includes("Try:") && resolve());
    server.on("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  base = `http://127.0.0.1:${port}`;
  token = /export PAYMENTS_AUTH_TOKEN=(\S+)/.exec(output)?.[1] ?? "";
});

afterAll(() => {
  server.kill();
});

const post = (path: string, body: unknown, auth = token) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("npm start (sandbox mode)", () => {
  test("says it is a sandbox and prints a token and a curl to try", () => {
    expect(output).toContain("Sandbox mode");
    expect(token).toMatch(/^[\w-]{20,}$/);
    // Double quotes, so the shell expands the variable the line above exports.
    expect(output).toContain(`curl -i ${base}/api/payments -H "Authorization: Bearer $PAYMENTS_AUTH_TOKEN"`);
  });

  test("lists every webhook route and how to send one", () => {
    for (const name of Object.keys(providers)) expect(output).toContain(`/api/webhooks/${name}`);
    expect(output).toContain(`PORT=${port} npm run send-webhook -- `);
  });

  test("leaves its generated webhook secrets for the sender, readable by this user only", async () => {
    expect((await stat(sandboxSecretsFile(port))).mode & 0o777).toBe(0o600);
  });

  const kinds = ["payment", "renewal", "refund"] as const;
  test.each(Object.keys(providers).flatMap((provider) => kinds.map((kind) => ({ provider, kind }))))(
    "records a $provider $kind sent by npm run send-webhook's sender",
    async ({ provider, kind }) => {
      const sent = await sendSampleWebhook({
        provider,
        kind,
        amount: 12.5,
        currency: "EUR",
        env: { PORT: String(port) },
      });
      expect(sent.status, sent.body).toBe(200);
      const listed = (await (await fetch(`${base}/_sandbox/payments`)).json()) as {
        payments: { transaction_id: string; amount: number; renewal?: boolean; refunded?: boolean }[];
      };
      // A Mollie refund's delivery records its payment too: the refund is the one flagged.
      const recorded = listed.payments.find(
        (payment) => sent.body.includes(payment.transaction_id) && (kind !== "refund" || payment.refunded),
      );
      // Gumroad charges in USD whatever the product's currency.
      expect(recorded).toMatchObject({ amount: 12.5, currency: provider === "gumroad" ? "USD" : "EUR" });
    },
  );

  test("npm run send-webhook prints the answer and exits 0 on a 2xx", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["scripts/run.mjs", "dev/send-webhook.ts", "gumroad", "--event", "renewal", "--amount", "5", "--currency", "usd"],
      { env: { ...process.env, PORT: String(port), GUMROAD_WEBHOOK_TOKEN: "" } },
    );
    expect(stdout).toContain(`POST ${base}/api/webhooks/gumroad (renewal, 5 USD)`);
    expect(stdout).toMatch(/^200 /m);
    // The CLI is bundled on first run: slow on a busy machine.
  }, 120_000);

  test.each(["/api/health", "/lambda/api/health", "/vercel/api/health", "/netlify/api/health"])(
    "answers %s as healthy",
    async (path) => {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "ok", providers: { paddle: "configured" } });
    },
  );

  test("a second server on the same port says to set PORT, without a stack trace", async () => {
    const second = await promisify(execFile)(process.execPath, ["scripts/run.mjs", "dev/server.ts"], {
      env: { ...process.env, PORT: String(port) },
    }).catch((error: { code: number; stderr: string }) => error);
    expect("code" in second && second.code).toBe(1);
    expect(second.stderr).toContain(`Port ${port} is already in use`);
    expect(second.stderr).toContain(`PORT=${port + 1} npm start`);
    expect(second.stderr).not.toMatch(/\n\s+at /);
    // The running server's secrets are untouched: the sender still signs with them.
    const sent = await sendSampleWebhook({
      provider: "paddle",
      kind: "payment",
      amount: 1,
      currency: "USD",
      env: { PORT: String(port) },
    });
    expect(sent.status).toBe(200);
  }, 120_000);

  test.each(["/api/payments", "/lambda/api/payments", "/vercel/api/payments", "/netlify/api/payments"])(
    "records a payment through %s",
    async (path) => {
      const id = `sandbox_${path.replaceAll("/", "_")}`;
      const response = await post(path, { amount: 29.99, currency: "USD", transaction_id: id });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ transaction_id: id });
      const listed = (await (await fetch(`${base}/_sandbox/payments`)).json()) as {
        payments: { transaction_id: string }[];
      };
      expect(listed.payments.map((payment) => payment.transaction_id)).toContain(id);
    },
  );

  test("marks a resent payment as a duplicate, and lists that send as one", async () => {
    const first = { amount: 10, currency: "EUR", transaction_id: "sandbox_duplicate" };
    expect((await post("/api/payments", first)).headers.get("x-datafast-duplicate")).toBeNull();
    const again = await post("/lambda/api/payments", { ...first, amount: 12 });
    expect(again.status).toBe(200);
    expect(again.headers.get("x-datafast-duplicate")).toBe("true");
    const listed = (await (await fetch(`${base}/_sandbox/payments`)).json()) as {
      payments: { transaction_id: string; amount: number }[];
      duplicates: { transaction_id: string; differs: boolean; resent: { amount: number } }[];
    };
    expect(listed.payments.find(({ transaction_id }) => transaction_id === first.transaction_id)?.amount).toBe(10);
    expect(listed.duplicates.filter(({ transaction_id }) => transaction_id === first.transaction_id)).toEqual([
      { transaction_id: first.transaction_id, differs: true, resent: { ...first, amount: 12 } },
    ]);
  });

  test("answers the contract's errors through the sandbox too", async () => {
    expect((await post("/api/payments", { amount: 1 }, "wrong")).status).toBe(401);
    expect((await post("/api/payments", { amount: 1 })).status).toBe(400);
    expect((await post("/nowhere", {})).status).toBe(404);
  });

  test("never prints the sandbox DataFast key", () => {
    expect(output).not.toMatch(/df_sandbox_/);
  });
});
