import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort } from "./support/net.ts";

/** `npm start` with no keys: sandbox mode, all three platform functions behind one local server. */
let server: ChildProcess;
let output = "";
let base = "";
let token = "";

beforeAll(async () => {
  const port = await freePort();
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
  token = /Generated PAYMENTS_AUTH_TOKEN for this run: (\S+)/.exec(output)?.[1] ?? "";
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
    expect(output).toContain(`curl -i ${base}/api/payments -H 'Authorization: Bearer ${token}'`);
  });

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
