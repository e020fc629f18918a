import { type ChildProcess, execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readSandboxSecrets, sandboxSecretsFile } from "../dev/sandbox-secrets.ts";
import { sendSampleWebhook } from "../dev/webhook-sender.ts";
import { providers } from "../shared/webhooks/providers.ts";
import { startLocalServer } from "./support/local-server.ts";
import { freePort } from "./support/net.ts";
import { providerCases } from "./webhooks/cases.ts";

/** `npm start` with no keys: sandbox mode, all three platform functions behind one local server. */
let server: ChildProcess;
let output = "";
let base = "";
let token = "";
let port = 0;

beforeAll(async () => {
  port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    // A short budget, so the slow-client tests see it run out quickly.
    DATAFAST_TIMEOUT_MS: "3000",
  };
  for (const name of ["DATAFAST_API_KEY", "PAYMENTS_AUTH_TOKEN", "DATAFAST_API_URL", "DATAFAST_SECRET_ID"]) {
    delete env[name];
  }
  server = await startLocalServer(["dev/server.ts"], env, (chunk) => {
    output += chunk;
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

  test.each(["/api/goals", "/lambda/api/goals", "/vercel/api/goals", "/netlify/api/goals"])(
    "records a goal through %s and lists it at /_sandbox/goals",
    async (path) => {
      const name = `signup${path.replaceAll("/", "_")}`;
      const response = await post(path, { datafast_visitor_id: "sandbox-visitor", name, metadata: { plan: "pro" } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "success" });
      const listed = (await (await fetch(`${base}/_sandbox/goals`)).json()) as { goals: { name: string }[] };
      expect(listed.goals.filter((goal) => goal.name === name)).toEqual([
        { datafast_visitor_id: "sandbox-visitor", name, metadata: { plan: "pro" } },
      ]);
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

/**
 * One raw HTTP/1.1 exchange on a socket of its own (`Connection: close`): `head` is the request
 * line and headers; `feed` writes the body as it likes and returns how to stop. Resolves with
 * everything the server sent once it closes the connection.
 */
function exchange(head: string, feed: (socket: Socket) => () => void = () => () => {}): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), "127.0.0.1");
    let received = "";
    let stop = () => {};
    socket.on("data", (chunk) => {
      received += chunk;
      // The answer is in: stop sending, so the server can close the connection.
      if (received.includes("\r\n\r\n")) stop();
    });
    // A server that answers before reading the whole body closes on a client still sending: the
    // write then fails (EPIPE, ECONNRESET) after the answer has arrived.
    socket.on("error", () => {});
    socket.on("close", () => resolve(received));
    socket.write(`${head.trim().split("\n").join("\r\n")}\r\nConnection: close\r\n\r\n`);
    stop = feed(socket);
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
const envelopeOf = (answer: string) =>
  JSON.parse(answer.slice(answer.indexOf("{"), answer.lastIndexOf("}") + 1)) as { error: { message: string } };

/** Writes `body` one byte every `everyMs`, far slower than any budget. */
const trickle = (body: string, everyMs: number) => (socket: Socket) => {
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < body.length) socket.write(body[sent++] ?? "");
  }, everyMs);
  return () => clearInterval(timer);
};

const outputSince = async (mark: number, includes: string) => {
  while (!output.slice(mark).includes(includes)) await new Promise((resolve) => setTimeout(resolve, 20));
  return output.slice(mark);
};

