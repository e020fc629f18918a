import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { isRecord } from "../shared/is-record.ts";

/** What the stand-in does with one request instead of answering like the provider. */
type ProviderApiFault = { status: number; body?: string } | { hang: true };

interface ReceivedRequest {
  path: string;
  authorization: string | undefined;
}

/**
 * A loopback stand-in for the provider APIs the webhook functions call out to: Mollie's
 * `GET /v2/payments/{id}` (a payment is visible only to the API key of the account that owns it,
 * as on Mollie) and PayPal's `GET /v1/notifications/certs/{name}` (a signing certificate made on
 * this machine). The tests fill it directly; `npm start` runs one for its sandbox, where
 * `npm run send-webhook -- mollie` creates the payment first with `POST /v2/payments`.
 */
export interface ProviderApiStandIn {
  /** Base URL: MOLLIE_API_URL is `${url}/v2`, PAYPAL_API_URL is `url`. */
  url: string;
  /** Mollie payments by id, as the API returns them. */
  molliePayments: Map<string, Record<string, unknown>>;
  /** The API key of the account that owns each Mollie payment. */
  mollieOwners: Map<string, string>;
  /** PayPal certificates (PEM) by the last path segment of their URL. */
  paypalCertificates: Map<string, string>;
  requests: ReceivedRequest[];
  fault: ((request: ReceivedRequest) => ProviderApiFault | undefined) | undefined;
  close(): Promise<void>;
}

export async function startProviderApiStandIn(): Promise<ProviderApiStandIn> {
  const standIn: ProviderApiStandIn = {
    url: "",
    molliePayments: new Map(),
    mollieOwners: new Map(),
    paypalCertificates: new Map(),
    requests: [],
    fault: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const request = { path: `${url.pathname}${url.search}`, authorization: req.headers.authorization };
    standIn.requests.push(request);
    const fault = standIn.fault?.(request);
    if (fault && "hang" in fault) return; // left open until the caller gives up
    const answer = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "content-type": type }).end(body);
    };
    if (fault) return answer(fault.status, fault.body ?? "");
    if (req.method === "POST" && url.pathname === "/v2/payments") {
      return answer(...(await createMolliePayment(standIn, req)));
    }
    const payment = /^\/v2\/payments\/([^/]+)$/.exec(url.pathname)?.[1];
    if (payment !== undefined) {
      const found = standIn.molliePayments.get(payment);
      const owner = standIn.mollieOwners.get(payment);
      if (found && req.headers.authorization === `Bearer ${owner}`) return answer(200, JSON.stringify(found));
      return answer(
        404,
        JSON.stringify({ status: 404, title: "Not Found", detail: `No payment exists with token ${payment}.` }),
      );
    }
    const certificate = /^\/v1\/notifications\/certs\/([^/]+)$/.exec(url.pathname)?.[1];
    const pem = certificate === undefined ? undefined : standIn.paypalCertificates.get(certificate);
    if (pem) return answer(200, pem, "application/x-pem-file");
    return answer(404, JSON.stringify({ name: "RESOURCE_NOT_FOUND", message: "Not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Started once per test file by the shared webhook cases and left to the test process's end.
  server.unref();
  const { port } = server.address() as AddressInfo;
  standIn.url = `http://127.0.0.1:${port}`;
  return standIn;
}

/**
 * `POST /v2/payments` of the sandbox: unlike Mollie's, it takes the payment as it stands after
 * checkout (the sandbox has no checkout) and keeps it for the API key that sent it.
 */
async function createMolliePayment(standIn: ProviderApiStandIn, req: IncomingMessage): Promise<[number, string]> {
  const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
  if (!key) return [401, JSON.stringify({ status: 401, title: "Unauthorized Request", detail: "Missing API key" })];
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let payment: unknown;
  try {
    payment = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    payment = undefined;
  }
  if (!isRecord(payment) || typeof payment.id !== "string") {
    return [422, JSON.stringify({ status: 422, title: "Unprocessable Entity", detail: "A payment with an id" })];
  }
  standIn.molliePayments.set(payment.id, payment);
  standIn.mollieOwners.set(payment.id, key);
  return [201, JSON.stringify(payment)];
}
