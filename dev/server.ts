import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { handler as lambdaGoals } from "../functions/lambda/goals.ts";
import { handler as lambdaHealth } from "../functions/lambda/health.ts";
import { handler as lambdaPayments } from "../functions/lambda/payments.ts";
import { handler as lambdaWebhooks } from "../functions/lambda/webhooks.ts";
import netlifyGoals from "../functions/netlify/goals.ts";
import netlifyHealth from "../functions/netlify/health.ts";
import netlifyPayments from "../functions/netlify/payments.ts";
import netlifyWebhooks from "../functions/netlify/webhooks.ts";
import vercelGoals from "../functions/vercel/goals.ts";
import vercelHealth from "../functions/vercel/health.ts";
import vercelPayments from "../functions/vercel/payments.ts";
import vercelWebhooks from "../functions/vercel/webhooks.ts";
import { PAYMENT_BODY_LIMIT, WEBHOOK_BODY_LIMIT } from "../shared/body.ts";
import { errorResponse, jsonResponse } from "../shared/json-response.ts";
import { NO_ROUTE, type RouteName, routeNamed } from "../shared/routes.ts";
import { loadEnvFile } from "./env-file.ts";
import { invokeLambda } from "./lambda-invoke.ts";
import { startSandbox } from "./sandbox.ts";

/**
 * `npm start`: one local server running the three real platform functions side by side.
 * Without DATAFAST_API_KEY it runs in sandbox mode: payments go to an in-process DataFast stand-in.
 */
type Fetch = (request: Request) => Promise<Response>;

const platforms: Record<string, Record<RouteName, Fetch>> = {
  vercel: {
    payments: vercelPayments.fetch,
    goals: vercelGoals.fetch,
    webhooks: vercelWebhooks.fetch,
    health: vercelHealth.fetch,
  },
  netlify: { payments: netlifyPayments, goals: netlifyGoals, webhooks: netlifyWebhooks, health: netlifyHealth },
  lambda: {
    // A health check has no body to speak of: the payments limit bounds anything sent anyway.
    health: (request) => invokeLambda(lambdaHealth, request, { maxBodyBytes: PAYMENT_BODY_LIMIT }),
    payments: (request) => invokeLambda(lambdaPayments, request, { maxBodyBytes: PAYMENT_BODY_LIMIT }),
    goals: (request) => invokeLambda(lambdaGoals, request, { maxBodyBytes: PAYMENT_BODY_LIMIT }),
    webhooks: (request) => invokeLambda(lambdaWebhooks, request, { maxBodyBytes: WEBHOOK_BODY_LIMIT }),
  },
};
// Unprefixed /api/... routes go to the Vercel function.
const DEFAULT_PLATFORM = "vercel";
const PLATFORM_PREFIX = /^\/(lambda|vercel|netlify)(?=\/)/;

const envFileLoaded = loadEnvFile();
const port = Number(process.env.PORT || 8787);
const sandbox = await startSandbox(process.env, port);
const { standIn } = sandbox;

async function route(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/_sandbox/payments" && standIn) {
    return jsonResponse(200, { payments: [...standIn.payments.values()], duplicates: standIn.duplicates });
  }
  if (url.pathname === "/_sandbox/goals" && standIn) {
    return jsonResponse(200, { goals: standIn.goals });
  }
  const platform = PLATFORM_PREFIX.exec(url.pathname)?.[1] ?? DEFAULT_PLATFORM;
  // Each function sees the path it has in production, without the platform prefix.
  url.pathname = url.pathname.replace(PLATFORM_PREFIX, "");
  const name = routeNamed(url.pathname);
  const target = name && platforms[platform]?.[name];
  if (!target) return errorResponse(404, NO_ROUTE);
  return target(
    new Request(url, { method: request.method, headers: request.headers, body: request.body, duplex: "half" }),
  );
}

const server = createServer(async (req, res) => {
  try {
    const request = toRequest(req);
    const response = request ? await route(request) : errorResponse(400, "Malformed Host header or request target");
    await send(req, res, response);
  } catch (error) {
    // The name and the stack frames only: a message can quote the URL, and so a `?token=`.
    const lines = error instanceof Error ? (error.stack ?? "").split("\n") : [];
    const frames = lines.filter((line) => /^\s+at /.test(line));
    console.error([`Internal error: ${error instanceof Error ? error.name : typeof error}`, ...frames].join("\n"));
    await send(req, res, errorResponse(500, "Internal error"));
  }
});

function toRequest(req: IncomingMessage): Request | undefined {
  const url = `http://${req.headers.host ?? "localhost"}${req.url}`;
  if (!URL.canParse(url)) return undefined;
  const headers = new Headers();
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    for (const value of values ?? []) headers.append(name, value);
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : (Readable.toWeb(req) as ReadableStream);
  return new Request(url, {
    method,
    headers,
    duplex: "half",
    ...(body && { body }),
  });
}

// How long an answer given before the whole body arrived waits for the client to stop sending.
const LINGER_MS = 1000;

async function send(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const headers = Object.fromEntries(response.headers);
  const body = Buffer.from(await response.arrayBuffer());
  if (req.complete || req.destroyed) {
    res.writeHead(response.status, headers);
    res.end(body);
    return;
  }
  // Answered before the whole body arrived (413, 408): the rest is not wanted. Closing at once,
  // with the client's bytes still unread, resets the connection, and a reset can discard the
  // answer before the client reads it. So, like nginx's lingering close, the answer goes out
  // whole, what still arrives is read and dropped, and the connection closes once the client
  // stops or after LINGER_MS.
  res.writeHead(response.status, { ...headers, connection: "close", "content-length": String(body.byteLength) });
  res.write(body);
  req.removeAllListeners("data");
  req.on("data", () => {});
  req.resume();
  let ended = false;
  const end = () => {
    if (!ended) res.end();
    ended = true;
  };
  req.once("end", end);
  setTimeout(end, LINGER_MS).unref();
}

server.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EADDRINUSE") throw error;
  console.error(`Port ${port} is already in use (another npm start?). Pick another one: PORT=${port + 1} npm start`);
  process.exit(1);
});

server.listen(port, "127.0.0.1", () => void sandbox.announce({ envFileLoaded }));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    void sandbox.close().then(() => process.exit(0));
  });
}