describe("npm start against slow, short and oversized uploads", () => {
  // A valid payment: sent in full, DataFast would record it. Trailing spaces keep it the same JSON.
  const payment = `${JSON.stringify({ amount: 5, currency: "USD", transaction_id: "slow_1" })}${" ".repeat(600)}`;

  test("a client trickling its body past the time budget gets 408, not a 502 blaming DataFast", async () => {
    // About 650 bytes, one every 20 ms: 13 s at the least, the budget 3 s.
    const answer = await exchange(
      `POST /api/payments HTTP/1.1
Host: 127.0.0.1
Authorization: Bearer ${token}
Content-Type: application/json
Content-Length: ${payment.length}`,
      trickle(payment, 20),
    );
    expect(statusOf(answer)).toBe(408);
    expect(envelopeOf(answer).error.message).toMatch(/^The request body did not arrive in time/);
  });

  test("a body shorter than its Content-Length, the client waiting, gets 408 instead of a hang", async () => {
    const answer = await exchange(
      `POST /api/payments HTTP/1.1
Host: 127.0.0.1
Authorization: Bearer ${token}
Content-Type: application/json
Content-Length: 500`,
      (socket) => {
        socket.write('{"amount":5,');
        return () => {};
      },
    );
    expect(statusOf(answer)).toBe(408);
  });

  test("a client ending its body early is answered 400 and logged as the client's fault", async () => {
    const mark = output.length;
    const answer = await exchange(
      `POST /api/payments HTTP/1.1
Host: 127.0.0.1
Authorization: Bearer ${token}
Content-Type: application/json
Content-Length: 500`,
      (socket) => {
        socket.end('{"amount":5,');
        return () => {};
      },
    );
    expect(statusOf(answer)).toBe(400);
    const logged = await outputSince(mark, '"route":"payments"');
    expect(logged).toContain('"status":400');
    expect(logged).not.toContain("aborted");
  });

  test("/lambda refuses a declared 1 GiB body at once", async () => {
    const answer = await exchange(
      `POST /lambda/api/webhooks/creem HTTP/1.1
Host: 127.0.0.1
Content-Type: application/json
Content-Length: ${2 ** 30}`,
      (socket) => {
        socket.write("{");
        return () => {};
      },
    );
    expect(statusOf(answer)).toBe(413);
    expect(envelopeOf(answer).error.message).toBe("Body is larger than 1048576 bytes");
  });

  test("/lambda refuses an endless chunked upload with 413 while it is still streaming", async () => {
    const chunk = `10000\r\n${" ".repeat(0x10000)}\r\n`;
    const answer = await exchange(
      `POST /lambda/api/webhooks/creem HTTP/1.1
Host: 127.0.0.1
Content-Type: application/json
Transfer-Encoding: chunked`,
      (socket) => {
        let sent = 0;
        let stopped = false;
        // Never ends; capped at 64 MiB so the server, should it buffer everything, is not harmed.
        const pump = () => {
          while (!stopped && sent < 64 * 2 ** 20 && socket.write(chunk)) sent += 0x10000;
        };
        socket.on("drain", pump);
        pump();
        return () => {
          stopped = true;
        };
      },
    );
    expect(statusOf(answer)).toBe(413);
  });

  test("/lambda records a correctly signed webhook over 64 KiB", async () => {
    const creem = providerCases.find((each) => each.provider === "creem");
    if (!creem) throw new Error("no creem case");
    // Padding after the JSON keeps it the same JSON, and the signature covers it all.
    const body = `${creem.payment.body}${" ".repeat(100 * 1024)}`;
    const secret = (await readSandboxSecrets(port)).CREEM_WEBHOOK_SECRET;
    if (!secret) throw new Error("npm start generated no Creem secret");
    const { headers } = creem.request(body, undefined, { secret });
    const response = await fetch(`${base}/lambda/api/webhooks/creem`, { method: "POST", headers, body });
    expect(response.status).toBe(200);
    const listed = (await (await fetch(`${base}/_sandbox/payments`)).json()) as {
      payments: { transaction_id: string }[];
    };
    expect(listed.payments.map((payment) => payment.transaction_id)).toContain("ord_creem_001");
  });
});

describe("npm start never echoes a URL", () => {
  const SECRET = "gt_SENTINEL_token_4f1d9c";

  test("a malformed Host header is answered 400, and the URL with its ?token= is not printed", async () => {
    const answer = await exchange(`POST /api/webhooks/gumroad?token=${SECRET} HTTP/1.1
Host: bad host
Content-Length: 0`);
    expect(statusOf(answer)).toBe(400);
    expect(envelopeOf(answer).error.message).toBe("Malformed Host header or request target");
    expect(output).not.toContain(SECRET);
  });

  const postTo = (path: string) => fetch(`${base}${path}`, { method: "POST", body: "sale_id=1" });

  test("a Gumroad URL with `;` before token=: 404, and the token is neither answered nor logged", async () => {
    const mark = output.length;
    const response = await postTo(`/api/webhooks/gumroad;token=${SECRET}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(SECRET);
    const logged = await outputSince(mark, '"status":404');
    expect(logged).toContain('"route":"webhooks/?"');
    expect(logged).not.toContain(SECRET);
  });

  test.each([`/api/webhook/gumroad;token=${SECRET}`, `/lambda/api/webhooks/x/gumroad;token=${SECRET}`])(
    "no route at %s: 404 without the path",
    async (path) => {
      const response = await postTo(path);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain(SECRET);
    },
  );
});
